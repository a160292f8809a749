"""Writers of a patient's care team: one primary clinician, any number of co-clinicians.

Everyone on the team sees the patient (patients/access.py); the primary answers for them and
hears of their alerts first (program/recipients.py). Each change is audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, Patient


def check_active_clinician(clinician: User, field: str = "clinician") -> None:
    if clinician.role != Role.CLINICIAN or not clinician.is_active:
        raise InvalidInput(field, _("choose an active clinician"))


def members(patient: Patient) -> list[CareTeamMember]:
    """The team, primary first, then co-clinicians in the order they joined."""
    team = CareTeamMember.objects.filter(patient=patient).select_related("clinician")
    return sorted(team, key=lambda m: (m.role != CareTeamRole.PRIMARY, m.added_at, m.pk))


def _record(actor: User | None, patient: Patient, change: str, clinician: User) -> None:
    audit.record(actor, patient, "update", f"care-team:{change}:{clinician.username}"[:64])


@transaction.atomic
def set_primary(actor: User | None, patient: Patient, clinician: User, *,
                keep_previous: bool = False) -> None:
    """Make `clinician` the primary. The previous primary leaves the team, or stays on it as
    a co-clinician with `keep_previous`."""
    check_active_clinician(clinician)
    Patient.objects.select_for_update().filter(pk=patient.pk).first()  # one change at a time
    previous = CareTeamMember.objects.filter(patient=patient, role=CareTeamRole.PRIMARY).first()
    if previous is not None and previous.clinician_id == clinician.pk:
        return
    if previous is not None:
        if keep_previous:
            previous.role = CareTeamRole.CO
            previous.save(update_fields=["role"])
        else:
            previous.delete()
    CareTeamMember.objects.update_or_create(
        patient=patient, clinician=clinician,
        defaults={"role": CareTeamRole.PRIMARY},
        create_defaults={"role": CareTeamRole.PRIMARY, "added_at": timezone.now()},
    )
    _record(actor, patient, "primary", clinician)


@transaction.atomic
def add_co_clinician(actor: User | None, patient: Patient, clinician: User) -> None:
    check_active_clinician(clinician)
    if CareTeamMember.objects.filter(patient=patient, clinician=clinician).exists():
        raise InvalidInput("clinician", _("%(name)s is already on this care team")
                           % {"name": clinician})
    CareTeamMember.objects.create(patient=patient, clinician=clinician, role=CareTeamRole.CO)
    _record(actor, patient, "co", clinician)


@transaction.atomic
def remove_member(actor: User | None, patient: Patient, clinician: User) -> None:
    """Take a clinician off the team (the primary too: the patient is then unassigned)."""
    deleted, _rows = CareTeamMember.objects.filter(patient=patient, clinician=clinician).delete()
    if not deleted:
        raise InvalidInput("clinician", _("%(name)s is not on this care team")
                           % {"name": clinician})
    _record(actor, patient, "removed", clinician)


def join_by_invite(patient: Patient, clinician: User) -> None:
    """A patient used a clinician's invite: that clinician becomes the primary if there is
    none, otherwise joins as a co-clinician (nobody already on the team is dropped)."""
    if CareTeamMember.objects.filter(patient=patient, clinician=clinician).exists():
        return
    has_primary = CareTeamMember.objects.filter(
        patient=patient, role=CareTeamRole.PRIMARY).exists()
    role = CareTeamRole.CO if has_primary else CareTeamRole.PRIMARY
    CareTeamMember.objects.create(patient=patient, clinician=clinician, role=role)
    _record(patient.user, patient, role, clinician)
