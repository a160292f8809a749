"""The chart's own cards, which draw on several apps: the summary strip at the top, the use
profile, the check-in table and the questionnaire table.

Each reads through `page.once`, so the strip and the cards below it share one read of the
check-ins, the ratings, the vitals, the alerts and the follow-up schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from kratom_recovery.care.interactions import unrecognised
from kratom_recovery.care.safety import DANGER_SYMPTOMS
from kratom_recovery.care.vitals import Trend, trend
from kratom_recovery.web.bedside import panels as bedside
from kratom_recovery.web.bedside.queries import VitalSeries
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.followup import panels as followup
from kratom_recovery.web.messaging import panels as messaging
from kratom_recovery.web.patients.models import InstrumentResponse
from kratom_recovery.web.patients.page import PatientPage
from kratom_recovery.web.patients.queries import (
    QUESTIONNAIRES,
    HistoryRow,
    history_chart,
    questionnaire_history,
    recent_checkins,
)
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.safety import panels as safety

DANGER_LABELS = {symptom.id: symptom.label for symptom in DANGER_SYMPTOMS}


def shares_checkins(page: PatientPage) -> bool:
    return page.by_patient or clinician_may_see(page.patient, "checkins")


def history(page: PatientPage) -> list[HistoryRow]:
    """The latest check-ins, newest first (home and chart); none on the chart when the
    patient does not share them."""
    return page.once(recent_checkins) if page.once(shares_checkins) else []


def ratings(page: PatientPage) -> list[InstrumentResponse]:
    """Questionnaires and COWS, newest first. Self-reports follow the check-in consent;
    COWS is the clinician's own rating."""
    shared = page.once(shares_checkins)
    return questionnaire_history(page.patient, QUESTIONNAIRES if shared else ("cows",))


@dataclass(frozen=True)
class Latest:
    """The newest score of one instrument, with the one before it for the trend."""

    total: int
    max_total: int
    band: str
    when: date | datetime
    previous: int | None
    trend: Trend | None


def latest_sows(rows: list[HistoryRow]) -> Latest | None:
    scored = [row for row in rows if "sows" in row.totals]
    if not scored:
        return None
    newest = scored[0]
    previous = scored[1].totals["sows"] if len(scored) > 1 else None
    return Latest(newest.totals["sows"], 64, newest.bands.get("sows", ""), newest.local_date,
                  previous, trend([previous, newest.totals["sows"]]) if previous is not None
                  else None)


def latest_cows(rated: list[InstrumentResponse]) -> Latest | None:
    cows = [r for r in rated if r.instrument == "cows"]
    if not cows:
        return None
    newest = cows[0]
    previous = cows[1].total if len(cows) > 1 else None
    return Latest(newest.total, newest.max_total, newest.band, newest.recorded_at, previous,
                  trend([previous, newest.total]) if previous is not None else None)


@dataclass(frozen=True)
class VitalShown:
    """One vital in the strip: a short label, the value as shown, and its trend."""

    label: str
    value: str
    unit: str
    trend: Trend | None


def short_vitals(series: list[VitalSeries]) -> list[VitalShown]:
    """The latest vitals in few words; blood pressure as systolic/diastolic."""
    labels = {"pulse": _("Pulse"), "temperature_c": _("Temp"), "respiratory_rate": _("RR"),
              "spo2": _("SpO2"), "weight_kg": _("Weight")}
    by_name = {s.vital.name: s for s in series}
    shown = []
    for s in series:
        name = s.vital.name
        if s.latest is None or name == "diastolic":
            continue
        value = f"{s.latest:.{s.vital.decimals}f}"
        if name == "systolic":
            low = by_name.get("diastolic")
            if low is not None and low.latest is not None:
                value = f"{value}/{low.latest:.0f}"
            shown.append(VitalShown(_("BP"), value, s.vital.unit, s.trend))
        else:
            shown.append(VitalShown(labels.get(name, s.vital.label), value, s.vital.unit,
                                    s.trend))
    return shown


def summary(page: PatientPage) -> Panel:
    """The strip at the top: the newest SOWS and COWS with their trend, vitals, open alerts,
    the last check-in, what is due, and how to reach the patient."""
    rows = page.once(history)
    alerts = page.once(safety.open_alerts)
    due = page.once(bedside.chart_due)
    followup_due = [row for row in page.once(followup.followup_state)["rows"]
                    if row.state == "due"]
    last_checkin = rows[0] if rows else None
    return Panel("pages/chart_summary.html", {
        "patient": page.patient,
        "shares_checkins": page.once(shares_checkins),
        "sows": latest_sows(rows),
        "cows": latest_cows(page.once(ratings)),
        "vitals": short_vitals(page.once(bedside.chart_series)),
        "vitals_taken": next(iter(page.once(bedside.chart_readings)), None),
        "alerts": alerts,
        "top_alert": alerts[0] if alerts else None,
        "last_checkin": last_checkin,
        "last_checkin_flags": bool(last_checkin and (last_checkin.self_harm_thoughts
                                                    or last_checkin.danger_symptoms)),
        "assessment_due": due if due is not None and due.status != "upcoming" else None,
        "followup_due": followup_due,
        "unread": page.once(messaging.team_unread) if page.viewer.is_clinician else 0,
    })


def profile(page: PatientPage) -> Panel:
    """The onboarding answers, each medicine as typed and whether our table knows it."""
    found = getattr(page.patient, "profile", None)
    listed = list(found.medications) if found is not None else []
    unknown = set(unrecognised(listed))
    return Panel("pages/chart_profile.html", {
        "profile": found,
        "medicines": [(name, name not in unknown) for name in listed],
    })


def checkins(page: PatientPage) -> Panel:
    """The check-in table: scores and, beside them, the daily safety answers (self-harm
    thoughts, danger symptoms) and the pulse and temperature the patient typed."""
    rows = page.once(history)
    return Panel("pages/chart_checkins.html", {
        "shares_checkins": page.once(shares_checkins),
        "chart_svg": history_chart(rows, _("Withdrawal, craving and COWS scores by day"),
                                   cows=page.once(ratings), zone=page.patient.zone),
        "rows": [(row, [DANGER_LABELS.get(s, s) for s in row.danger_symptoms])
                 for row in rows],
    })


def questionnaires(page: PatientPage) -> Panel:
    return Panel("pages/chart_questionnaires.html", {
        "questionnaires": page.once(ratings),
        "shares_checkins": page.once(shares_checkins),
    })
