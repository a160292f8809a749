"""The composed pages: the patient's home and the clinician's chart of one patient."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.interactions import unrecognised
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.panels import Panel, render_panels
from kratom_recovery.web.pages.panels import CHART_PANELS, HOME_PANELS
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.queries import (
    QUESTIONNAIRES,
    checkin_history,
    days_since_last_use,
    history_chart,
    questionnaire_history,
)
from kratom_recovery.web.recovery.consent import clinician_may_see


@patient_required
def home(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    if not hasattr(patient, "profile"):
        return redirect("onboarding")
    history = checkin_history(patient)
    now = timezone.now()
    today = patient.today(now)
    panels = render_panels(HOME_PANELS, patient, request.user, now)
    context: dict[str, Any] = {
        "patient": patient,
        "panels": panels,
        "days_free": days_since_last_use(patient),
        "longest_run": longest_run(panels),
        "history": history,
        "chart_svg": history_chart(history, _("Your withdrawal and craving scores by day")),
        "checked_in_today": bool(history) and history[0].local_date == today,
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
    patient = get_patient_for(request.user, patient_id)
    audit.record(request.user, patient, "read", "chart")
    shares_checkins = clinician_may_see(patient, "checkins")
    history = checkin_history(patient) if shares_checkins else []
    # Self-reports follow the check-in consent; COWS is the clinician's own rating.
    rated = questionnaire_history(patient, QUESTIONNAIRES if shares_checkins else ("cows",))
    profile = getattr(patient, "profile", None)
    listed = list(profile.medications) if profile is not None else []
    unknown = set(unrecognised(listed))
    context = {
        "patient": patient,
        "shares_checkins": shares_checkins,
        "questionnaires": rated,
        "profile": profile,
        # Each medicine as typed, and whether our table recognised it (never dropped).
        "medicines": [(name, name not in unknown) for name in listed],
        "history": history,
        "chart_svg": history_chart(history, _("Withdrawal, craving and COWS scores by day"),
                                   cows=rated, zone=patient.zone),
        "days_free": days_since_last_use(patient),
        "panels": render_panels(CHART_PANELS, patient, request.user, timezone.now()),
    }
    return render(request, "clinic/chart.html", context)
