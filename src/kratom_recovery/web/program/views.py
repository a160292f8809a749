"""Program-admin pages: the settings page and the on-call rota."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import AuthedRequest, admin_required
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.program import actions
from kratom_recovery.web.program.config import current_settings
from kratom_recovery.web.program.forms import SettingsForm, ShiftForm
from kratom_recovery.web.program.models import OnCallShift
from kratom_recovery.web.program.rota import on_call_at

PAST_SHIFTS_SHOWN = 10


@admin_required
@require_http_methods(["GET", "POST"])
def program_settings(request: AuthedRequest) -> HttpResponse:
    config = current_settings()
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(config))
    if request.method == "POST" and form.is_valid():
        try:
            changed = actions.update_program_settings(
                request.user, timezone_name=form.cleaned_data["timezone"].strip(),
                hours=form.hours(), escalation_minutes=form.cleaned_data["escalation_minutes"],
                clinical=form.clinical(),
                two_factor_grace_days=form.cleaned_data["two_factor_grace_days"])
        except InvalidInput as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Saved: %(fields)s.") % {"fields": ", ".join(changed)}
                             if changed else _("Nothing changed."))
            return redirect("program-settings")
    now = timezone.now()
    return render(request, "program/settings.html", {
        "form": form, "config": config, "open_now": config.is_open(now),
        "next_opening": config.next_opening(now),
        "day_rows": [(form[f"{d}_open"], form[f"{d}_close"]) for d in
                     ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
        "clinical_fields": [form[name] for name in form.fields
                            if name not in ("timezone", "escalation_minutes",
                                            "two_factor_grace_days")
                            and not name.endswith(("_open", "_close"))],
    }, status=400 if form.errors else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def on_call(request: AuthedRequest) -> HttpResponse:
    config = current_settings()
    clinicians = User.objects.filter(role=Role.CLINICIAN, is_active=True).order_by("username")
    form = ShiftForm(request.POST or None, clinicians=clinicians)
    if request.method == "POST":
        with timezone.override(config.zone):  # the admin types program wall-clock times
            valid = form.is_valid()
        if valid:
            starts_at, ends_at = form.times()
            try:
                actions.add_shift(request.user, starts_at, ends_at, form.cleaned_data["primary"],
                                  form.cleaned_data["backup"])
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Shift added."))
                return redirect("on-call")
    now = timezone.now()
    upcoming = OnCallShift.objects.select_related("primary", "backup").filter(ends_at__gt=now)
    past = (OnCallShift.objects.select_related("primary", "backup").filter(ends_at__lte=now)
            .order_by("-ends_at")[:PAST_SHIFTS_SHOWN])
    return render(request, "program/on_call.html", {
        "form": form, "config": config, "zone": config.timezone, "current": on_call_at(now),
        "upcoming": upcoming, "past": past,
    }, status=400 if form.errors else 200)


@admin_required
@require_POST
def remove_shift(request: AuthedRequest, shift_id: int) -> HttpResponse:
    actions.remove_shift(request.user, get_object_or_404(OnCallShift, pk=shift_id))
    messages.success(request, _("Shift removed."))
    return redirect("on-call")
