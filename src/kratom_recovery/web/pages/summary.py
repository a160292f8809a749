"""The patient's summary for an appointment: one printable page (the browser's Print makes
the PDF) with the profile, the taper, the milestones, the relapse-prevention plan and the
check-ins as a chart and a table, beside the JSON download on the data page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.pages import chart as chart_cards
from kratom_recovery.web.patients.access import own_patient
from kratom_recovery.web.patients.forms import PRODUCT_LABELS, UNIT_LABELS
from kratom_recovery.web.patients.page import PatientPage
from kratom_recovery.web.patients.queries import days_since_last_use, history_chart
from kratom_recovery.web.recovery.queries import progress_view
from kratom_recovery.web.tapers.panels import rows as taper_rows

SUMMARY_CHECKINS = 14  # two weeks in the table: what a visit usually looks back over


@patient_required
@require_GET
def appointment_summary(request: AuthedRequest) -> HttpResponse:
    """The person's own records, read by them (not audited, as on their home page)."""
    patient = own_patient(request.user)
    profile = getattr(patient, "profile", None)
    if profile is None:
        return redirect("onboarding")
    now = timezone.now()
    page = PatientPage(patient, request.user, now)
    history = page.once(chart_cards.history)
    return render(request, "pages/appointment_summary.html", {
        "patient": patient,
        "profile": profile,
        "product": PRODUCT_LABELS.get(profile.product, profile.product),
        "unit": UNIT_LABELS.get(profile.unit, profile.unit),
        "made_at": now,
        "days_free": days_since_last_use(patient),
        "progress": progress_view(patient, now),
        "taper_rows": page.once(taper_rows),
        "plan": getattr(patient, "relapse_plan", None),
        "history": history[:SUMMARY_CHECKINS],
        "chart_svg": history_chart(history, _("Withdrawal and craving scores by day")),
    })
