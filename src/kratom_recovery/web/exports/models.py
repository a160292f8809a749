"""Pseudonyms for exports, and what is kept when a patient deletes their account.

Both outlive the patient row on purpose (docs/data-rights.md): the pseudonym lets retained
clinical records and audit entries still be grouped by person without naming them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PSEUDONYM_BYTES = 9  # 72 random bits, 12 URL-safe characters


def new_pseudonym() -> str:
    return secrets.token_urlsafe(PSEUDONYM_BYTES)


class Pseudonym(models.Model):
    """A random, stable stand-in for one patient in exports (FHIR Patient.identifier).

    Random rather than derived from the id, so it reveals nothing; stored, so the same patient
    gets the same pseudonym in every export. `patient` becomes NULL when the account is deleted.
    """

    patient = models.OneToOneField(
        "patients.Patient", null=True, on_delete=models.SET_NULL, related_name="pseudonym"
    )
    value = models.CharField(max_length=32, unique=True, default=new_pseudonym)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)  # when the account was deleted


class RetainedRecord(models.Model):
    """A record kept after the patient deleted their account, filed under their pseudonym.

    kind "audit-entry": links a kept audit entry (whose patient is now NULL) to the pseudonym;
    other kinds hold a snapshot of a care-team record (clinical note, alert and its
    acknowledgement, level-of-care decision, clinician-written plan, appointment).
    """

    pseudonym = models.ForeignKey(Pseudonym, on_delete=models.PROTECT, related_name="retained")
    kind = models.CharField(max_length=32)
    source_id = models.PositiveBigIntegerField()  # the primary key it had in its own table
    data = models.JSONField(default=dict)
    retained_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pseudonym", "kind", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_id"], name="retained_once")
        ]


class DischargeSummary(models.Model):
    """A clinician's discharge and transition summary: the stay's dates, where the patient
    goes next and the clinician's course note. The rest of the page (scores, vitals,
    medicines, decisions, MOUD, follow-up, relapse plan) is read from the records of the stay
    each time it is shown (exports/discharge.py), so it matches the chart."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="discharge_summaries"
    )
    admitted_on = models.DateField()
    discharged_on = models.DateField()
    destination = models.CharField(max_length=200)
    course_note = models.TextField(blank=True, max_length=800)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discharged_on", "-pk"]
        # Serves the chart's list of a patient's summaries, newest first.
        indexes = [models.Index(fields=["patient", "-discharged_on"], name="discharge_latest")]
