"""How the care team reaches a patient: phone, e-mail and an emergency contact.

All optional. The e-mail address is the account's (`User.email`), the single address used
for password resets, reminders and message notices; the rest is on `Patient`. The
emergency contact is shown to the care team only on emergency alerts, and only once the
patient has agreed (`emergency_consent_at`); nothing is ever sent to it. This module is the
only writer of these fields.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_line
from kratom_recovery.web.patients.models import Patient

PHONE_MIN: Final = 7
PHONE_MAX: Final = 20
# Digits, spaces, +, -, and parentheses: what people write on a form, in any country.
PHONE_PATTERN: Final = r"^[0-9 +()\-]{7,20}$"
PHONE_CHARACTERS: Final = re.compile(r"[0-9 +()\-]*")
EMAIL_MAX: Final = 254  # User.email's column
NAME_MAX: Final = 80
RELATIONSHIP_MAX: Final = 40
FIELDS: Final = ("phone", "email", "emergency_name", "emergency_phone",
                 "emergency_relationship", "emergency_consent")


@dataclass(frozen=True)
class Contact:
    """Checked contact details; empty strings for what the patient left out."""

    phone: str = ""
    email: str = ""
    emergency_name: str = ""
    emergency_phone: str = ""
    emergency_relationship: str = ""
    emergency_consent: bool = False


def check_phone(field: str, value: object) -> str:
    """A phone number as people write it; empty is allowed (the field is optional)."""
    text = check_line(field, value, 200)
    if not text:
        return ""
    if not PHONE_CHARACTERS.fullmatch(text):
        raise InvalidInput(field, _("may contain only digits, spaces, +, - and parentheses"))
    if not PHONE_MIN <= len(text) <= PHONE_MAX:
        raise InvalidInput(field, _("must be %(low)d to %(high)d characters long")
                           % {"low": PHONE_MIN, "high": PHONE_MAX})
    if not any(c.isdigit() for c in text):
        raise InvalidInput(field, _("must contain digits"))
    return text


def check_email(field: str, value: object) -> str:
    text = check_line(field, value, EMAIL_MAX)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise InvalidInput(field, _("is not an e-mail address (name@example.org)")) from None
    return text


def parse_contact(data: Mapping[str, object]) -> Contact:
    """Check every field; InvalidInput names the first that is wrong. Pure: writes nothing."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], _("unknown field; allowed: %(fields)s")
                           % {"fields": ", ".join(FIELDS)})
    contact = Contact(
        phone=check_phone("phone", data.get("phone")),
        email=check_email("email", data.get("email")),
        emergency_name=check_line("emergency_name", data.get("emergency_name"), NAME_MAX),
        emergency_phone=check_phone("emergency_phone", data.get("emergency_phone")),
        emergency_relationship=check_line(
            "emergency_relationship", data.get("emergency_relationship"), RELATIONSHIP_MAX),
        emergency_consent=data.get("emergency_consent") is True,
    )
    if contact.emergency_name and not contact.emergency_phone:
        raise InvalidInput("emergency_phone", _("is needed with the emergency contact's name"))
    if contact.emergency_phone and not contact.emergency_name:
        raise InvalidInput("emergency_name", _("is needed with the emergency contact's phone"))
    if contact.emergency_relationship and not contact.emergency_name:
        raise InvalidInput("emergency_name", _("is needed with the relationship"))
    if contact.emergency_consent and not contact.emergency_name:
        raise InvalidInput("emergency_consent",
                           _("needs an emergency contact: add their name and phone first"))
    return contact


def contact_of(patient: Patient) -> Contact:
    """What is stored now, in the shape `parse_contact` returns (forms' initial values)."""
    return Contact(
        phone=patient.phone, email=patient.user.email, emergency_name=patient.emergency_name,
        emergency_phone=patient.emergency_phone,
        emergency_relationship=patient.emergency_relationship,
        emergency_consent=patient.emergency_consent_at is not None,
    )


@transaction.atomic
def update_contact(patient: Patient, actor: User, contact: Contact, *, via: str = "web",
                   now: datetime | None = None) -> Patient:
    """Store checked contact details. Consent keeps its first date while it stays given;
    taking it back (or removing the contact) clears it at once."""
    now = now or timezone.now()
    patient.phone = contact.phone
    patient.emergency_name = contact.emergency_name
    patient.emergency_phone = contact.emergency_phone
    patient.emergency_relationship = contact.emergency_relationship
    if not contact.emergency_consent:
        patient.emergency_consent_at = None
    elif patient.emergency_consent_at is None:
        patient.emergency_consent_at = now
    patient.save(update_fields=["phone", "emergency_name", "emergency_phone",
                                "emergency_relationship", "emergency_consent_at"])
    user = patient.user
    if user.email != contact.email:
        user.email = contact.email
        user.save(update_fields=["email"])
    audit.record(actor, patient, "update", "contact", via=via)
    return patient
