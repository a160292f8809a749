"""Program-admin writes: the settings row and the on-call rota. Each checks every value
first (nothing is written on bad input), runs in a transaction and is audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts import twofactor
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.program.config import ProgramConfig, build_config, current_settings
from kratom_recovery.web.program.hours import DAYS
from kratom_recovery.web.program.models import SINGLETON_ID, OnCallShift, ProgramSettingsRow


def check_admin(actor: User) -> None:
    if not actor.is_program_admin or not actor.is_active:
        raise InvalidInput("role", _("only program admins change program settings"))


def record(actor: User, target: str) -> None:
    """A program-wide audit entry (no patient): who, what, when."""
    AuditEntry.objects.create(actor=actor, patient=None, action="update", target=target[:64])


def flat(config: ProgramConfig) -> dict[str, str]:
    """Every setting as text, for comparing and auditing one field at a time."""
    hours = config.hours.to_json()
    values = {"timezone": config.timezone,
              "escalation_minutes": str(config.escalation_minutes)}
    values.update({f"hours.{day}": "closed" if h is None else "-".join(h)
                   for day, h in zip(DAYS, hours, strict=True)})
    values.update({f"settings.{k}": f"{v:g}" for k, v in asdict(config.clinical).items()})
    return values


@transaction.atomic
def update_program_settings(actor: User, *, timezone_name: object, hours: object,
                            escalation_minutes: object,
                            clinical: Mapping[str, object],
                            two_factor_grace_days: object = None) -> list[str]:
    """Replace the program settings; returns the names of the fields that changed. Bad
    input raises InvalidInput naming the field, and nothing is written. The second-factor
    grace period is stored by the accounts app (None keeps it)."""
    check_admin(actor)
    new = build_config(timezone_name, hours, escalation_minutes, dict(clinical))
    grace = (None if two_factor_grace_days is None
             else twofactor.check_grace_days(two_factor_grace_days))
    ProgramSettingsRow.objects.select_for_update().filter(pk=SINGLETON_ID).first()
    old = current_settings()
    before, after = flat(old), flat(new)
    changed = [name for name in after if after[name] != before.get(name)]
    if grace is not None and grace != twofactor.grace_days():
        twofactor.set_grace_days(grace)
        record(actor, f"program:two_factor_grace_days={grace}")
        changed.append("two_factor_grace_days")
    if not [name for name in changed if name in after]:
        return changed
    ProgramSettingsRow.objects.update_or_create(pk=SINGLETON_ID, defaults={
        "timezone": new.timezone,
        "opening_hours": new.hours.to_json(),
        "escalation_minutes": new.escalation_minutes,
        "clinical": asdict(new.clinical),
        "updated_at": timezone.now(),
        "updated_by": actor,
    })
    for name in changed:
        if name in after:
            record(actor, f"program:{name}={after[name]}")
    return changed


def check_on_call(user: User | None, field: str) -> None:
    if user is not None and (user.role != Role.CLINICIAN or not user.is_active):
        raise InvalidInput(field, _("choose an active clinician"))


@transaction.atomic
def add_shift(actor: User, starts_at: datetime, ends_at: datetime, primary: User,
              backup: User | None) -> OnCallShift:
    """A new on-call shift; refused if it overlaps another (the rota has one shift at a
    time, so "who is on call" has one answer)."""
    check_admin(actor)
    if ends_at <= starts_at:
        raise InvalidInput("ends_at", _("the shift must end after it starts"))
    check_on_call(primary, "primary")
    check_on_call(backup, "backup")
    if backup is not None and backup.pk == primary.pk:
        raise InvalidInput("backup", _("the backup must be someone other than the primary"))
    # Lock the rota so two admins cannot add overlapping shifts at the same moment.
    list(OnCallShift.objects.select_for_update().all().values_list("pk", flat=True))
    clash = OnCallShift.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if clash is not None:
        zone = current_settings().zone
        raise InvalidInput("starts_at", _(
            "overlaps the shift from %(start)s to %(end)s; shifts may touch but not overlap"
        ) % {"start": f"{clash.starts_at.astimezone(zone):%Y-%m-%d %H:%M}",
             "end": f"{clash.ends_at.astimezone(zone):%Y-%m-%d %H:%M}"})
    shift = OnCallShift.objects.create(starts_at=starts_at, ends_at=ends_at, primary=primary,
                                       backup=backup)
    record(actor, f"on-call:add:{shift.pk}:{primary.username}")
    return shift


@transaction.atomic
def remove_shift(actor: User, shift: OnCallShift) -> None:
    check_admin(actor)
    record(actor, f"on-call:remove:{shift.pk}:{shift.primary.username}")
    shift.delete()
