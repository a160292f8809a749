"""The composed pages: the patient's home and the clinician's chart of one patient."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.panels import Panel, render_panels
from kratom_recovery.web.pages import chart as chart_cards
from kratom_recovery.web.pages.panels import (
    CHART_REGIONS,
    CHART_RELATED,
    HOME_PANELS,
    HOME_RELATED,
    chart_with_patient,
    home_with_patient,
)
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.page import PatientPage
from kratom_recovery.web.patients.queries import days_since_last_use, score_charts


@patient_required
def home(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    patient = own_patient(request.user, related=HOME_RELATED, annotate=home_with_patient(now))
    if not hasattr(patient, "profile"):
        return redirect("onboarding")
    page = PatientPage(patient, request.user, now)
    history = page.once(chart_cards.history)
    panels = render_panels(HOME_PANELS, page)
    context: dict[str, Any] = {
        "patient": patient,
        "panels": panels,
        "days_free": days_since_last_use(patient),
        "longest_run": longest_run(panels),
        "history": history,
        "score_charts": score_charts(history),
        "checked_in_today": bool(history) and history[0].local_date == page.today,
        # Read with the patient's row: whether anyone is on their care team yet.
        "has_clinician": page.may_have("has_clinician"),
    }
    return render(request, "patients/home.html", context)


def longest_run(panels: list[Panel]) -> int | None:
    """The longest streak free, shown beside "days since your last dose" so a lapse that
    resets the count never hides it; taken from the progress panel, which has computed it."""
    for panel in panels:
        progress = panel.context.get("progress")
        streaks = getattr(progress, "streaks", None)
        if streaks is not None:
            return int(streaks.longest)
    return None


@clinician_required
def chart(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """The triage view: the summary strip and the alerts across the top, then the clinical
    course beside the team's tools (pages/panels.py). Every part shown is audited in one
    insert before the page is sent."""
    now = timezone.now()
    patient = get_patient_for(request.user, patient_id, related=CHART_RELATED,
                              annotate=chart_with_patient(now))
    page = PatientPage(patient, request.user, now)
    page.audit("chart")
    context: dict[str, Any] = {
        "patient": patient,
        "days_free": days_since_last_use(patient, page.now),
        **{region: render_panels(functions, page) for region, functions in CHART_REGIONS.items()},
    }
    audit.record_reads(request.user, patient, page.audited)
    return render(request, "clinic/chart.html", context)
