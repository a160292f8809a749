"""Append-only audit log of access to patients' records by anyone but the patient."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did what to whose records, and when. The app never updates or deletes entries."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    patient = models.ForeignKey(
        "patients.Patient", null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    action = models.CharField(max_length=16)  # "read" | "create" | "update" | "export" …
    target = models.CharField(max_length=64)  # what was touched, e.g. "chart", "checkin:42"
    via = models.CharField(max_length=8, default="web")  # web | api | cli

    class Meta:
        ordering = ["-at", "-id"]
        # Serves "who looked at my record" (patient page) and the clinician audit view.
        indexes = [models.Index(fields=["patient", "-at"], name="audit_patient_at")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only")
