"""Write audit entries.

Access by someone other than the patient is recorded; the patient's own reads and routine
writes are not (their data is theirs). A patient's own action that others rely on, such as
withdrawing a red-flag answer, is recorded with `always=True`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from kratom_recovery.web.audit.models import AuditEntry

if TYPE_CHECKING:
    from kratom_recovery.web.accounts.models import User


class Patient(Protocol):
    """What this app needs of a patients.Patient: the patients app builds on this one, so it
    is described here rather than imported (docs/architecture.md)."""

    pk: Any
    user_id: int


def record(
    actor: User | None, patient: Patient, action: str, target: str, via: str = "web",
    *, always: bool = False,
) -> None:
    """Record access unless the actor is the patient themself and `always` is not set."""
    if not always and actor is not None and actor.pk == patient.user_id:
        return
    AuditEntry.objects.create(actor=actor, patient_id=patient.pk, action=action, target=target,
                              via=via)


def record_reads(actor: User, patient: Patient, targets: Iterable[str], via: str = "web") -> None:
    """One page showing several parts of one record (the chart): an entry per part, in a
    single insert, so the chain is appended to once per page."""
    if actor.pk == patient.user_id:
        return
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_id=actor.pk, patient_id=patient.pk, action="read", target=target,
                   via=via)
        for target in targets
    )


def record_many(
    actor: User, patients: Iterable[Patient], action: str, target: str, via: str = "web"
) -> None:
    """One entry per patient in a single insert (lists such as the caseload)."""
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_id=actor.pk, patient_id=patient.pk, action=action, target=target,
                   via=via)
        for patient in patients
        if patient.user_id != actor.pk
    )


def record_account_event(actor: User | None, subject: User, action: str, what: str,
                         via: str) -> None:
    """An account event (accounts/events.py): a second factor, a password reset, signing
    out everywhere. Not about a record, so no patient; the target names the account."""
    AuditEntry.objects.create(actor=actor, patient=None, action=action,
                              target=f"account:{subject.pk}:{what}"[:64], via=via)
