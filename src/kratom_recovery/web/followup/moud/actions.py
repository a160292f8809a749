"""Every MOUD and naloxone write: a MOUD status with its referral, naloxone offered,
prescribed, dispensed or declined, and a MOUD check-in. Each checks its input in the pure core
(care/moud.py names the field and writes nothing on bad input), runs in a transaction and is
audited. Only the patient's care team writes them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care import moud
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.followup.models import MoudCheckin, MoudRecord, NaloxoneRecord
from kratom_recovery.web.followup.moud import queries
from kratom_recovery.web.patients.access import is_clinician_of
from kratom_recovery.web.patients.models import Patient


def check_clinician(actor: User, patient: Patient) -> None:
    if not is_clinician_of(actor, patient):
        raise InvalidInput("role", _("only the patient's care team records this"))


def last_use_on(patient: Patient) -> date | None:
    """The local date of the last kratom use on record (a logged use, else the last dose
    given at onboarding)."""
    profile = getattr(patient, "profile", None)
    last = patient.last_use_at or (profile.last_dose if profile is not None else None)
    return None if last is None else patient.today(last)


@transaction.atomic
def record_moud(patient: Patient, actor: User, data: Mapping[str, object], *,
                now: datetime | None = None, via: str = "web") -> MoudRecord:
    """A MOUD status and its referral as entered; naltrexone as taken before withdrawal is
    complete is refused with the reason (care/moud.py)."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    entry = moud.check_moud(data, today=patient.today(now), last_use_on=last_use_on(patient))
    row = MoudRecord.objects.create(
        patient=patient, medication=entry.medication, status=entry.status, on=entry.on,
        withdrawal_complete_on=entry.withdrawal_complete_on, referred_to=entry.referred_to,
        referred_on=entry.referred_on, referral_status=entry.referral_status,
        note=entry.note, caution=entry.caution, recorded_by=actor, recorded_at=now,
    )
    audit.record(actor, patient, "create", f"moud:{row.pk}", via=via)
    queries.remember(patient, row)
    return row


@transaction.atomic
def record_naloxone(patient: Patient, actor: User, data: Mapping[str, object], *,
                    now: datetime | None = None, via: str = "web") -> NaloxoneRecord:
    now = now or timezone.now()
    check_clinician(actor, patient)
    entry = moud.check_naloxone(data, today=patient.today(now))
    row = NaloxoneRecord.objects.create(patient=patient, action=entry.action, on=entry.on,
                                        note=entry.note, recorded_by=actor, recorded_at=now)
    audit.record(actor, patient, "create", f"naloxone:{row.pk}", via=via)
    return row


@transaction.atomic
def record_moud_checkin(patient: Patient, actor: User, data: Mapping[str, object], *,
                        now: datetime | None = None, via: str = "web") -> MoudCheckin:
    """A check-in on MOUD; only with a MOUD status on record."""
    now = now or timezone.now()
    check_clinician(actor, patient)
    if queries.current_moud(patient) is None:
        raise InvalidInput("medication", _("record the MOUD status first"))
    on, answer, note = moud.check_checkin(data, today=patient.today(now))
    row = MoudCheckin.objects.create(patient=patient, on=on, answer=answer, note=note,
                                     recorded_by=actor, recorded_at=now)
    audit.record(actor, patient, "create", f"moud-checkin:{row.pk}", via=via)
    return row
