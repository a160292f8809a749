"""Every write of the recovery tools goes through one function here.

Each runs in a transaction, validates (InvalidInput names the field, so the view can show it
on the form) and writes an audit entry; audit.record skips the patient's own actions, so an
entry appears only when someone else acts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care import exercises
from kratom_recovery.care.coping import COPING_BY_ID
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import UNITS
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_line, check_text
from kratom_recovery.web.patients.models import Patient, UseEvent
from kratom_recovery.web.recovery.models import (
    CopingFeedback,
    ExerciseEntry,
    LapseReflection,
    RecoverySettings,
    RelapsePlan,
    SharingConsent,
)
from kratom_recovery.web.safety.actions import raise_alert

MAX_PLAN_ITEMS: Final = 12
MAX_PLAN_ITEM: Final = 300
MAX_PEOPLE: Final = 5
MAX_PRICE: Final = Decimal("100000")
PLAN_LISTS: Final = ("triggers", "warning_signs", "coping_actions", "reasons")
# A phone number as people type it: digits with spaces, dots, dashes, brackets and a leading
# "+"; 3 digits (988, 911) to 15 (the E.164 maximum).
PHONE_CHARS: Final = re.compile(r"^\+?[0-9 ().\-]+$")
PHONE_DIGITS: Final = (3, 15)
LAPSE_RULE: Final = "lapse-reported"


# --- coping -----------------------------------------------------------------------------------


@transaction.atomic
def record_coping_feedback(
    patient: Patient, actor: User, entry_id: str, helped: bool, *, now: datetime | None = None
) -> CopingFeedback:
    """"It helped" / "it didn't": the counts move that entry up or down in later suggestions."""
    if entry_id not in COPING_BY_ID:
        raise InvalidInput("entry_id", _("unknown coping suggestion"))
    if not isinstance(helped, bool):
        raise InvalidInput("helped", _("must be yes or no"))
    feedback = CopingFeedback.objects.create(
        patient=patient, entry_id=entry_id, helped=helped, created_at=now or timezone.now()
    )
    audit.record(actor, patient, "create", f"coping-feedback:{feedback.pk}")
    return feedback


# --- exercises --------------------------------------------------------------------------------


@transaction.atomic
def save_exercise(
    patient: Patient, actor: User, exercise_id: str, data: Mapping[str, Any], *,
    now: datetime | None = None,
) -> ExerciseEntry:
    """Store a completed exercise exactly as the core's validate_entry returns it."""
    clean = exercises.validate_entry(exercise_id, data)
    entry = ExerciseEntry.objects.create(
        patient=patient, exercise_id=exercise_id, data=clean, created_at=now or timezone.now()
    )
    audit.record(actor, patient, "create", f"exercise:{entry.pk}")
    return entry


# --- relapse-prevention plan ------------------------------------------------------------------


def check_phone(field: str, value: str) -> str:
    phone = value.strip()
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE_CHARS.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise InvalidInput(field, _(
            "must be a phone number: %(low)d to %(high)d digits, optionally with +, spaces, "
            "dashes or brackets"
        ) % {"low": PHONE_DIGITS[0], "high": PHONE_DIGITS[1]})
    return phone


def _plan_list(field: str, items: Sequence[object]) -> list[str]:
    clean = [check_line(field, item, MAX_PLAN_ITEM) for item in items]
    clean = [item for item in clean if item]
    if len(clean) > MAX_PLAN_ITEMS:
        raise InvalidInput(field, _("at most %(n)d items") % {"n": MAX_PLAN_ITEMS})
    return clean


