"""The clinician's caseload, triaged by risk (care.caseload), in a constant number of queries.

One annotated query reads every patient's latest scores, check-in and taper dose; two
prefetches bring open alerts and active kratom tapers. Nothing is queried per row, so the
page stays fast with a thousand patients (tests/web/test_caseload.py counts the queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from kratom_recovery.care.caseload import CaseloadRow, OpenAlert, Priority, prioritize, sort_key
from kratom_recovery.care.caseload import trend as sows_trend
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import adapt_plan, parse_taper_request
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.messaging.queries import unread_for_team_subquery
from kratom_recovery.web.patients.access import visible_patients
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient
from kratom_recovery.web.patients.queries import days_since_last_use
from kratom_recovery.web.recovery.models import SharingConsent
from kratom_recovery.web.safety.models import Alert
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord
from kratom_recovery.web.tapers.plans import checkin_summaries_for

SCORED = ("sows", "craving", "cows", "phq9", "gad7")


def latest_response(instrument: str, field_name: str, offset: int = 0) -> Subquery:
    return Subquery(
        InstrumentResponse.objects.filter(patient=OuterRef("pk"), instrument=instrument)
        .order_by("-recorded_at")
        .values(field_name)[offset : offset + 1]
    )


def series_started() -> Subquery:
    """When a plan's first version was saved: an edit does not restart the grace period."""
    return Subquery(
        TaperPlanRecord.objects.filter(series=OuterRef("series")).order_by("version")
        .values("created_at")[:1]
    )


def taper_days(record: Any, today: date, patient: Patient) -> int:
    """Days the plan has run: from the later of its first save and its first day."""
    started = patient.today(record.series_started)
    try:
        first_day = date.fromisoformat(str(record.request.get("start")))
    except ValueError:
        first_day = started
    return (today - max(started, first_day)).days


def annotated(clinician: User) -> QuerySet[Patient]:
    annotations: dict[str, Any] = {
        "latest_checkin": Subquery(
            CheckIn.objects.filter(patient=OuterRef("pk")).order_by("-local_date")
            .values("local_date")[:1]
        ),
        "previous_sows": latest_response("sows", "total", offset=1),
        "last_taper_dose": Subquery(
            DoseTaken.objects.filter(patient=OuterRef("pk"), plan__kind="kratom")
            .order_by("-taken_at").values("taken_at")[:1]
        ),
        "shares_checkins": Subquery(
            SharingConsent.objects.filter(patient=OuterRef("pk")).values("checkins")[:1]
        ),
        "unread_messages": unread_for_team_subquery(),
    }
    for instrument in SCORED:
        key = instrument.replace("-", "_")
        annotations[f"{key}_total"] = latest_response(instrument, "total")
        annotations[f"{key}_band"] = latest_response(instrument, "band")
    return (
        visible_patients(clinician)
        .select_related("safety_state")
        .annotate(**annotations)
        .prefetch_related(
            Prefetch("alerts", queryset=Alert.objects.filter(acknowledged_at=None),
                     to_attr="open_alerts"),
            Prefetch("taper_plans",
                     queryset=TaperPlanRecord.objects.filter(active=True, kind="kratom")
                     .annotate(series_started=series_started()),
                     to_attr="active_tapers"),
        )
    )


@dataclass
class Row:
    patient: Patient
    priority: Priority
    phase: str
    shared: bool
    scores: dict[str, tuple[int, str]] = field(default_factory=dict)
    trend: str = ""
    days_free: int | None = None
    days_since_checkin: int | None = None
    taper: str = ""
    alerts: list[Alert] = field(default_factory=list)  # open ones, from the prefetch
    unread_messages: int = 0  # the patient's messages no one on the team has read

    @property
    def needs_attention(self) -> bool:
        return self.priority.tier < 4


def taper_texts(patients: list[Any], now: datetime) -> dict[int, str]:
    """"step 2/9 · 13.5 g/d" for each tapering patient: the adapted plan the patient sees
    (holds included), with everyone's recent check-ins read in one query."""
    tapering = [p for p in patients if p.active_tapers]
    if not tapering:
        return {}
    requests = {}
    for patient in tapering:
        try:
            requests[patient.pk] = parse_taper_request(patient.active_tapers[0].request)
        except InvalidInput:
            continue
    if not requests:
        return {}
    checkins = checkin_summaries_for(tapering, min(r.start for r in requests.values()))
    texts = {}
    for patient in tapering:
        request = requests.get(patient.pk)
        if request is None:
            texts[patient.pk] = patient.active_tapers[0].name
            continue
        today = patient.today(now)
        plan = adapt_plan(request, checkins[patient.pk], today)
        index = next((i for i, s in enumerate(plan.steps) if s.start <= today <= s.end),
                     len(plan.steps) - 1 if today > plan.start else 0)
        step = plan.steps[index]
        held = " ⏸" if plan.holds else ""
        texts[patient.pk] = (f"{index + 1}/{len(plan.steps)} · {step.daily_amount:g} "
                             f"{step.unit}/d{held}")
    return texts


def build_row(patient: Any, now: datetime, taper: str = "") -> Row:
    today = patient.today(now)
    state = getattr(patient, "safety_state", None)
    shared = patient.shares_checkins is not False  # no consent row: the default, shared
    days_since_checkin = (today - patient.latest_checkin).days if patient.latest_checkin else None
    last_dose = patient.last_taper_dose
    domain_row = CaseloadRow(
        phase=(state.phase or None) if state else None,
        timeline_flags=frozenset(
            f["id"] for f in (state.flags if state and shared else [])
            if f["id"] in ("worse-than-expected", "prolonged-acute")
        ),
        sows=patient.sows_total if shared else None,
        previous_sows=patient.previous_sows if shared else None,
        alerts=[OpenAlert(a.rule, a.severity, a.why) for a in patient.open_alerts],
        days_since_checkin=days_since_checkin,
        on_taper=bool(patient.active_tapers),
        days_since_taper_dose=None if last_dose is None else (
            today - patient.today(last_dose)).days,
        taper_days=taper_days(patient.active_tapers[0], today, patient)
        if patient.active_tapers else None,
    )
    scores = {}
    if shared:
        for instrument in SCORED:
            total = getattr(patient, f"{instrument}_total")
            if total is not None:
                scores[instrument] = (total, getattr(patient, f"{instrument}_band") or "")
    return Row(
        patient=patient,
        priority=prioritize(domain_row),
        phase=domain_row.phase or "",
        shared=shared,
        scores=scores,
        trend=sows_trend(domain_row),
        days_free=days_since_last_use(patient, now),
        days_since_checkin=days_since_checkin,
        taper=taper,
        alerts=list(patient.open_alerts),
        unread_messages=patient.unread_messages,
    )


def caseload(clinician: User, now: datetime, *, search: str = "", tier: str = "",
             phase: str = "") -> list[Row]:
    """The caseload, most urgent first; filters: name search, tier ('attention' = 1–3), phase."""
    patients = annotated(clinician)
    if search:
        patients = patients.filter(Q(user__display_name__icontains=search)
                                   | Q(user__username__icontains=search))
    patients_list = list(patients)
    tapers = taper_texts(patients_list, now)
    rows = [build_row(p, now, tapers.get(p.pk, "")) for p in patients_list]
    if tier == "attention":
        rows = [r for r in rows if r.needs_attention]
    elif tier.isdigit():
        rows = [r for r in rows if r.priority.tier == int(tier)]
    if phase:
        rows = [r for r in rows if r.phase == phase]
    rows.sort(key=lambda r: sort_key(r.priority, r.days_since_checkin, r.patient.display_name))
    return rows
