"""The caseload's stored triage (TriageState): how it is written, and how the caseload sorts
and pages on it in SQL.

`refresh_triage` runs inside the transaction of every stored safety evaluation (each write
and the sweep), every new alert and every acknowledgement (safety/hooks.py
`on_triage_changed`), so the stored tier follows each write. It reads one row of inputs (one
query) and writes one row. The sharing consent is not stored: the row keeps the tier with
and without the check-ins shared and the caseload picks one in SQL, so a consent change
needs no rewrite. What changes with the calendar alone (days without a check-in, days
without a taper dose) is stored as the local day it starts to count (`attention_day`).

`ranked` orders a clinician's patients exactly as care.caseload.sort_key orders the rows:
tier, most severe open alert, longest without a check-in, name.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, JSONObject, Lower, NullIf

from kratom_recovery.care.caseload import (
    ACUTE_PHASES,
    TAPER_GRACE_DAYS,
    UNLOGGED_TAPER_DAYS,
    CaseloadRow,
    OpenAlert,
    prioritize,
)
from kratom_recovery.care.safety import MISSED_CHECKIN_DAYS
from kratom_recovery.web.clinic.models import TriageState
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.common.prepared import Prepared
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient
from kratom_recovery.web.recovery.models import SharingConsent
from kratom_recovery.web.safety.models import SEVERITIES, Alert, SafetyState
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord

NO_CHECKIN_WAIT = 10_000  # care.caseload.sort_key: no check-in yet counts as the longest wait
TIMELINE_FLAG_IDS = ("worse-than-expected", "prolonged-acute")


def _sows(offset: int) -> Subquery:
    return Subquery(
        InstrumentResponse.objects.filter(patient=OuterRef("pk"), instrument="sows")
        .order_by("-recorded_at").values("total")[offset:offset + 1]
    )


# The active taper's series and request: read with a check-in's current-state row
# (`active_taper_expression`, registered in apps.py), else on its own, compiled once
# (common/prepared.py).
TAPER_READ = "active_kratom_taper"


def _active_tapers(patient: Any) -> QuerySet[TaperPlanRecord]:
    return (TaperPlanRecord.objects.filter(patient=patient, active=True, kind="kratom")
            .order_by("-created_at", "-version"))


_ACTIVE_TAPER: Prepared[tuple[Any, Any]] = Prepared(
    lambda pk: _active_tapers(pk).values_list("series", "request")[:1])


def active_taper_expression() -> Subquery:
    return Subquery(_active_tapers(OuterRef("patient")).values(
        taper=JSONObject(series="series", request="request"))[:1],
        output_field=JSONField(null=True))


def _taper_of(patient: Patient, held: Any) -> tuple[Any, Any] | None:
    if held is None or not hasattr(held, TAPER_READ):
        return _ACTIVE_TAPER.first(patient.pk)
    taper = getattr(held, TAPER_READ)
    if taper is None:
        return None
    request = taper["request"]  # SQLite's json_object() keeps a JSON column as its text
    return taper["series"], json.loads(request) if isinstance(request, str) else request


def triage_inputs(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Everything prioritize() reads, as annotations: one query for any number of patients."""
    open_alerts = Alert.objects.filter(patient=OuterRef("pk"), acknowledged_at=None)
    active_series = TaperPlanRecord.objects.filter(
        patient=OuterRef(OuterRef("pk")), active=True, kind="kratom").values("series")[:1]
    first_version = (TaperPlanRecord.objects.filter(series=Subquery(active_series))
                     .order_by("version").values("created_at")[:1])
    return patients.select_related("safety_state").annotate(
        latest_checkin=Subquery(CheckIn.objects.filter(patient=OuterRef("pk"))
                                .order_by("-local_date").values("local_date")[:1]),
        sows_total=_sows(0),
        previous_sows=_sows(1),
        top_severity=Subquery(open_alerts.order_by("-severity_rank")
                              .values("severity_rank")[:1]),
        open_warning=Exists(open_alerts.filter(severity="warning")),
        on_taper=Exists(_active_tapers(OuterRef("pk"))),
        taper_first_day=Subquery(_active_tapers(OuterRef("pk")).annotate(start=KT("request__start"))
                                 .values("start")[:1]),
        taper_saved_at=Subquery(first_version),
        last_taper_dose=Subquery(DoseTaken.objects.filter(patient=OuterRef("pk"),
                                                          plan__kind="kratom")
                                 .order_by("-taken_at").values("taken_at")[:1]),
    )


