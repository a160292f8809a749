"""Alerts for the care team, raised by the safety engine and by missed follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

SEVERITIES = ("info", "warning", "urgent", "emergency")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}


class Alert(models.Model):
    """One open (or acknowledged) concern about a patient, with the one-line reason."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="alerts")
    rule = models.CharField(max_length=64)  # safety rule id, or e.g. "missed-followup"
    severity = models.CharField(max_length=16, choices=[(s, s) for s in SEVERITIES])
    severity_rank = models.PositiveSmallIntegerField()  # for ordering: emergency first
    patient_message = models.TextField()
    clinician_message = models.TextField()
    actions = models.JSONField(default=list)
    source = models.CharField(max_length=64)  # what raised it: "checkin", "onboarding", …
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledgement_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-severity_rank", "-created_at"]
        # Serves the caseload triage (open alerts per patient) and the chart's alert list.
        indexes = [
            models.Index(fields=["patient", "acknowledged_at", "-severity_rank"],
                         name="alert_open_by_patient")
        ]

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
