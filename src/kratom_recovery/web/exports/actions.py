"""Exports and data rights: the only writers of pseudonyms and retained records.

Every export of a patient's records by someone other than the patient is audited (action
"export"); deleting an account keeps the care team's records under the patient's pseudonym
and deletes everything else (docs/data-rights.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any, Final

from django.conf import settings
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.discharge import check_stay
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bundle import build_bundle
from kratom_recovery.care.research_csv import research_csv
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.clinic.models import ClinicalNote
from kratom_recovery.web.exports.discharge import document
from kratom_recovery.web.exports.models import DischargeSummary, Pseudonym, RetainedRecord
from kratom_recovery.web.exports.queries import personal_data, research_patients, to_export
from kratom_recovery.web.followup.models import Appointment
from kratom_recovery.web.messaging.models import Message
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import Alert, LevelOfCareDecision
from kratom_recovery.web.tapers.models import TaperPlanRecord

FORMAT_NAME: Final = "kratom-recovery-personal-data"
FORMAT_VERSION: Final = 1
# Care-team records kept when a patient deletes their account: (model, kind, author field).
# With an author field, only rows written by someone other than the patient are kept (a taper
# the patient set up themself is theirs and goes; a clinician's plan is a clinical record).
RETAINED: Final[tuple[tuple[type[models.Model], str, str | None], ...]] = (
    (ClinicalNote, "clinical-note", None),
    (Alert, "alert", None),
    (LevelOfCareDecision, "level-decision", None),
    (Appointment, "appointment", None),
    (TaperPlanRecord, "clinician-plan", "created_by"),
    (Message, "care-team-message", "author"),
)


def pseudonym_for(patient: Patient) -> str:
    """The patient's export pseudonym, made on first use and never changed."""
    record, _created = Pseudonym.objects.get_or_create(patient=patient)
    return record.value


def research_salt() -> bytes:
    """RESEARCH_SALT if the operator set one, else a key derived from SECRET_KEY for this one
    purpose (so the research ids and shifts change if either is rotated: docs/export.md)."""
    configured = str(getattr(settings, "RESEARCH_SALT", "") or "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"kratom_recovery.exports.research-salt",
                    hashlib.sha256).digest()


def fhir_export(
    patient: Patient,
    actor: User | None,
    *,
    pseudonymous: bool,
    include_questionnaires: bool = False,
    via: str = "web",
    now: datetime | None = None,
) -> dict[str, Any]:
    """One patient's FHIR bundle, audited as an export when someone else asks for it."""
    now = now or timezone.now()
    for_clinician = actor is None or actor.pk != patient.user_id
    data = to_export(patient, pseudonym_for(patient), now, for_clinician=for_clinician)
    bundle = build_bundle(data, now=now, pseudonymous=pseudonymous,
                          include_questionnaires=include_questionnaires)
    target = "fhir-pseudonymous" if pseudonymous else "fhir"
    audit.record(actor, patient, "export", target, via=via)
    return bundle


def research_export(
    actor: User | None, *, via: str = "web", patients: list[Patient] | None = None
) -> str:
    """The de-identified check-in table (every patient unless `patients` is given); one audit
    entry per patient included."""
    patients, inputs = research_patients(patients)
    text = research_csv(research_salt(), inputs)
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor=actor, patient=p, action="export", target="research-csv", via=via)
         for p in patients]
    )
    return text


def personal_download(patient: Patient, *, now: datetime | None = None) -> str:
    """Everything of the patient's own as JSON text, plus their (named) FHIR bundle."""
    now = now or timezone.now()
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "exported_at": now,
        **personal_data(patient),
        "fhir": fhir_export(patient, patient.user, pseudonymous=False, now=now),
    }
    return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