def _taper_start(patient: Any) -> date | None:
    """The later of the plan's first save and its first day (clinic/caseload.taper_days)."""
    if not patient.on_taper or patient.taper_saved_at is None:
        return None
    started: date = patient.today(patient.taper_saved_at)
    try:
        first_day = date.fromisoformat(str(patient.taper_first_day))
    except ValueError:
        first_day = started
    return max(started, first_day)


def state_for(patient: Any, now: datetime) -> TriageState:
    """The stored triage of a patient read through `triage_inputs` or `inputs_of` (not
    saved)."""
    safety = getattr(patient, "safety_state", None)
    phase = (safety.phase or None) if safety else None
    alerts: list[OpenAlert] = []
    if patient.top_severity is not None:
        alerts.append(OpenAlert("", SEVERITIES[patient.top_severity], ""))
    if patient.open_warning:
        alerts.append(OpenAlert("", "warning", ""))
    # Without the calendar-driven reasons: those are attention_day below.
    timeless = CaseloadRow(
        phase=phase,
        timeline_flags=frozenset(f["id"] for f in (safety.flags if safety else [])
                                 if f["id"] in TIMELINE_FLAG_IDS),
        sows=patient.sows_total,
        previous_sows=patient.previous_sows,
        alerts=alerts,
    )
    shared = prioritize(timeless)
    private = prioritize(replace(timeless, timeline_flags=frozenset(), sows=None,
                                 previous_sows=None))
    due: list[int] = []
    checkin: date | None = patient.latest_checkin
    if phase in ACUTE_PHASES and checkin is not None:
        due.append(checkin.toordinal() + MISSED_CHECKIN_DAYS)
    start = _taper_start(patient)
    if start is not None:
        taper_due = start.toordinal() + TAPER_GRACE_DAYS
        if patient.last_taper_dose is not None:
            taper_due = max(taper_due, patient.today(patient.last_taper_dose).toordinal()
                            + UNLOGGED_TAPER_DAYS)
        due.append(taper_due)
    return TriageState(
        patient_id=patient.pk, tier=shared.tier, private_tier=private.tier,
        severity=shared.severity,
        last_checkin_day=checkin.toordinal() if checkin else None,
        attention_day=min(due) if due else None, updated_at=now,
    )


STORED = ("tier", "private_tier", "severity", "last_checkin_day", "attention_day",
          "updated_at")


