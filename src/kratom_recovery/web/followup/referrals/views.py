"""Pages of the referral directory: anyone signed in searches it, program admins keep it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import AuthedRequest, admin_required
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.followup.models import Referral, ReferralImport
from kratom_recovery.web.followup.referrals import actions, queries
from kratom_recovery.web.followup.referrals.forms import (
    DirectorySearchForm,
    ImportForm,
    ReferralForm,
)


@login_required
@require_GET
def directory_search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    hits: list[queries.Hit] | None = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            hits = queries.search(
                state=(data["state"] or "").upper(), zip_code=(data["zip"] or "").strip(),
                kind=data["kind"] or "", service=(data["service"] or "").strip(),
                radius=float(data["radius"] or 50),
            )
        except InvalidInput as error:
            add_domain_error(form, error)
    pulled = Referral.objects.exclude(pulled_on=None).order_by("-pulled_on").values_list(
        "pulled_on", flat=True).first()
    return render(request, "followup/directory.html",
                  {"form": form, "hits": hits, "pulled_on": pulled})


@admin_required
@require_GET
def admin_directory(request: AuthedRequest) -> HttpResponse:
    return render(request, "followup/admin_directory.html", {
        "referrals": list(Referral.objects.all()[:500]),
        "count": Referral.objects.count(),
        "imports": list(ReferralImport.objects.select_related("imported_by")[:5]),
    })


@admin_required
@require_http_methods(["GET", "POST"])
def edit_referral(request: AuthedRequest, referral_id: int | None = None) -> HttpResponse:
    referral = get_object_or_404(Referral, pk=referral_id) if referral_id else None
    initial = ReferralForm.initial_for(referral) if referral else {}
    form = ReferralForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_referral(referral, dict(form.cleaned_data), now=timezone.now())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Directory entry saved."))
            return redirect("admin-directory")
    return render(request, "followup/referral_form.html", {"form": form, "referral": referral})


@admin_required
@require_http_methods(["GET", "POST"])
def import_referrals(request: AuthedRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"pulled_on": timezone.now().date()})
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > actions.MAX_BYTES:
                raise InvalidInput("file", _("larger than 2 MB"))
            report = actions.import_csv(
                upload.read(), source=form.cleaned_data["source"],
                pulled_on=form.cleaned_data["pulled_on"], actor=request.user,
                now=timezone.now(),
            )
        except InvalidInput as error:
            add_domain_error(form, error)
    return render(request, "followup/import.html", {"form": form, "report": report})