def _snapshot(pseudonym: Pseudonym, patient: Patient, now: datetime) -> list[RetainedRecord]:
    kept: list[RetainedRecord] = []
    for model, kind, author_field in RETAINED:
        rows = model._default_manager.filter(patient=patient).order_by("pk")
        if author_field is not None:
            rows = rows.exclude(**{author_field: patient.user})
        for row in json.loads(serializers.serialize("json", rows)):
            fields = {k: v for k, v in row["fields"].items() if k != "patient"}
            kept.append(RetainedRecord(pseudonym=pseudonym, kind=kind, source_id=row["pk"],
                                       data=fields, retained_at=now))
    return kept


def _remove_amendment_chains(patient: Patient) -> None:
    """Notes point at the note they amend with PROTECT, which would stop the cascade; they
    are already copied, so remove them newest-link first (leaves of each amendment chain)."""
    notes = ClinicalNote.objects.filter(patient=patient)
    while notes.filter(amendments=None).delete()[0]:
        pass


@transaction.atomic
def delete_account(patient: Patient, password: str, *, now: datetime | None = None) -> str:
    """Delete the patient's account and their own records; keep the care team's.

    The password must be the account's. Care-team records (notes, alerts and their
    acknowledgements, level-of-care decisions, clinician-written plans, appointments) are
    copied under the pseudonym before the cascade removes them. Audit entries are never
    rewritten: they keep their plain references (actor_ref, patient_ref) and are linked to the
    pseudonym here, and a redaction entry is appended to the patient's chain. Returns the
    pseudonym.
    """
    now = now or timezone.now()
    user = patient.user
    if not password or not user.check_password(password):
        raise InvalidInput("password", _("is not your current password; nothing was deleted"))
    pseudonym, _created = Pseudonym.objects.get_or_create(patient=patient)
    # Written as an action of "no one" (actor None): the account it would name is going.
    audit.record(None, patient, "delete", "account")
    audit.record(None, patient, "redact", "account-rows-removed", always=True)
    kept = _snapshot(pseudonym, patient, now)
    kept.extend(
        RetainedRecord(pseudonym=pseudonym, kind="audit-entry", source_id=entry_id,
                       retained_at=now)
        for entry_id in AuditEntry.objects.filter(patient=patient).values_list("pk", flat=True)
    )
    RetainedRecord.objects.bulk_create(kept)
    pseudonym.deleted_at = now
    pseudonym.save(update_fields=["deleted_at"])
    _remove_amendment_chains(patient)
    # Cascades to the Patient row and every record that points at it; the pseudonym is
    # SET_NULL and audit entries are left untouched (their foreign keys are DO_NOTHING).
    user.delete()
    return pseudonym.value


# ---------------------------------------------------------------------------------------------
# The discharge and transition summary


@transaction.atomic
def write_discharge_summary(patient: Patient, actor: User, data: dict[str, object], *,
                            now: datetime | None = None, via: str = "web") -> DischargeSummary:
    """The clinician's summary of a stay: the dates, where the patient goes next and their
    course note (care/discharge.py checks them and names a wrong field). Only the patient's
    care team writes one."""
    now = now or timezone.now()
    if not is_clinician_of(actor, patient):
        raise InvalidInput("role", _("only the patient's care team writes this"))
    stay = check_stay(data.get("admitted_on"), data.get("discharged_on"),
                      data.get("destination"), data.get("course_note"),
                      today=patient.today(now))
    row = DischargeSummary.objects.create(
        patient=patient, admitted_on=stay.admitted, discharged_on=stay.discharged,
        destination=stay.destination, course_note=stay.course_note, written_by=actor,
        written_at=now)
    audit.record(actor, patient, "create", f"discharge-summary:{row.pk}", via=via)
    return row


def discharge_document(row: DischargeSummary, actor: User, *, via: str = "web",
                       now: datetime | None = None) -> dict[str, Any]:
    """The summary as a FHIR document, audited as an export."""
    bundle = document(row, row.patient, pseudonym_for(row.patient), now)
    audit.record(actor, row.patient, "export", f"discharge-summary:{row.pk}", via=via)
    return bundle
