"""Every write to the journal goes through one function here (transaction, checks, audit)."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.db import transaction
from django.utils import timezone

from kratom_recovery.care.profile import check_number
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.patients.inputs import MOOD_RANGE
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.recovery.models import JournalEntry

MAX_JOURNAL: Final = 5000


def _mood(value: object) -> int | None:
    if value in (None, ""):
        return None
    return int(check_number("mood", value, low=MOOD_RANGE[0], high=MOOD_RANGE[1], integer=True))


@transaction.atomic
def add_journal_entry(
    patient: Patient, actor: User, *, text: str, mood: object = None, shared: bool = False,
    now: datetime | None = None,
) -> JournalEntry:
    """A new entry; private unless `shared` (the clinician still needs journal consent)."""
    entry = JournalEntry.objects.create(
        patient=patient,
        written_at=now or timezone.now(),
        text=check_text("text", text, MAX_JOURNAL, required=True),
        mood=_mood(mood),
        shared=bool(shared),
    )
    audit.record(actor, patient, "create", f"journal:{entry.pk}")
    return entry


@transaction.atomic
def update_journal_entry(
    entry: JournalEntry, actor: User, *, text: str, mood: object = None, shared: bool = False,
) -> JournalEntry:
    entry.text = check_text("text", text, MAX_JOURNAL, required=True)
    entry.mood = _mood(mood)
    entry.shared = bool(shared)
    entry.save(update_fields=["text", "mood", "shared"])
    audit.record(actor, entry.patient, "update", f"journal:{entry.pk}")
    return entry
