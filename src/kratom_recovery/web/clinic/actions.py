"""Clinician writes: notes and COWS ratings."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.clinic.models import ClinicalNote
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.hooks import after_write
from kratom_recovery.web.patients.models import Patient

NOTE_SECTIONS = ("subjective", "objective", "assessment", "plan")
MAX_SECTION = 5000


@transaction.atomic
def write_note(
    patient: Patient,
    author: User,
    sections: dict[str, str],
    *,
    amends: ClinicalNote | None = None,
    now: datetime | None = None,
) -> ClinicalNote:
    """Sign a note now. An amendment must point at a note about the same patient."""
    now = now or timezone.now()
    if not is_clinician_of(author, patient):
        raise InvalidInput("author", _("only the patient's clinician writes notes"))
    if amends is not None and amends.patient_id != patient.pk:
        raise InvalidInput("amends", _("an amendment must be about the same patient"))
    cleaned: dict[str, str] = {}
    for section in NOTE_SECTIONS:
        cleaned[section] = check_text(section, sections.get(section) or "", MAX_SECTION)
    if not any(cleaned.values()):
        raise InvalidInput("subjective", _("write at least one section"))
    note = ClinicalNote.objects.create(
        patient=patient, author=author, author_name=str(author), signed_at=now,
        amends=amends, **cleaned,
    )
    audit.record(author, patient, "create", f"note:{note.pk}")
    after_write(patient, author, now, "note")
    return note
