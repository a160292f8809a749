"""Program-admin writes: care teams and clinician accounts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.patients import care_team
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, Patient
from kratom_recovery.web.program import actions as program_actions


def check_admin(actor: User) -> None:
    if not actor.is_program_admin:
        raise InvalidInput("role", _("only program admins manage care teams"))


def change_care_team(actor: User, patient: Patient, change: str, clinician: User) -> None:
    """One admin change to a patient's team: "primary" (the previous primary leaves),
    "co" (add a co-clinician) or "remove". Audited by patients/care_team.py."""
    check_admin(actor)
    if change == "primary":
        care_team.set_primary(actor, patient, clinician)
    elif change == "co":
        care_team.add_co_clinician(actor, patient, clinician)
    elif change == "remove":
        care_team.remove_member(actor, patient, clinician)
    else:
        raise InvalidInput("change", _("must be primary, co or remove"))


def primary_patients(clinician: User) -> list[Patient]:
    return list(Patient.objects.filter(
        care_team__clinician=clinician, care_team__role=CareTeamRole.PRIMARY,
    ).select_related("user").order_by("pk"))


@transaction.atomic
def set_clinician_active(actor: User, clinician: User, active: bool,
                         reassign_to: User | None = None) -> int:
    """Deactivate (or reactivate) a clinician. Deactivation is refused while they are the
    primary clinician of any patient, unless `reassign_to` takes those patients over in the
    same step; they also leave every care team they were a co-clinician on. Returns the
    number of patients reassigned."""
    check_admin(actor)
    if clinician.role != Role.CLINICIAN:
        raise InvalidInput("clinician", _("not a clinician account"))
    moved = 0
    if not active:
        patients = primary_patients(clinician)
        if patients and reassign_to is None:
            raise InvalidInput("reassign_to", _(
                "%(name)s is the primary clinician of %(count)d patient(s); choose who "
                "takes them over") % {"name": clinician, "count": len(patients)})
        if reassign_to is not None and patients:
            if reassign_to.pk == clinician.pk:
                raise InvalidInput("reassign_to", _("choose another clinician"))
            care_team.check_active_clinician(reassign_to, "reassign_to")
            for patient in patients:
                care_team.set_primary(actor, patient, reassign_to)
            moved = len(patients)
        for member in CareTeamMember.objects.filter(clinician=clinician).select_related(
                "patient"):
            care_team.remove_member(actor, member.patient, clinician)
    clinician.is_active = active
    clinician.save(update_fields=["is_active"])
    program_actions.record(actor, f"clinician:{'reactivate' if active else 'deactivate'}:"
                                  f"{clinician.username}")
    return moved
