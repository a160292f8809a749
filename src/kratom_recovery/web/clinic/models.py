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


class TriageState(models.Model):
    """The caseload's triage of one patient (care.caseload.prioritize), stored so the caseload
    sorts, filters and pages in SQL instead of ranking everyone in Python.

    Written by clinic/triage.py after every stored safety evaluation (each write and the
    sweep), each new alert and each acknowledgement. What changes with the calendar alone is
    kept as a day, not a tier: `attention_day` is the patient's local day from which a tier-4
    patient is tier 3 (missed check-ins during withdrawal, unlogged taper doses), so a
    stored row stays right without a write. Days are `date.toordinal()` numbers, so "days
    since" is integer arithmetic in SQL on SQLite and PostgreSQL alike.
    """

    patient = models.OneToOneField("patients.Patient", on_delete=models.CASCADE,
                                   primary_key=True, related_name="triage_state")
    tier = models.PositiveSmallIntegerField(default=4)  # with the check-ins shared
    private_tier = models.PositiveSmallIntegerField(default=4)  # check-ins not shared
    severity = models.SmallIntegerField(default=-1)  # most severe open alert's rank, -1: none
    last_checkin_day = models.IntegerField(null=True, blank=True)
    attention_day = models.IntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
