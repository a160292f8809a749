"""Taper plans (kratom or a clinician's medication schedule), their versions, and doses taken.

A plan is a *series* of versions: every edit writes a new TaperPlanRecord with the next
version number and the reason, and the previous version stays (edits are versioned
so the patient sees who changed the plan and why). Writers live in tapers/actions.py.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.patients.models import Patient

KINDS = [("kratom", _("Kratom")), ("medication", _("Medication"))]
SCHEDULES = [("fixed", _("Fixed schedule")), ("as-needed", _("As needed"))]


class TaperPlanRecord(models.Model):
    """One version of a plan. `request` holds the parse_taper_request() input (JSON)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="taper_plans")
    series = models.UUIDField(default=uuid.uuid4)  # shared by every version of one plan
    kind = models.CharField(max_length=16, choices=KINDS)
    name = models.CharField(max_length=60)
    schedule = models.CharField(max_length=16, choices=SCHEDULES, default="fixed")
    request = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    change_reason = models.TextField(blank=True, max_length=1000)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="taper_series_version"),
            # At most one kratom taper is followed at a time; medicines may run side by side.
            models.UniqueConstraint(
                fields=["patient"], condition=Q(active=True, kind="kratom"),
                name="taper_one_active_kratom",
            ),
        ]
        # Serves "the patient's active plans" (home card, chart panel, due_doses).
        indexes = [models.Index(fields=["patient", "active"], name="taper_patient_active")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class DoseTaken(models.Model):
    """A dose the patient says they took; several a day are allowed."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="doses_taken")
    plan = models.ForeignKey(TaperPlanRecord, on_delete=models.CASCADE, related_name="doses")
    taken_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=12, decimal_places=4)
    unit = models.CharField(max_length=60)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-taken_at"]
        # Serves the adherence table: a patient's doses in time order.
        indexes = [models.Index(fields=["patient", "taken_at"], name="dose_patient_taken")]


class TaperSignoff(models.Model):
    """A clinician's sign-off that lets the patient start their own taper (care.signoff).

    `reasons` are the sign-off reason ids it covers; only the latest one not withdrawn counts.
    Written by tapers.actions.sign_off_taper (audited)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="taper_signoffs")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    reasons = models.JSONField(default=list)
    note = models.TextField(blank=True, max_length=1000)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        # Serves "the patient's current sign-off" (taper start, clinician taper page).
        indexes = [models.Index(fields=["patient", "withdrawn_at"], name="taper_signoff_current")]