def inputs_of(patient: Patient) -> SimpleNamespace:
    """`triage_inputs` for one patient in small queries: after a write this is cheaper than
    the one large query, whose building costs more than it saves for a single row."""
    # During a check-in its current-state row (patients/state.py) already holds the latest
    # check-in and SOWS, the safety evaluation read the open alerts, and the stored
    # evaluation is on the patient: read only what they do not give.
    held = current_state.attached(patient)
    if held is not None and len(held.sows) >= 2:
        sows = [row[1] for row in reversed(held.sows[-2:])]
    else:
        sows = list(InstrumentResponse.objects.filter(patient=patient, instrument="sows")
                    .order_by("-recorded_at").values_list("total", flat=True)[:2])
    if held is not None and held.open_alert_ranks is not None:
        ranks = list(held.open_alert_ranks)
    else:
        ranks = list(Alert.objects.filter(patient=patient, acknowledged_at=None)
                     .values_list("severity_rank", flat=True))
    taper = _taper_of(patient, held)
    saved_at = last_dose = None
    if taper is not None:
        saved_at = (TaperPlanRecord.objects.filter(series=taper[0]).order_by("version")
                    .values_list("created_at", flat=True).first())
        last_dose = (DoseTaken.objects.filter(patient=patient, plan__kind="kratom")
                     .order_by("-taken_at").values_list("taken_at", flat=True).first())
    return SimpleNamespace(
        pk=patient.pk,
        today=patient.today,
        safety_state=(patient.safety_state if Patient.safety_state.is_cached(patient) else
                      SafetyState.objects.filter(patient=patient).only("phase", "flags").first()),
        latest_checkin=(CheckIn.objects.filter(patient=patient).order_by("-local_date")
                        .values_list("local_date", flat=True).first() if held is None else
                        held.last_checkin.local_date if held.last_checkin else None),
        sows_total=sows[0] if sows else None,
        previous_sows=sows[1] if len(sows) > 1 else None,
        top_severity=max(ranks, default=None),
        open_warning=SEVERITIES.index("warning") in ranks,
        on_taper=taper is not None,
        taper_first_day=None if taper is None else taper[1].get("start"),
        taper_saved_at=saved_at,
        last_taper_dose=last_dose,
    )


def refresh_triage(patient: Patient, now: datetime) -> None:
    """Recompute and store one patient's triage (a few small indexed reads, one write)."""
    write_batch.upsert([state_for(inputs_of(patient), now)], ["patient"], STORED)


def refresh_many(patients: QuerySet[Patient], now: datetime, *, chunk: int = 500) -> int:
    """Recompute and store the triage of many patients, `chunk` at a time (the backfill)."""
    count = 0
    ids = list(patients.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), chunk):
        part = ids[first:first + chunk]
        states = [state_for(p, now) for p in
                  triage_inputs(Patient.objects.filter(pk__in=part))]
        TriageState.objects.filter(patient__in=part).delete()
        TriageState.objects.bulk_create(states)
        count += len(states)
    return count


# --- the read side --------------------------------------------------------------------------


def local_days(zones: Iterable[str], now: datetime) -> Case:
    """Today's day number in each patient's own zone, as an SQL expression."""
    return Case(*(When(timezone=zone, then=Value(now.astimezone(ZoneInfo(zone)).date()
                                                 .toordinal()))
                  for zone in sorted(set(zones))),
                default=Value(now.date().toordinal()), output_field=IntegerField())


def ranked(patients: QuerySet[Patient], zones: Iterable[str], now: datetime,
           tiers: Collection[int] = ()) -> QuerySet[Patient]:
    """`patients` (in `tiers`, if given) ordered most urgent first, as the rows sort.

    No stored row yet (a patient nothing was written for): tier 4, no alert, no check-in.
    """
    today = local_days(zones, now)
    private = SharingConsent.objects.filter(patient=OuterRef("pk"), checkins=False)
    stored = Case(When(Exists(private), then=F("triage_state__private_tier")),
                  default=F("triage_state__tier"), output_field=IntegerField())
    ordered = (
        patients
        .alias(stored_tier=Coalesce(stored, 4), local_today=today)
        .annotate(tier=Case(
            When(stored_tier=4, triage_state__attention_day__lte=F("local_today"), then=Value(3)),
            default=F("stored_tier"), output_field=IntegerField()))
        .alias(
            severity=Coalesce(F("triage_state__severity"), -1),
            waiting=Coalesce(F("local_today") - F("triage_state__last_checkin_day"),
                             NO_CHECKIN_WAIT),
            name=Lower(Coalesce(NullIf(F("user__display_name"), Value("")),
                                F("user__username"))),
        )
        .order_by("tier", "-severity", "-waiting", "name", "pk")
    )
    return ordered.filter(tier__in=tiers) if tiers else ordered

