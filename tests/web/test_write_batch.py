"""Writes collected in a block (common/write_batch.py) land as `save()` and `bulk_create()`
would put them, when the block ends, in the order they were made: on PostgreSQL as one
statement, on SQLite one by one; an error drops them with the transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kratom_recovery.web.clinic.models import TriageState
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import CheckIn, CurrentState, Patient
from kratom_recovery.web.safety.models import SafetyState
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

STATE_FIELDS = [f.attname for f in CurrentState._meta.concrete_fields]


def state_of(patient: Patient) -> CurrentState:
    return CurrentState.objects.get(patient=patient)


def statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


def triage(patient: Patient, tier: int) -> TriageState:
    return TriageState(patient=patient, tier=tier, private_tier=tier, updated_at=NOW)


@pytest.fixture
def checked_in(pat: Patient) -> Patient:
    actions.record_checkin(pat, pat.user, {"sows": [2] * 16, "craving": [4]}, now=NOW)
    return pat


def test_writes_land_when_the_block_ends(checked_in: Patient) -> None:
    state = state_of(checked_in)
    state.sows = [[NOW.isoformat(), 9, 1]]
    with transaction.atomic():
        with write_batch.collected():
            write_batch.update(state)
            write_batch.upsert([triage(checked_in, 2)], ["patient"], ["tier", "private_tier"])
            assert state_of(checked_in).sows != state.sows  # queued, not sent
            assert TriageState.objects.get(patient=checked_in).tier != 2
        assert state_of(checked_in).sows == state.sows
        assert TriageState.objects.get(patient=checked_in).tier == 2


def test_one_statement_on_postgresql_one_each_on_sqlite(checked_in: Patient, bob: Patient) -> None:
    state = state_of(checked_in)
    with (transaction.atomic(), CaptureQueriesContext(connection) as queries,
          write_batch.collected()):
        write_batch.update(state)
        write_batch.upsert([triage(checked_in, 3)], ["patient"], ["tier"])
        write_batch.upsert([triage(bob, 3)], ["patient"], ["tier"])
    sent = statements(queries)
    if connection.vendor == "postgresql":
        assert len(sent) == 1 and sent[0].startswith("WITH w0 AS (UPDATE"), sent
    else:
        assert len(sent) == 3, sent
    assert list(TriageState.objects.filter(patient__in=[checked_in, bob])
                .values_list("tier", flat=True)) == [3, 3]


def test_a_row_written_twice_lands_in_the_order_written(checked_in: Patient) -> None:
    with (transaction.atomic(), CaptureQueriesContext(connection) as queries,
          write_batch.collected()):
        write_batch.upsert([triage(checked_in, 1)], ["patient"], ["tier"])
        write_batch.upsert([triage(checked_in, 4)], ["patient"], ["tier"])
    assert TriageState.objects.get(patient=checked_in).tier == 4
    assert len(statements(queries)) == 2  # the first sent before the second was queued


def test_a_block_inside_another_joins_it(checked_in: Patient) -> None:
    with transaction.atomic():
        with write_batch.collected():
            with write_batch.collected():
                write_batch.upsert([triage(checked_in, 2)], ["patient"], ["tier"])
            assert TriageState.objects.get(patient=checked_in).tier != 2  # the outer sends
        assert TriageState.objects.get(patient=checked_in).tier == 2


def test_an_error_drops_the_queue_and_rolls_the_transaction_back(checked_in: Patient) -> None:
    before = TriageState.objects.get(patient=checked_in).tier
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), write_batch.collected():
            write_batch.upsert([triage(checked_in, 1)], ["patient"], ["tier"])
            _ = 1 / 0
        with pytest.raises(TransactionManagementError):
            TriageState.objects.get(patient=checked_in)  # nothing more in this transaction
    assert TriageState.objects.get(patient=checked_in).tier == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_each_write_is_sent_at_once(pat: Patient) -> None:
    with write_batch.collected():
        write_batch.upsert([triage(pat, 2)], ["patient"], ["tier"])
        assert TriageState.objects.get(patient=pat).tier == 2


def test_upsert_inserts_a_missing_row_and_updates_a_present_one(pat: Patient) -> None:
    SafetyState.objects.filter(patient=pat).delete()
    fields = ["evaluated_at", "source", "level", "level_name", "flags"]
    for source, flags in (("first", [{"id": "a"}]), ("second", [])):
        stored = SafetyState(patient=pat, evaluated_at=NOW, source=source, level="1",
                             level_name="one", flags=flags)
        with transaction.atomic(), write_batch.collected():
            write_batch.upsert([stored], ["patient"], fields)
        assert not stored._state.adding
    row = SafetyState.objects.get(patient=pat)
    assert (row.source, row.flags) == ("second", [])


def test_compiled_writes_store_what_save_stores(checked_in: Patient) -> None:
    """The second write of a shape runs SQL compiled by the first; a changed null (the
    follow-up) is a shape of its own. Each lands as save() would land it."""
    saved, batched = state_of(checked_in), state_of(checked_in)
    for followup in (None, {"answers": {"plan": False}, "created_at": NOW.isoformat()},
                     {"answers": {"plan": True}, "created_at": NOW.isoformat()}, None):
        moment = timezone.now()
        for row in (saved, batched):
            row.followup = followup
            row.sows = [*row.sows, [NOW.isoformat(), len(row.sows), 7]]
            row.updated_at = moment
        saved.save(force_update=True)
        expected = [getattr(state_of(checked_in), name) for name in STATE_FIELDS]
        CurrentState.objects.filter(patient=checked_in).update(valid=False, sows=[])
        with transaction.atomic(), write_batch.collected():
            write_batch.update(batched)
        assert [getattr(state_of(checked_in), name) for name in STATE_FIELDS] == expected


def test_the_check_in_path_runs_compiled_sql(checked_in: Patient,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """After one check-in, a second one builds no UPDATE or upsert query: every write on its
    path has a compiled shape."""
    actions.record_checkin(checked_in, checked_in.user, {"sows": [3] * 16, "craving": [5]},
                           now=NOW)
    built: list[Any] = []
    original = write_batch._statement

    def spy(*args: Any) -> Any:
        compiled = original(*args)
        built.append(args[1])
        return compiled

    monkeypatch.setattr(write_batch, "_statement", spy)
    actions.record_checkin(checked_in, checked_in.user, {"sows": [4] * 16, "craving": [6]},
                           now=NOW)
    known = write_batch._SQL[connections[DEFAULT_DB_ALIAS]]
    cached = [shape for shape in built if shape is not None]
    assert cached and all(shape in known for shape in cached)
    assert CheckIn.objects.get(patient=checked_in).responses.get(instrument="sows").total == 64


def test_upsert_takes_all_primary_keys_or_none(checked_in: Patient) -> None:
    with pytest.raises(ValueError, match="every object"):
        write_batch.upsert([SafetyState(pk=1, patient=checked_in), SafetyState(patient=checked_in)],
                           ["patient"], ["source"])
    with pytest.raises(ValueError, match="not a stored field"):
        write_batch.upsert(list(CheckIn.objects.filter(patient=checked_in)), ["id"],
                           ["responses"])
