"""Object-level access in one place: who may reach which patient's records.

A patient reaches only their own record, a clinician only patients whose care team they
are on (primary or co-clinician); anyone else gets 404, so the existence of other records
is not revealed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.common.prepared import Prepared
from kratom_recovery.web.patients.models import CareTeamMember, Patient


def visible_patients(user: User) -> QuerySet[Patient]:
    if not user.is_authenticated or not user.is_active:
        return Patient.objects.none()
    return _visible_to(user.role, user.pk)


def _visible_to(role: str, user_id: int) -> QuerySet[Patient]:
    patients = Patient.objects.select_related("user")
    if role == Role.PATIENT:
        return patients.filter(user_id=user_id)
    if role == Role.CLINICIAN:
        return patients.filter(Exists(on_team(user_id)))
    return patients.none()


# One patient by id as a patient or a clinician may see it, compiled once
# (common/prepared.py): every API call and chart page on a patient starts with it.
_ONE_VISIBLE: dict[str, Prepared[Patient]] = {
    role: Prepared(lambda pk, user_id, role=role: _visible_to(role, user_id).filter(pk=pk),
                   keys=(int, int))
    for role in (Role.PATIENT, Role.CLINICIAN)
}


def of_visible_patients(user: User, field: str = "patient") -> Q:
    """A filter for rows of another table (alerts, bedside orders) whose `field` is a patient
    `user` may see, checked from the row's side: an indexed look-up per row instead of a
    list of every visible patient, which is what a caseload of thousands makes costly when
    the rows are few."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role == Role.PATIENT:
        return Q(**{f"{field}__user": user})
    if user.role == Role.CLINICIAN:
        return Q(Exists(on_team(user, patient=field)))
    return Q(pk__in=[])


def on_team(clinician: User | int, patient: str = "pk") -> QuerySet[CareTeamMember]:
    """Care-team entries of `clinician` (a user or its id) for the outer query's patient
    (its `patient` column; for Exists in a filter)."""
    return CareTeamMember.objects.filter(patient=OuterRef(patient), clinician=clinician)


def get_patient_for(user: User, patient_id: int | str, *, related: Sequence[str] = (),
                    annotate: Mapping[str, Any] | None = None) -> Patient:
    """The patient with this id if `user` may see it; Http404 otherwise. A composed page
    reads more in the same query: `related` one-to-one rows (profile, consent, …) and
    `annotate` values (counts, whether a card has anything to show)."""
    try:
        pk = int(patient_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not related and not annotate and user.is_authenticated and user.is_active:
        prepared = _ONE_VISIBLE.get(user.role)
        patient = None if prepared is None else prepared.first(pk, user.pk)
        if patient is None:
            raise Http404
        return patient
    try:
        return (visible_patients(user).select_related(*related)
                .annotate(**(annotate or {})).get(pk=pk))
    except Patient.DoesNotExist:
        raise Http404 from None


def own_patient(user: User, *, related: Sequence[str] = (),
                annotate: Mapping[str, Any] | None = None) -> Patient:
    """The signed-in patient's own record. ViewerTimezoneMiddleware has already read it
    for this request (user.patient, with .user set), so that row is used, not read again;
    unless a composed page asks for more with it (`related`, `annotate` as in
    get_patient_for): then one query reads it all, and it becomes the request's row."""
    if related or annotate:
        try:
            patient = (Patient.objects.select_related("user", *related)
                       .annotate(**(annotate or {})).get(user=user))
        except Patient.DoesNotExist:
            raise Http404 from None
        user.patient = patient
        return patient
    if User.patient.is_cached(user):
        try:
            return user.patient
        except Patient.DoesNotExist:
            raise Http404 from None
    try:
        return Patient.objects.select_related("user").get(user=user)
    except Patient.DoesNotExist:
        raise Http404 from None


def is_clinician_of(user: User, patient: Patient) -> bool:
    """Whether `user` is an active clinician on this patient's care team (for writes only
    the team may make)."""
    return (user.role == Role.CLINICIAN and user.is_active
            and CareTeamMember.objects.filter(patient=patient, clinician=user).exists())
