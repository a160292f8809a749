"""Clinical notes: signed, timestamped, append-only; corrections are amendments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ClinicalNote(models.Model):
    """A SOAP-style note. Never edited or deleted from the app; an amendment points back."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+")
    author_name = models.CharField(max_length=150)  # kept if the author account goes
    signed_at = models.DateTimeField(default=timezone.now)
    subjective = models.TextField(blank=True, max_length=5000)
    objective = models.TextField(blank=True, max_length=5000)
    assessment = models.TextField(blank=True, max_length=5000)
    plan = models.TextField(blank=True, max_length=5000)
    amends = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="amendments")

    class Meta:
        ordering = ["-signed_at", "-id"]
        # Serves the chart's note list, newest first.
        indexes = [models.Index(fields=["patient", "-signed_at"], name="note_patient_signed")]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("notes are append-only; write an amendment")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("notes are append-only")
