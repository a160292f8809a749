"""The audit log's hash chains: one per patient plus a system chain, verified end to end,
and (on PostgreSQL) a trigger that refuses UPDATE and DELETE."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import pairwise
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from kratom_recovery.cli import main
from kratom_recovery.web.audit import log
from kratom_recovery.web.audit.chain import SYSTEM_CHAIN, patient_ref, verify
from kratom_recovery.web.audit.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@contextmanager
def tampering() -> Iterator[Any]:
    """A raw cursor that bypasses the append-only trigger (as a database owner could)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if ON_POSTGRES:
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor


def entries(ref: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(chain_key=ref).order_by("seq"))


def test_entries_chain_per_patient_and_verify(cleo: Any, pat: Any, bob: Any) -> None:
    log.record(cleo, pat, "read", "chart")
    log.record(cleo, bob, "read", "chart")
    log.record_many(cleo, [pat, bob], "read", "caseload")
    AuditEntry.objects.create(actor=cleo, patient=None, action="update", target="program")
    chain = entries(patient_ref(pat.pk))
    assert [e.target for e in chain][-2:] == ["chart", "caseload"]
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(chain))
    assert chain[-1].actor_ref == str(cleo.pk) and chain[-1].patient_ref == patient_ref(pat.pk)
    assert patient_ref(pat.pk) != patient_ref(bob.pk)
    system = entries(SYSTEM_CHAIN)
    assert system[-1].target == "program" and system[-1].patient_ref == ""
    head = AuditChainHead.objects.get(chain_key=patient_ref(pat.pk))
    assert (head.count, head.last_hash) == (len(chain), chain[-1].hash)
    assert verify() == (AuditEntry.objects.count(), None)
    assert main(["audit", "verify"]) == 0


def test_edited_entry_is_named(cleo: Any, pat: Any, capsys: pytest.CaptureFixture[str]) -> None:
    log.record(cleo, pat, "read", "chart")
    log.record(cleo, pat, "export", "fhir")
    first = entries(patient_ref(pat.pk))[-2]
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET target = %s WHERE id = %s",
                       ["nothing", first.pk])
    broken = verify()[1]
    assert broken is not None and broken.entry_id == first.pk
    assert "does not match its hash" in broken.reason
    capsys.readouterr()
    assert main(["audit", "verify"]) == 1
    assert f"entry {first.pk}" in capsys.readouterr().out


def test_removed_entries_are_found(cleo: Any, pat: Any) -> None:
    for target in ("chart", "timeline", "notes"):
        log.record(cleo, pat, "read", target)
    chain = entries(patient_ref(pat.pk))
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [chain[-2].pk])
    broken = verify()[1]
    assert broken is not None and broken.entry_id == chain[-1].pk
    assert "missing" in broken.reason
    with tampering() as cursor:  # now remove the tail too: the head no longer matches
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [chain[-1].pk])
    broken = verify()[1]
    assert broken is not None and broken.entry_id is None and "removed" in broken.reason


def test_model_refuses_update_and_delete(cleo: Any, pat: Any) -> None:
    log.record(cleo, pat, "read", "chart")
    entry = AuditEntry.objects.filter(patient=pat).first()
    assert entry is not None
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_deleting_a_clinician_leaves_entries_untouched(cleo: Any, otto: Any, pat: Any) -> None:
    log.record(otto, pat, "read", "chart")
    ref = str(otto.pk)
    before = list(AuditEntry.objects.filter(actor_ref=ref).values())
    otto.delete()
    after = list(AuditEntry.objects.filter(actor_ref=ref).values())
    assert before == after and verify()[1] is None


@pytest.mark.skipif(not ON_POSTGRES, reason="the append-only trigger is PostgreSQL's")
def test_postgres_trigger_refuses_update_and_delete(cleo: Any, pat: Any) -> None:
    log.record(cleo, pat, "read", "chart")
    entry = AuditEntry.objects.filter(patient=pat).first()
    assert entry is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(target="nothing")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).target == "chart"
