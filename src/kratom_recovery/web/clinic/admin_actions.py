"""Program-admin writes: caseload assignment and clinician accounts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.patients.models import Patient


def check_admin(actor: User) -> None:
    if not actor.is_program_admin:
        raise InvalidInput("role", _("only program admins manage caseloads"))


@transaction.atomic
def assign_clinician(actor: User, patient: Patient, clinician: User | None) -> None:
    """Move a patient to another clinician's caseload (or to none). Audited."""
    check_admin(actor)
    if clinician is not None and (clinician.role != Role.CLINICIAN or not clinician.is_active):
        raise InvalidInput("clinician", _("choose an active clinician"))
    patient.clinician = clinician
    patient.save(update_fields=["clinician"])
    target = f"assignment:{clinician.username if clinician else '-'}"
    audit.record(actor, patient, "update", target)


@transaction.atomic
def set_clinician_active(actor: User, clinician: User, active: bool) -> None:
    """Deactivate (or reactivate) a clinician; their patients stay assigned until moved."""
    check_admin(actor)
    if clinician.role != Role.CLINICIAN:
        raise InvalidInput("clinician", _("not a clinician account"))
    clinician.is_active = active
    clinician.save(update_fields=["is_active"])
