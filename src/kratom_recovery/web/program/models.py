"""Program-wide settings (one row) and the on-call rota. Writers live in program/actions.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone as django_timezone

from kratom_recovery.web.program.hours import DEFAULT_HOURS

SINGLETON_ID = 1


def default_hours() -> list[list[str] | None]:
    return DEFAULT_HOURS.to_json()


class ProgramSettingsRow(models.Model):
    """The one settings row (id 1, enforced by a check constraint). Missing means defaults;
    values are checked by program/config.py before they are stored."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID)
    timezone = models.CharField(max_length=64, default="UTC")  # IANA name
    opening_hours = models.JSONField(default=default_hours)  # 7 x [open, close] | null
    escalation_minutes = models.PositiveSmallIntegerField(default=15)
    clinical = models.JSONField(default=dict)  # care.program_settings names -> numbers
    updated_at = models.DateTimeField(default=django_timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=SINGLETON_ID), name="program_singleton")
        ]


class OnCallShift(models.Model):
    """Who answers urgent alerts between `starts_at` and `ends_at` (stored in UTC, entered
    and shown in the program's zone). Shifts do not overlap (program/actions.py)."""

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    primary = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="primary_shifts"
    )
    backup = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="backup_shifts",
    )
    created_at = models.DateTimeField(default=django_timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="shift_ends_after_start"),
        ]
        indexes = [models.Index(fields=["ends_at", "starts_at"], name="shift_time")]

    def __str__(self) -> str:
        return f"shift {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M} UTC"