def _people(people: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    clean = []
    for number, person in enumerate(people, start=1):
        name = check_line(f"person_{number}_name", person.get("name"), 80)
        phone = check_line(f"person_{number}_phone", person.get("phone"), 40)
        if not name and not phone:
            continue
        if not name:
            raise InvalidInput(f"person_{number}_name", _("add a name for this number"))
        if not phone:
            raise InvalidInput(f"person_{number}_phone", _("add a number for this person"))
        clean.append({"name": name, "phone": check_phone(f"person_{number}_phone", phone)})
    if len(clean) > MAX_PEOPLE:
        raise InvalidInput("people", _("at most %(n)d people") % {"n": MAX_PEOPLE})
    return clean


@transaction.atomic
def save_relapse_plan(
    patient: Patient, actor: User, *, triggers: Sequence[object] = (),
    warning_signs: Sequence[object] = (), coping_actions: Sequence[object] = (),
    people: Sequence[Mapping[str, object]] = (), reasons: Sequence[object] = (),
    naloxone: object = "", now: datetime | None = None,
) -> RelapsePlan:
    """Create or replace the plan; blank lines and empty person rows are dropped."""
    fields: dict[str, Any] = {
        "naloxone": check_line("naloxone", naloxone or "", MAX_PLAN_ITEM),
        "triggers": _plan_list("triggers", triggers),
        "warning_signs": _plan_list("warning_signs", warning_signs),
        "coping_actions": _plan_list("coping_actions", coping_actions),
        "reasons": _plan_list("reasons", reasons),
        "people": _people(people),
        "updated_at": now or timezone.now(),
    }
    plan, created = RelapsePlan.objects.update_or_create(patient=patient, defaults=fields)
    audit.record(actor, patient, "create" if created else "update", "relapse-plan")
    return plan


# --- lapses -----------------------------------------------------------------------------------


@transaction.atomic
def record_lapse(
    patient: Patient, actor: User, *, use_event: UseEvent | None, trigger: str = "",
    feelings: str = "", plan_change: str = "", tell_clinician: bool = False,
    now: datetime | None = None,
) -> LapseReflection:
    """Keep the person's own account of a lapse; tell the clinician only if they ask us to."""
    now = now or timezone.now()
    if use_event is not None and use_event.patient_id != patient.pk:
        raise InvalidInput("use_event", _("not your logged use"))
    if tell_clinician and patient.clinician_id is None:
        raise InvalidInput("tell_clinician", _("you are not connected with a clinician yet"))
    reflection = LapseReflection.objects.create(
        patient=patient,
        use_event=use_event,
        trigger=check_text("trigger", trigger),
        feelings=check_text("feelings", feelings),
        plan_change=check_text("plan_change", plan_change),
        told_clinician=bool(tell_clinician),
        created_at=now,
    )
    if tell_clinician:
        when = (use_event.taken_at if use_event else now).astimezone(patient.zone)
        parts = [_("%(name)s reported a lapse (use on %(when)s) and asked us to tell you.") % {
            "name": patient.display_name, "when": when.strftime("%Y-%m-%d %H:%M")}]
        if reflection.trigger:
            parts.append(_("What happened: %(text)s") % {"text": reflection.trigger[:300]})
        if reflection.plan_change:
            parts.append(_("Plan change: %(text)s") % {"text": reflection.plan_change[:300]})
        raise_alert(
            patient,
            rule=LAPSE_RULE,
            severity="info",
            patient_message=_("Your clinician has been told about your lapse."),
            clinician_message=" ".join(parts),
            source="lapse",
            now=now,
        )
    audit.record(actor, patient, "create", f"lapse:{reflection.pk}")
    return reflection


# --- progress settings ------------------------------------------------------------------------


@transaction.atomic
def save_recovery_settings(
    patient: Patient, actor: User, *, price_per_unit: object, price_unit: str,
    currency: str = "$", now: datetime | None = None,
) -> RecoverySettings:
    """The person's own price per unit, for money saved. A blank price clears it."""
    price: Decimal | None = None
    if price_per_unit not in (None, ""):
        try:
            price = Decimal(str(price_per_unit).strip())
        except InvalidOperation:
            raise InvalidInput("price_per_unit", _("must be a number")) from None
        if not price.is_finite() or price < 0 or price > MAX_PRICE:
            raise InvalidInput("price_per_unit", _("must be a number from 0 to %(max)s") % {
                "max": MAX_PRICE})
        price = price.quantize(Decimal("0.01"))
    if price_unit and price_unit not in UNITS:
        raise InvalidInput("price_unit", _("must be one of %(units)s") % {
            "units": ", ".join(UNITS)})
    if price is not None and not price_unit:
        raise InvalidInput("price_unit", _("say what the price is for"))
    symbol = check_line("currency", currency, 3) or "$"
    settings, created = RecoverySettings.objects.update_or_create(
        patient=patient,
        defaults={"price_per_unit": price, "price_unit": price_unit, "currency": symbol,
                  "updated_at": now or timezone.now()},
    )
    audit.record(actor, patient, "create" if created else "update", "recovery-settings")
    return settings


# --- sharing consent --------------------------------------------------------------------------


@transaction.atomic
def update_sharing(
    patient: Patient, actor: User, *, checkins: bool, journal: bool, plan: bool,
    now: datetime | None = None,
) -> SharingConsent:
    """Set what the clinician may see; panels check it on every load, so it applies at once."""
    if actor.pk != patient.user_id:
        raise InvalidInput("sharing", _("only the patient can change what is shared"))
    consent, _created = SharingConsent.objects.update_or_create(
        patient=patient,
        defaults={"checkins": bool(checkins), "journal": bool(journal), "plan": bool(plan),
                  "updated_at": now or timezone.now()},
    )
    patient.sharing_consent = consent  # what this request shows next (recovery/consent.py)
    return consent
