"""The safety sweep streams and shards: every onboarded patient is evaluated exactly once
across the shards, a chunk at a time; it evaluates from the current-state row, rebuilding a
row a write invalidated, and gives the same result as an evaluation from the tables."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.cli import main
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import CurrentState
from kratom_recovery.web.safety import engine
from kratom_recovery.web.safety.engine import Shard, sweep, sweep_ids
from kratom_recovery.web.safety.models import Alert, SafetyState
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cleo: Any, make_patient: Any) -> list[Any]:
    people = [make_patient(f"p{i}", cleo) for i in range(7)]
    make_patient("waiting", cleo, onboard=False)  # not onboarded: never swept
    return people


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_shards_cover_every_onboarded_patient_exactly_once(program: list[Any],
                                                           count: int) -> None:
    seen = [pk for index in range(count) for ids in sweep_ids(Shard(index, count), chunk=2)
            for pk in ids]
    assert sorted(seen) == sorted(p.pk for p in program)
    assert len(seen) == len(set(seen))


def test_each_chunk_is_bounded(program: list[Any]) -> None:
    chunks = list(sweep_ids(chunk=3))
    assert [len(c) for c in chunks] == [3, 3, 1]


def looked_at(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Patients the sweep settles: confirmed unchanged without a lock, or evaluated under
    their row's lock (sweep_one)."""
    done: list[int] = []
    confirms, sweep_one = engine.confirms, engine.sweep_one

    def confirming(patient: Any, *args: Any) -> bool:
        same = confirms(patient, *args)
        if same:
            done.append(patient.pk)
        return same

    def sweeping(patient: Any, now: Any) -> None:
        done.append(patient.pk)
        sweep_one(patient, now)

    monkeypatch.setattr(engine, "confirms", confirming)
    monkeypatch.setattr(engine, "sweep_one", sweeping)
    return done


def test_sharded_sweeps_evaluate_everyone_once(program: list[Any],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    done = looked_at(monkeypatch)
    later = NOW + timedelta(days=3)
    totals = [sweep(later, Shard(i, 3), chunk=2)["patients"] for i in range(3)]
    assert sum(totals) == len(program) == len(done) == len(set(done))


def content(patient: Any) -> tuple[Any, ...]:
    state = SafetyState.objects.get(patient=patient)
    return (state.phase, state.flags, state.highest_severity, state.level, state.reasons,
            state.recommendation, state.evidence)


def test_an_unchanged_evaluation_is_confirmed_without_a_lock_or_a_rewrite(
        program: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = NOW + timedelta(hours=1), NOW + timedelta(hours=2)
    with time_machine.travel(first, tick=False):
        sweep(first)
    before = {p.pk: content(p) for p in program}
    locked: list[int] = []
    sweep_one = engine.sweep_one

    def locking(patient: Any, now: Any) -> None:
        locked.append(patient.pk)
        sweep_one(patient, now)

    monkeypatch.setattr(engine, "sweep_one", locking)
    with time_machine.travel(second, tick=False):
        sweep(second)
    assert locked == []  # nothing changed in an hour: every patient confirmed
    assert {p.pk: content(p) for p in program} == before
    assert {s.evaluated_at for s in SafetyState.objects.filter(patient__in=program)} == {second}


def test_the_sweep_leaves_what_a_full_evaluation_would_store_and_raise(
        program: list[Any]) -> None:
    """Days pass between sweeps (missed check-ins, the withdrawal's course): whatever each
    sweep confirms or writes, the result is what an evaluation from the tables gives, and
    that evaluation finds no alert left to raise."""
    pat = program[0]
    actions.record_checkin(pat, pat.user, {"sows": [3] * 16, "craving": [8]}, now=NOW)
    for days in (1, 2, 5):
        when = NOW + timedelta(days=days)
        with time_machine.travel(when, tick=False):
            sweep(when)
            swept = {p.pk: content(p) for p in program}
            alerts = Alert.objects.count()
            for patient in program:
                engine.evaluate_and_store(patient, when, "sweep")  # from the tables
            assert {p.pk: content(p) for p in program} == swept, days
            assert Alert.objects.count() == alerts, days
    assert Alert.objects.filter(patient__in=program).exists()


def test_sweep_from_the_row_matches_an_evaluation_from_the_tables(program: list[Any]) -> None:
    pat = program[0]
    actions.record_checkin(pat, pat.user, {"sows": [2] * 16, "craving": [5]}, now=NOW)
    actions.log_use(pat, pat.user, taken_at=NOW + timedelta(hours=1), amount=2, unit="g",
                    now=NOW + timedelta(hours=1))  # invalidates the row
    assert not CurrentState.objects.get(patient=pat).valid
    later = NOW + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        engine.evaluate_and_store(pat, later, "sweep")  # from the tables
        from_tables = SafetyState.objects.get(patient=pat)
        sweep(later)
        from_row = SafetyState.objects.get(patient=pat)
    assert CurrentState.objects.get(patient=pat).valid  # rebuilt and kept
    assert (from_row.phase, from_row.flags, from_row.level) == (
        from_tables.phase, from_tables.flags, from_tables.level)


@pytest.mark.parametrize("text", ["2/2", "-1/3", "a/b", "1", "0/0", ""])
def test_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Shard.parse(text)
    assert caught.value.field == "shard"


def test_cli_shards(program: list[Any], capsys: pytest.CaptureFixture[str]) -> None:
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        counts = []
        for index in range(2):
            assert main(["safety-sweep", "--shard", f"{index}/2", "--format", "json"]) == 0
            counts.append(json.loads(capsys.readouterr().out)["patients"])
        assert main(["safety-sweep", "--shard", "2/2"]) == 2
    assert sum(counts) == len(program)
    assert "shard" in capsys.readouterr().err
