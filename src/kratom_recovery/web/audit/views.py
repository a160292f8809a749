"""The program admin's view of the audit log: paginated, filterable, itself audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.accounts.decorators import AuthedRequest, admin_required
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit.chain import patient_ref
from kratom_recovery.web.audit.models import AuditEntry

PAGE_SIZE = 50


class AuditFilter(forms.Form):
    """Every field optional; a bad value is reported on its field and filters nothing."""

    actor = forms.CharField(label=_("Who (username)"), max_length=150, required=False)
    patient = forms.IntegerField(label=_("Patient id"), min_value=1, required=False)
    action = forms.CharField(label=_("Action"), max_length=16, required=False)
    since = forms.DateField(label=_("From (date, UTC)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("Until (date, UTC)"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def filtered(data: dict[str, object]) -> QuerySet[AuditEntry]:
    """Entries newest first, narrowed by the form's cleaned values."""
    entries = AuditEntry.objects.order_by("-at", "-id")
    if username := data.get("actor"):
        user = User.objects.filter(username=username).first()
        entries = entries.filter(actor_ref=str(user.pk) if user else "-")
    if isinstance(patient := data.get("patient"), int):
        # By pseudonym, so entries about a deleted account are still found by its old id.
        entries = entries.filter(patient_ref=patient_ref(patient))
    if action := data.get("action"):
        entries = entries.filter(action=action)
    if isinstance(since := data.get("since"), date):
        entries = entries.filter(at__gte=datetime.combine(since, time(), UTC))
    if isinstance(until := data.get("until"), date):
        entries = entries.filter(at__lt=datetime.combine(until, time(), UTC) + timedelta(days=1))
    return entries


@admin_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    valid = form.is_valid() if request.GET else True
    entries = filtered(form.cleaned_data if request.GET and valid else {})
    if not valid:
        entries = entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = dict(User.objects.filter(pk__in={int(r.actor_ref) for r in rows if r.actor_ref})
                 .values_list("pk", "username"))
    AuditEntry.objects.create(actor=request.user, patient=None, action="read",
                              target="audit-log")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "rows": [(row, names.get(int(row.actor_ref)) if row.actor_ref else None)
                 for row in rows],
    })
