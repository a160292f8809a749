"""Who is told about a patient's alert ("who gets what"). The notifier calls these two
functions and sends to the users they return; it decides nothing about people itself.

- Urgent or emergency, at once: the patient's primary clinician, the on-call primary of the
  shift in force and the active co-clinicians. If the primary clinician is missing or
  deactivated (until an admin reassigns), the on-call primary and every admin instead, so the
  alert never waits in a closed inbox.
- Emergency not acknowledged within the escalation delay: the on-call backup and the admins.

Only active staff users are returned, each once, with the first reason that applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, Patient
from kratom_recovery.web.program.config import current_settings
from kratom_recovery.web.program.rota import on_call_at

__all__ = ["Recipient", "current_settings", "escalation_recipients", "immediate_recipients"]

PRIMARY = "primary clinician"
ON_CALL_PRIMARY = "on-call primary"
ON_CALL_BACKUP = "on-call backup"
ADMIN = "admin"
CO_CLINICIAN = "co-clinician"


@dataclass(frozen=True)
class Recipient:
    user: User  # a staff user to notify
    reason: str  # one of the reasons above


def _active_staff(user: User | None) -> bool:
    return (user is not None and user.is_active
            and user.role in (Role.CLINICIAN, Role.ADMIN))


def _unique(candidates: Iterable[tuple[User | None, str]]) -> list[Recipient]:
    seen: set[int] = set()
    chosen = []
    for user, reason in candidates:
        if user is not None and _active_staff(user) and user.pk not in seen:
            seen.add(user.pk)
            chosen.append(Recipient(user, reason))
    return chosen


def _admins() -> list[User]:
    return list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"))


def immediate_recipients(patient: Patient, now: datetime) -> list[Recipient]:
    """Who hears of an urgent or emergency alert at once (see the module docstring)."""
    team = list(CareTeamMember.objects.filter(patient=patient).select_related("clinician")
                .order_by("added_at", "pk"))
    primary = next((m.clinician for m in team if m.role == CareTeamRole.PRIMARY), None)
    shift = on_call_at(now)
    on_call = shift.primary if shift else None
    candidates: list[tuple[User | None, str]] = []
    if primary is not None and _active_staff(primary):
        candidates += [(primary, PRIMARY), (on_call, ON_CALL_PRIMARY)]
    else:
        candidates += [(on_call, ON_CALL_PRIMARY)] + [(a, ADMIN) for a in _admins()]
    candidates += [(m.clinician, CO_CLINICIAN) for m in team if m.role == CareTeamRole.CO]
    return _unique(candidates)


def escalation_recipients(patient: Patient, now: datetime) -> list[Recipient]:
    """Who hears of an emergency nobody acknowledged in time: the shift backup and the
    admins (`patient` is kept for a per-patient rule later; today it does not change the
    answer)."""
    shift = on_call_at(now)
    backup = shift.backup if shift else None
    return _unique([(backup, ON_CALL_BACKUP), *((a, ADMIN) for a in _admins())])
