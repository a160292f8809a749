"""The patient's contact details and emergency contact (patients/contact.py).

Only the patient reads and writes this record: the care team sees the phone number and
e-mail address on the patient record, and the emergency contact only on emergency alerts.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.api.endpoints.patients import (
    ERRORS,
    WRITE_ERRORS,
    PatientId,
    patient_for,
)
from kratom_recovery.web.api.schemas import Line
from kratom_recovery.web.patients.contact import (
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    PHONE_PATTERN,
    RELATIONSHIP_MAX,
    contact_of,
    parse_contact,
    update_contact,
)
from kratom_recovery.web.patients.models import Patient

router = Router(tags=["contact"])
PHONE_FIELD = Field("", description=f"empty for none, or {PHONE_PATTERN} (digits, spaces, "
                    "+, - and parentheses, 7 to 20 characters)")


class ContactIn(Schema):
    phone: Line(PHONE_MAX) = PHONE_FIELD  # type: ignore[valid-type]
    email: Line(EMAIL_MAX) = Field("", description="empty for none")  # type: ignore[valid-type]
    emergency_name: Line(NAME_MAX) = ""  # type: ignore[valid-type]
    emergency_phone: Line(PHONE_MAX) = PHONE_FIELD  # type: ignore[valid-type]
    emergency_relationship: Line(RELATIONSHIP_MAX) = ""  # type: ignore[valid-type]
    emergency_consent: bool = Field(
        False, description="My care team may see my emergency contact in an emergency")


class ContactOut(Schema):
    phone: str
    email: str
    emergency_name: str
    emergency_phone: str
    emergency_relationship: str
    emergency_consent_at: datetime | None


def contact_out(patient: Patient) -> ContactOut:
    data = asdict(contact_of(patient))
    data.pop("emergency_consent")
    return ContactOut(**data, emergency_consent_at=patient.emergency_consent_at)


@router.get("/patients/{patient_id}/contact", response={200: ContactOut, **ERRORS})
def get_contact(request: HttpRequest, patient_id: int = PatientId) -> ContactOut:
    """The patient's own contact details and emergency contact (patients only)."""
    _, patient = patient_for(request, patient_id, Role.PATIENT)
    return contact_out(patient)


@router.put("/patients/{patient_id}/contact", response={200: ContactOut, **WRITE_ERRORS})
def put_contact(request: HttpRequest, payload: ContactIn,
                patient_id: int = PatientId) -> ContactOut:
    """Replace the contact details; leave a field empty to remove it. Consent keeps the
    date it was first given while it stays true."""
    user, patient = patient_for(request, patient_id, Role.PATIENT)
    update_contact(patient, user, parse_contact(payload.model_dump()), via="api")
    return contact_out(patient)
