"""The current-state row (patients/state.py) gives the safety evaluation the same data as the
tables, after every kind of write, and is rebuilt after the writes it does not follow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.models import CurrentState, Patient
from kratom_recovery.web.safety import engine
from kratom_recovery.web.safety.actions import record_suicide_followup
from kratom_recovery.web.tapers.actions import log_dose, start_taper
from kratom_recovery.web.tapers.models import TaperPlanRecord
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db
EXTRA = get_instrument("daily-extra")
ROW_FIELDS = ("last_checkin_id", "checkin_responses", "latest", "sows_since", "sows",
              "doses_since", "doses", "uses")


def sows(value: int) -> list[int]:
    return [value] * 16


def assert_same_as_tables(patient: Patient, when: datetime) -> CurrentState:
    """Gathered from the row == gathered from the tables, now and later; and the row a
    check-in kept equals one rebuilt from the tables."""
    with transaction.atomic():
        state = current_state.lock(patient)
        assert state.valid
        for later in (when, when + timedelta(hours=5), when + timedelta(days=3)):
            assert engine.gather_from_state(patient, state, later) == \
                engine.gather_from_tables(patient, later)
        rebuilt = current_state.lock(patient)
        current_state.rebuild(rebuilt, patient)
        for name in ROW_FIELDS:
            assert getattr(state, name) == getattr(rebuilt, name), name
    return state


def checkin(patient: Patient, when: datetime, **fields: Any) -> None:
    answers = fields.pop("answers", {"sows": sows(2), "craving": [4]})
    actions.record_checkin(patient, patient.user, answers, now=when, **fields)


def test_every_write_then_a_checkin_keeps_the_row_equal_to_the_tables(
    pat: Patient, cleo: Any
) -> None:
    day = NOW - timedelta(days=6)
    checkin(pat, day, mood=3)  # after onboarding: the row is rebuilt
    assert_same_as_tables(pat, day)
    checkin(pat, day + timedelta(hours=2), answers={"sows": sows(3)},
            danger_symptoms=["chest-pain"])  # same day: an update
    assert_same_as_tables(pat, day + timedelta(hours=2))
    checkin(pat, day + timedelta(days=1), temperature_c="38.6",
            answers={"sows": sows(4), "craving": [6],
                     "daily-extra": [*[2] * (len(EXTRA.items) - 1), 110]})
    assert_same_as_tables(pat, day + timedelta(days=1))

    writes: list[tuple[str, Callable[[datetime], object]]] = [
        ("questionnaire", lambda at: actions.record_questionnaire(
            pat, pat.user, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1], now=at)),
        ("cows by the clinician", lambda at: actions.record_questionnaire(
            pat, cleo, "cows", [1] * 10 + [0], now=at)),
        ("logged use", lambda at: actions.log_use(
            pat, pat.user, taken_at=(at - timedelta(hours=3)).isoformat(), amount=2, unit="g",
            now=at)),
        ("follow-up", lambda at: record_suicide_followup(pat, pat.user, {"thoughts-now": True},
                                                         now=at)),
        ("taper", lambda at: start_taper(pat, pat.user, {
            "product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
            "strategy": "percent", "rate_percent": "10", "step_days": 7,
            "start": pat.today(at).isoformat()}, now=at)),
        ("taper dose", lambda at: log_dose(
            TaperPlanRecord.objects.get(patient=pat, active=True), pat.user,
            taken_at=at.isoformat(), amount="4", now=at)),
    ]
    when = day + timedelta(days=1)
    for name, write in writes:
        when += timedelta(hours=6)
        write(when)
        assert not CurrentState.objects.get(patient=pat).valid, name  # marked for a rebuild
        when += timedelta(hours=1)
        checkin(pat, when)  # rebuilt from the tables
        assert_same_as_tables(pat, when)
        when += timedelta(hours=1)
        checkin(pat, when, answers={"sows": sows(1)})  # kept from the row
        assert_same_as_tables(pat, when)


def test_an_offline_checkin_for_an_earlier_day_reads_the_tables(pat: Patient) -> None:
    checkin(pat, NOW - timedelta(days=1))
    checkin(pat, NOW)
    actions.record_checkin(pat, pat.user, {"sows": sows(4)}, now=NOW + timedelta(hours=1),
                           completed_at=(NOW - timedelta(days=1)).isoformat())
    assert_same_as_tables(pat, NOW + timedelta(hours=1))


def test_a_time_before_the_latest_sows_is_read_from_the_tables(pat: Patient) -> None:
    checkin(pat, NOW)
    with transaction.atomic():
        state = current_state.lock(pat)
        with pytest.raises(engine.NotInState):
            engine.gather_from_state(pat, state, NOW - timedelta(hours=1))


def test_the_command_rebuilds_every_row(pat: Patient, bob: Patient) -> None:
    checkin(pat, NOW)
    CurrentState.objects.all().update(valid=False, latest={}, sows=[])
    call_command("rebuild_current_state", stdout=None)
    assert CurrentState.objects.filter(valid=True).count() == 2
    assert_same_as_tables(pat, NOW)
