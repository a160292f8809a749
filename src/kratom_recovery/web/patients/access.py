"""Object-level access in one place: who may reach which patient's records.

A patient reaches only their own record, a clinician only their caseload; anyone else
gets 404, so the existence of other records is not revealed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.patients.models import Patient


def visible_patients(user: User) -> QuerySet[Patient]:
    patients = Patient.objects.select_related("user", "clinician")
    if not user.is_authenticated or not user.is_active:
        return patients.none()
    if user.role == Role.PATIENT:
        return patients.filter(user=user)
    if user.role == Role.CLINICIAN:
        return patients.filter(clinician=user)
    return patients.none()


def get_patient_for(user: User, patient_id: int | str) -> Patient:
    """The patient with this id if `user` may see it; Http404 otherwise."""
    try:
        pk = int(patient_id)
    except (TypeError, ValueError):
        raise Http404 from None
    try:
        return visible_patients(user).get(pk=pk)
    except Patient.DoesNotExist:
        raise Http404 from None


def own_patient(user: User) -> Patient:
    """The signed-in patient's own record."""
    try:
        return Patient.objects.select_related("user").get(user=user)
    except Patient.DoesNotExist:
        raise Http404 from None


def is_clinician_of(user: User, patient: Patient) -> bool:
    """Whether `user` is this patient's own clinician (for writes only they may make)."""
    return user.role == Role.CLINICIAN and user.is_active and patient.clinician_id == user.pk
