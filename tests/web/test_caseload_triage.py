"""The caseload's stored triage (clinic/triage.py): every kind of write leaves it as a fresh
computation would, and the SQL order is the order care.caseload.sort_key gives the rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from kratom_recovery.care.caseload import SEVERITY_RANK, sort_key
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.bedside import actions as bedside_actions
from kratom_recovery.web.clinic.caseload import annotated, build_row, filtered, taper_texts
from kratom_recovery.web.clinic.models import TriageState
from kratom_recovery.web.clinic.triage import STORED, refresh_many, state_for, triage_inputs
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.recovery.actions import update_sharing
from kratom_recovery.web.safety.actions import acknowledge_alert, raise_alert
from kratom_recovery.web.safety.engine import sweep
from kratom_recovery.web.safety.models import SEVERITY_RANK as ALERT_RANK
from kratom_recovery.web.safety.models import Alert
from kratom_recovery.web.tapers.actions import log_dose, start_taper, stop_taper
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

PLAN = {"product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
        "strategy": "percent", "rate_percent": "10", "step_days": 7}


def sows(patient: Any, total: int, when: datetime) -> None:
    answers = [min(4, max(0, total - 4 * i)) for i in range(16)]
    actions.record_checkin(patient, patient.user, {"sows": answers, "craving": [3]},
                           self_harm_thoughts=False, now=when)


def stored(patient: Any) -> dict[str, object]:
    state = TriageState.objects.get(patient=patient)
    return {name: getattr(state, name) for name in STORED if name != "updated_at"}


def fresh(patient: Any, now: datetime) -> dict[str, object]:
    loaded = triage_inputs(Patient.objects.filter(pk=patient.pk)).get()
    state = state_for(loaded, now)
    return {name: getattr(state, name) for name in STORED if name != "updated_at"}


def python_rows(clinician: Any, now: datetime) -> list[Any]:
    """The rows in the order the caseload had when it ranked every row in Python."""
    patients: list[Any] = list(annotated(clinician))
    alerts = list(Alert.objects.filter(acknowledged_at=None))
    for patient in patients:
        patient.open_alerts = [a for a in alerts if a.patient_id == patient.pk]
    tapers = taper_texts(patients, now)
    rows = [build_row(p, now, tapers.get(p.pk, "")) for p in patients]
    rows.sort(key=lambda r: sort_key(r.priority, r.days_since_checkin, r.patient.display_name))
    return rows


def python_order(clinician: Any, now: datetime) -> list[int]:
    return [r.patient.pk for r in python_rows(clinician, now)]


def sql_order(clinician: Any, now: datetime, tier: str = "") -> list[int]:
    return list(filtered(clinician, now, tier=tier)[0].values_list("pk", flat=True))


def test_alert_ranks_agree_with_the_caseloads() -> None:
    assert ALERT_RANK == SEVERITY_RANK


def checkins_on_a_taper(pat: Any) -> None:
    """The second check-in reads the taper with its current-state row (clinic/triage.py)."""
    start_taper(pat, pat.user, {**PLAN, "start": (NOW - timedelta(days=5)).date().isoformat()},
                now=NOW - timedelta(days=5))
    sows(pat, 6, NOW - timedelta(days=1))
    sows(pat, 18, NOW)


WRITES: list[tuple[str, Callable[[Any, Any], object]]] = [
    ("check-in", lambda pat, cleo: sows(pat, 18, NOW)),
    ("danger symptom", lambda pat, cleo: actions.record_checkin(
        pat, pat.user, {"craving": [2]}, danger_symptoms=["seizure"],
        self_harm_thoughts=False, now=NOW)),
    ("logged use", lambda pat, cleo: actions.log_use(
        pat, pat.user, taken_at=NOW - timedelta(hours=2), amount=2, unit="g", now=NOW)),
    ("bedside COWS", lambda pat, cleo: bedside_actions.record_assessment(
        pat, cleo, "cows", {i.id: i.highest for i in get_instrument("cows").items},
        assessed_at=NOW)),
    ("taper started", lambda pat, cleo: start_taper(
        pat, pat.user, {**PLAN, "start": (NOW - timedelta(days=5)).date().isoformat()},
        now=NOW - timedelta(days=5))),
    ("check-in on a taper", lambda pat, cleo: checkins_on_a_taper(pat)),
    ("alert raised elsewhere", lambda pat, cleo: raise_alert(
        pat, rule="missed-followup", severity="warning", patient_message="-",
        clinician_message="Missed follow-up.", source="followup", now=NOW)),
]


@pytest.mark.parametrize("write", [w for _, w in WRITES], ids=[n for n, _ in WRITES])
def test_each_write_leaves_the_stored_triage_fresh(pat: Any, cleo: Any,
                                                   write: Callable[[Any, Any], object]) -> None:
    with time_machine.travel(NOW, tick=False):
        before = stored(pat)
        write(pat, cleo)
        assert stored(pat) == fresh(pat, NOW)
    assert stored(pat) != before or before == fresh(pat, NOW)


def test_acknowledging_and_taper_doses_update_the_stored_triage(pat: Any, cleo: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [2]}, danger_symptoms=["seizure"],
                           self_harm_thoughts=False, now=NOW)
    assert stored(pat)["tier"] == 1
    for alert in Alert.objects.filter(patient=pat, acknowledged_at=None):
        acknowledge_alert(alert, cleo, "Seen in clinic", now=NOW)
    assert stored(pat)["severity"] == -1 and stored(pat) == fresh(pat, NOW)

    record = start_taper(pat, pat.user, {**PLAN, "start": date(2026, 11, 1).isoformat()},
                         now=NOW - timedelta(days=19))
    due = stored(pat)["attention_day"]
    log_dose(record, pat.user, taken_at=NOW - timedelta(hours=1), amount="4", now=NOW)
    assert stored(pat) == fresh(pat, NOW)
    assert stored(pat)["attention_day"] != due  # the dose pushed the unlogged day back
    stop_taper(record, pat.user, reason="done", now=NOW)
    assert stored(pat) == fresh(pat, NOW)


def test_backfill_stores_what_the_writes_stored(cleo: Any, make_patient: Any) -> None:
    calm, rising = make_patient("calm", cleo), make_patient("rising", cleo)
    sows(calm, 3, NOW)
    sows(rising, 4, NOW - timedelta(days=1))
    sows(rising, 14, NOW)
    written = {p.pk: stored(p) for p in (calm, rising)}
    TriageState.objects.all().delete()
    assert refresh_many(Patient.objects.all(), NOW, chunk=1) == 2
    assert {p.pk: stored(p) for p in (calm, rising)} == written


def test_sweep_writes_the_stored_triage(pat: Any) -> None:
    TriageState.objects.all().delete()
    sweep(NOW)
    assert stored(pat) == fresh(pat, NOW)


def test_sql_order_is_the_rows_order_as_days_pass(cleo: Any, make_patient: Any) -> None:
    """A mixed caseload in three zones, ordered at several times without any write: the
    calendar-driven reasons (missed check-ins, unlogged taper doses) move patients into
    tier 3 in SQL exactly when the rows' own triage does."""
    people = {name: make_patient(name, cleo) for name in
              ("ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal")}
    for name, zone in (("cat", "Asia/Tokyo"), ("dan", "America/Los_Angeles"),
                       ("gus", "Asia/Tokyo")):
        people[name].timezone = zone
        people[name].save(update_fields=["timezone"])
    sows(people["ann"], 3, NOW - timedelta(days=1))
    sows(people["ben"], 4, NOW - timedelta(days=1))
    sows(people["ben"], 14, NOW)
    sows(people["cat"], 12, NOW - timedelta(days=2))
    sows(people["dan"], 6, NOW - timedelta(hours=20))
    actions.record_checkin(people["eve"], people["eve"].user, {"craving": [2]},
                           danger_symptoms=["chest-pain"], self_harm_thoughts=False, now=NOW)
    start_taper(people["fay"], people["fay"].user,
                {**PLAN, "start": NOW.date().isoformat()}, now=NOW)
    sows(people["gus"], 4, NOW - timedelta(days=1))
    sows(people["gus"], 14, NOW)
    update_sharing(people["gus"], people["gus"].user, checkins=False, journal=True,
                   plan=True)
    seen: set[int] = set()
    for hours in (1, 20, 30, 50, 75, 24 * 5, 24 * 9):
        at = NOW + timedelta(hours=hours)
        with time_machine.travel(at, tick=False):
            assert sql_order(cleo, at) == python_order(cleo, at), hours
            rows = python_rows(cleo, at)
            seen |= {r.priority.tier for r in rows}
            for tier in (1, 2, 3, 4):
                assert sql_order(cleo, at, str(tier)) == [
                    r.patient.pk for r in rows if r.priority.tier == tier], (hours, tier)
            assert sql_order(cleo, at, "attention") == [
                r.patient.pk for r in rows if r.priority.tier < 4]
    assert seen == {1, 2, 3, 4}  # the table reaches every tier


def test_a_patient_with_nothing_stored_is_listed_last_tier(cleo: Any, make_patient: Any) -> None:
    make_patient("new", cleo, onboard=False)
    with time_machine.travel(NOW, tick=False):
        now = timezone.now()
        assert sql_order(cleo, now) == python_order(cleo, now)
