"""Every state change to a patient's records goes through one function here.

Each runs in a transaction, validates through the pure core (InvalidInput names the field),
writes the audit entry when someone other than the patient acts, and re-evaluates safety.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care import instruments
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import (
    AMOUNT_DECIMALS,
    MAX_AMOUNT_PER_DAY,
    UNITS,
    check_choice,
    check_number,
    parse_datetime,
    parse_profile,
)
from kratom_recovery.web.accounts.actions import check_new_credentials, find_invite
from kratom_recovery.web.accounts.models import InviteCode, Role, User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common import write_batch
from kratom_recovery.web.common.text import check_line, check_text
from kratom_recovery.web.common.zones import check_timezone
from kratom_recovery.web.patients import care_team
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.hooks import after_write
from kratom_recovery.web.patients.inputs import PLAIN_FIELDS, CheckinInput
from kratom_recovery.web.patients.models import (
    CheckIn,
    CurrentState,
    InstrumentResponse,
    Patient,
    UseEvent,
    UseProfile,
)


@transaction.atomic
def complete_onboarding(
    patient: Patient, actor: User, data: Mapping[str, Any], *, now: datetime | None = None
) -> UseProfile:
    """Store (or replace) the use profile. `data` follows docs/profile.md plus `timezone`."""
    now = now or timezone.now()
    zone = check_timezone(str(data.get("timezone") or patient.timezone))
    domain = parse_profile(data, now=now)
    if domain.last_dose is None:
        raise InvalidInput("last_dose", _("is required"))
    fields = {
        "product": domain.product,
        "amount_per_day": Decimal(str(round(domain.amount_per_day, 2))),
        "unit": domain.unit,
        "doses_per_day": domain.doses_per_day,
        "years_of_use": Decimal(str(round(domain.years_of_use, 1))),
        "last_dose": domain.last_dose,
        "other_substances": sorted(domain.other_substances),
        "medications": list(domain.medications),
        "conditions": sorted(domain.conditions),
        "age": domain.age,
        "support": domain.support,
        "previous_attempts": domain.previous_attempts,
        "goal": domain.goal,
        "dependence": sorted(domain.dependence),
        "sex": domain.sex or "",
        "updated_at": now,
    }
    profile, created = UseProfile.objects.update_or_create(patient=patient, defaults=fields)
    patient.timezone = zone
    if patient.last_use_at is None or domain.last_dose > patient.last_use_at or created:
        patient.last_use_at = domain.last_dose
    patient.onboarded_at = patient.onboarded_at or now
    patient.save(update_fields=["timezone", "last_use_at", "onboarded_at"])
    audit.record(actor, patient, "create" if created else "update", "profile")
    after_write(patient, actor, now, "onboarding")
    return profile


def build_response(
    patient: Patient,
    actor: User,
    instrument_id: str,
    answers: Sequence[object],
    *,
    checkin: CheckIn | None = None,
    now: datetime,
) -> InstrumentResponse:
    """A scored response, not yet saved."""
    score = instruments.score(instrument_id, answers)
    data = score.as_dict()
    return InstrumentResponse(
        patient=patient,
        checkin=checkin,
        instrument=score.instrument,
        version=score.version,
        answers=[item["value"] for item in data["items"]],
        total=score.total,
        max_total=score.max,
        band=data["band"] or "",
        flags=data["flags"],
        recorded_at=now,
        recorded_by=actor,
    )


def store_response(
    patient: Patient,
    actor: User,
    instrument_id: str,
    answers: Sequence[object],
    *,
    checkin: CheckIn | None = None,
    now: datetime,
) -> InstrumentResponse:
    response = build_response(patient, actor, instrument_id, answers, checkin=checkin, now=now)
    response.save(force_insert=True)
    return response


# What a re-answered instrument's row gets from the new answers.
RESPONSE_FIELDS = ("version", "answers", "total", "max_total", "band", "flags", "recorded_at",
                   "recorded_by")


@dataclass(frozen=True)
class CheckinWrite:
    """What a check-in write did: the day's check-in, whether it was new, and all its
    responses when the current-state row knows them (None: read them from the table)."""

    checkin: CheckIn
    created: bool
    responses: list[InstrumentResponse] | None


def record_checkin(
    patient: Patient,
    actor: User,
    entry: CheckinInput | Mapping[str, Sequence[object]],
    *,
    now: datetime | None = None,
    via: str = "web",
    **fields: object,
) -> CheckIn:
    """Create today's check-in, or update it when the patient checks in again that local day.
    A check-in finished offline (`entry.completed_at`) belongs to the day it was finished.

    `entry` is what the web form and the API build (patients/inputs.py); a mapping of answers
    plus keyword fields is shorthand for `CheckinInput.parse` (scripts, demo, tests). An
    update replaces the instruments it answers and the fields it gives; the rest is kept.
    Red flags add up over the day; a withdrawal of one is audited even for the patient.
    """
    if not isinstance(entry, CheckinInput):
        entry = CheckinInput.parse({"answers": entry, **fields})
    elif fields:
        raise TypeError("pass either a CheckinInput or answers with keyword fields")
    return write_checkin(patient, actor, entry, now=now, via=via).checkin


def write_checkin(
    patient: Patient, actor: User, entry: CheckinInput, *, now: datetime | None = None,
    via: str = "web", state: CurrentState | None = None,
) -> CheckinWrite:
    """`record_checkin`, saying what it did. The patient's current-state row is locked first
    (it serialises the patient's writes; `state` when the caller's transaction already
    locked it) and gives the day's check-in and its responses without reading them; without
    a valid row the tables are read and the row rebuilt."""
    now = now or timezone.now()
    day = patient.today(entry.dated(now))  # the day it was finished (offline); may refuse
    if state is None:
        with transaction.atomic():
            return store_checkin(patient, actor, entry, now, day, via, current_state.lock(patient))
    # In the caller's transaction, without a savepoint: refuse a bad entry before writing.
    before = current_state.day_checkin(patient, day, state)
    if before is not None:
        entry.merge_safety(before.danger_symptoms, before.self_harm_thoughts)
    with transaction.atomic(savepoint=False):
        return store_checkin(patient, actor, entry, now, day, via, state)


def store_checkin(patient: Patient, actor: User, entry: CheckinInput, now: datetime, day: date,
                  via: str, state: CurrentState) -> CheckinWrite:
    last = state.last_checkin
    fast = state.valid and (last is None or day >= last.local_date)
    replaced: list[dict[str, Any]] = []
    if fast and (last is None or last.local_date != day):
        checkin, created = CheckIn(patient=patient, local_date=day, created_at=now), True
    elif fast and last is not None:
        checkin, created = last, False
        replaced = [state.checkin_responses[i] for i in entry.answers
                    if i in state.checkin_responses]
    else:
        checkin, created = CheckIn.objects.select_for_update().get_or_create(
            patient=patient, local_date=day, defaults={"created_at": now})
    symptoms, self_harm, withdrawn = entry.merge_safety(
        checkin.danger_symptoms, checkin.self_harm_thoughts)
    for name in PLAIN_FIELDS:
        if created or name in entry.given:
            setattr(checkin, name, getattr(entry, name))
    checkin.danger_symptoms = symptoms
    checkin.self_harm_thoughts = self_harm
    checkin.updated_at = now
    # An updated check-in and its re-answered responses go to the database as one statement
    # (web/common/write_batch.py), sent before anything below reads them.
    with write_batch.collected():
        if checkin.pk is None:
            checkin.save()
        else:
            write_batch.update(checkin)
        added = [build_response(patient, actor, instrument_id, values, checkin=checkin,
                                now=now)
                 for instrument_id, values in entry.answers.items()]
        if fast:
            # A re-answered instrument is written over its row (INSERT … ON CONFLICT (id) DO
            # UPDATE: cheaper to build than bulk_update's CASE per field).
            ids = {data["instrument"]: data["id"] for data in replaced}
            for response in added:
                response.pk = ids.get(response.instrument)
            write_batch.upsert([r for r in added if r.pk is not None], ["id"], RESPONSE_FIELDS)
            InstrumentResponse.objects.bulk_create([r for r in added if r.pk is None])
        else:
            checkin.responses.filter(instrument__in=list(entry.answers)).delete()
            InstrumentResponse.objects.bulk_create(added)
    responses = None
    if fast:
        current_state.note_checkin(state, checkin, replaced, added)
        if state.valid:
            responses = [current_state.response_from(patient, data)
                         for data in state.checkin_responses.values()]
    else:
        current_state.rebuild(state, patient)
    current_state.keep(patient, state)
    audit.record(actor, patient, "create" if created else "update", f"checkin:{checkin.pk}",
                 via=via)
    for flag in sorted(withdrawn):
        audit.record(actor, patient, "withdraw", f"checkin:{checkin.pk}:{flag}", via=via,
                     always=True)
    after_write(patient, actor, now, "checkin")
    return CheckinWrite(checkin, created, responses)


@transaction.atomic
def record_questionnaire(
    patient: Patient,
    actor: User,
    instrument_id: str,
    answers: Sequence[object],
    *,
    now: datetime | None = None,
) -> InstrumentResponse:
    """A stand-alone instrument: weekly PHQ-9/GAD-7 by the patient, COWS by a clinician."""
    now = now or timezone.now()
    response = store_response(patient, actor, instrument_id, answers, now=now)
    audit.record(actor, patient, "create", f"response:{response.pk}")
    after_write(patient, actor, now, f"questionnaire:{instrument_id}")
    return response


def note_use(patient: Patient, moment: datetime) -> None:
    """Move the days-free counter to a later use (a logged lapse or a taper dose)."""
    if patient.last_use_at is None or moment > patient.last_use_at:
        patient.last_use_at = moment
        patient.save(update_fields=["last_use_at"])


@transaction.atomic
def log_use(
    patient: Patient,
    actor: User,
    *,
    taken_at: object,
    amount: object,
    unit: str,
    note: str = "",
    now: datetime | None = None,
) -> UseEvent:
    """Log a use honestly: the days-free counter restarts, the history stays."""
    now = now or timezone.now()
    moment = parse_datetime("taken_at", taken_at, now=now)
    check_choice("unit", unit, UNITS)
    value = check_number("amount", amount, low=0, high=MAX_AMOUNT_PER_DAY[unit],
                         low_inclusive=False, decimals=AMOUNT_DECIMALS)
    event = UseEvent.objects.create(
        patient=patient,
        taken_at=moment,
        amount=Decimal(str(round(value, 2))),
        unit=unit,
        note=check_text("note", note),
        created_at=now,
    )
    note_use(patient, moment)
    audit.record(actor, patient, "create", f"use:{event.pk}")
    after_write(patient, actor, now, "use")
    return event


@transaction.atomic
def register_patient(
    username: str, password: str, display_name: str = "", invite_code: str = "",
    zone: str = "",
) -> Patient:
    """Self sign-up: a patient account in the zone they confirmed (sign-up asks; empty keeps
    the model's default, for scripts), optionally joining a clinician's caseload."""
    check_new_credentials(username, password)
    display_name = check_line("display_name", display_name, 80)
    zone = check_timezone(zone) if zone else ""
    invite = find_invite(invite_code) if invite_code.strip() else None
    user = User.objects.create_user(
        username=username, password=password, role=Role.PATIENT, display_name=display_name
    )
    patient = Patient.objects.create(user=user, **({"timezone": zone} if zone else {}))
    if invite is not None:
        use_invite(patient, invite)
    return patient


def use_invite(patient: Patient, invite: InviteCode) -> None:
    care_team.join_by_invite(patient, invite.clinician)
    invite.used_by = patient.user
    invite.used_at = timezone.now()
    invite.save(update_fields=["used_by", "used_at"])


@transaction.atomic
def join_clinician(patient: Patient, code: str) -> None:
    use_invite(patient, find_invite(code))
