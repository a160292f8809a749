"""The only writers of the suicide-risk assessment and the safety plan.

Each runs in a transaction, refuses bad input with InvalidInput naming the field (nothing is
written) and writes an audit entry. The plan is audited whoever saves it, the patient too:
the care team relies on it, as it does on a withdrawn red-flag answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.safety_plan import (
    MAX_CONTACTS,
    MAX_FACTOR,
    MAX_FACTORS,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_NAME,
    PLAN_SECTIONS,
    RISK_LEVELS,
    SECTION_BY_ID,
)
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_line, check_text
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.actions import raise_alert
from kratom_recovery.web.safety.models import SafetyPlanVersion, SuicideRiskAssessment

# A high rating opens a warning alert: it heads the chart's alert list and the caseload
# triage, and never pages anyone, since the clinician who rated it already knows
# [ref:assumption:design-rule].
HIGH_RISK_RULE: Final = "clinician-high-suicide-risk"
# A clock a little ahead of the server's is not a future assessment.
CLOCK_SLACK: Final = timedelta(minutes=5)
# What people write in a phone number: digits, spaces, dots, dashes, brackets, a leading +;
# 3 digits (211, 988) to 15 (the E.164 maximum).
PHONE_CHARS: Final = re.compile(r"\+?[0-9 ().\-]+")
PHONE_DIGITS: Final = (3, 15)


# --- suicide-risk assessment ------------------------------------------------------------------


def _factors(field: str, items: object) -> list[str]:
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise InvalidInput(field, _("must be a list of lines"))
    clean = [line for item in items if (line := check_line(field, item, MAX_FACTOR))]
    if len(clean) > MAX_FACTORS:
        raise InvalidInput(field, _("at most %(n)d items") % {"n": MAX_FACTORS})
    return clean


@transaction.atomic
def record_risk_assessment(
    patient: Patient, clinician: User, *, rating: object, reasons: object,
    risk_factors: object = (), protective_factors: object = (),
    assessed_at: datetime | None = None, via: str = "web", now: datetime | None = None,
) -> SuicideRiskAssessment:
    """The clinician's own rating (low, moderate or high) with the reasons for it."""
    now = now or timezone.now()
    if not isinstance(rating, str) or rating not in RISK_LEVELS:
        raise InvalidInput("rating", _("choose low, moderate or high"))
    text = check_text("reasons", reasons, required=True)
    risks = _factors("risk_factors", risk_factors)
    protective = _factors("protective_factors", protective_factors)
    when = assessed_at or now
    if when.tzinfo is None:
        raise InvalidInput("assessed_at", _("must include a time zone"))
    if when > now + CLOCK_SLACK:
        raise InvalidInput("assessed_at", _("is in the future"))
    row = SuicideRiskAssessment.objects.create(
        patient=patient, rating=rating, reasons=text, risk_factors=risks,
        protective_factors=protective, assessed_at=when, assessed_by=clinician,
        recorded_at=now,
    )
    audit.record(clinician, patient, "create", f"risk-assessment:{row.pk}", via=via)
    if rating == "high":
        raise_alert(
            patient, rule=HIGH_RISK_RULE, severity="warning",
            patient_message=_("Your safety plan is on the Get help now page, with 988 and "
                              "911."),
            clinician_message=_("Clinician-rated suicide risk: high. Review the safety plan "
                                "with the patient and agree on the next contact."),
            actions=("clinician-review",), source="risk-assessment",
            assumption=_("A high rating opens a warning that pages no one: our own choice "
                         "[ref:assumption:design-rule]."), now=now,
        )
    return row


def latest_assessment(patient: Patient) -> SuicideRiskAssessment | None:
    return (SuicideRiskAssessment.objects.filter(patient=patient)
            .select_related("assessed_by").first())


# --- safety plan ------------------------------------------------------------------------------


def check_phone(field: str, value: object) -> str:
    """A phone number as people write it, or empty."""
    phone = check_line(field, value, 40)
    if not phone:
        return ""
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE_CHARS.fullmatch(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise InvalidInput(field, _(
            "must be a phone number: %(low)d to %(high)d digits, optionally with +, spaces, "
            "dashes or brackets") % {"low": PHONE_DIGITS[0], "high": PHONE_DIGITS[1]})
    return phone


def _lines(field: str, items: object) -> list[str]:
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise InvalidInput(field, _("must be a list of lines"))
    clean = [line for item in items if (line := check_line(field, item, MAX_ITEM))]
    if len(clean) > MAX_ITEMS:
        raise InvalidInput(field, _("at most %(n)d lines") % {"n": MAX_ITEMS})
    return clean


def _contacts(section: str, items: object) -> list[dict[str, str]]:
    if isinstance(items, str) or not isinstance(items, Sequence):
        raise InvalidInput(section, _("must be a list of names with phone numbers"))
    clean = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise InvalidInput(f"{section}_{number}_name", _("must be a name and a number"))
        name = check_line(f"{section}_{number}_name", item.get("name"), MAX_NAME)
        phone = check_phone(f"{section}_{number}_phone", item.get("phone"))
        if phone and not name:
            raise InvalidInput(f"{section}_{number}_name", _("add a name for this number"))
        if name:
            clean.append({"name": name, "phone": phone})
    if len(clean) > MAX_CONTACTS:
        raise InvalidInput(section, _("at most %(n)d entries") % {"n": MAX_CONTACTS})
    return clean


def check_sections(sections: object) -> dict[str, list[Any]]:
    """Every section, checked: blank lines and empty rows dropped; unknown sections refused;
    at least one line somewhere."""
    if not isinstance(sections, Mapping):
        raise InvalidInput("sections", _("must map each section to its lines"))
    for key in sections:
        if key not in SECTION_BY_ID:
            raise InvalidInput(str(key), _("is not a section of the safety plan"))
    clean: dict[str, list[Any]] = {}
    for section in PLAN_SECTIONS:
        given = sections.get(section.id, [])
        clean[section.id] = (_contacts(section.id, given) if section.kind == "contacts"
                             else _lines(section.id, given))
    if not any(clean.values()):
        raise InvalidInput(PLAN_SECTIONS[0].id, _("write at least one line of the plan"))
    return clean


def current_plan(patient: Patient) -> SafetyPlanVersion | None:
    return (SafetyPlanVersion.objects.filter(patient=patient)
            .select_related("saved_by").first())


@transaction.atomic
def save_safety_plan(
    patient: Patient, actor: User, sections: object, *, base_version: int | None = None,
    via: str = "web", now: datetime | None = None,
) -> SafetyPlanVersion:
    """Save the plan as a new version. `base_version` is the version the writer started
    from: if someone saved in between, nothing is written and "version" says so. The same
    content as the plan in force writes nothing and returns it."""
    clean = check_sections(sections)
    latest = current_plan(patient)
    latest_number = latest.version if latest is not None else 0
    if base_version is not None and base_version != latest_number:
        raise InvalidInput("version", _(
            "the plan was changed since you opened it (now version %(n)d): reload it and "
            "make your changes again") % {"n": latest_number})
    if latest is not None and latest.sections == clean:
        return latest
    try:
        with transaction.atomic():  # a savepoint: a concurrent save of the same version
            row = SafetyPlanVersion.objects.create(
                patient=patient, version=latest_number + 1, sections=clean, saved_by=actor,
                saved_at=now or timezone.now())
    except IntegrityError:
        raise InvalidInput("version", _(
            "the plan was changed at the same moment: reload it and make your changes "
            "again")) from None
    audit.record(actor, patient, "create" if row.version == 1 else "update",
                 f"safety-plan:{row.version}", via=via, always=True)
    return row
