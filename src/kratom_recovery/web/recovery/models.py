"""Daily recovery tools: coping feedback, exercises, relapse plan, lapses, progress settings,
journal, own measures and sharing consent.

Writers live in recovery/actions.py, recovery/journal/actions.py and
recovery/measures/actions.py; nothing else creates or changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from kratom_recovery.care.profile import UNITS
from kratom_recovery.web.patients.models import Patient, UseEvent, choices


class CopingFeedback(models.Model):
    """One "helped / didn't help" answer for a coping entry; counts feed coping.suggest."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE,
                                related_name="coping_feedback")
    entry_id = models.CharField(max_length=64)  # a coping.COPING id; stale ids are ignored
    helped = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        # Serves the per-entry helped/not-helped counts behind every suggestion list.
        indexes = [models.Index(fields=["patient", "entry_id"], name="coping_fb_patient")]


class ExerciseEntry(models.Model):
    """A completed skills exercise, stored exactly as exercises.validate_entry returned it."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE,
                                related_name="exercise_entries")
    exercise_id = models.CharField(max_length=32)
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        # Serves the "your saved exercises" list (newest first).
        indexes = [models.Index(fields=["patient", "-created_at"], name="exercise_patient_at")]


class RelapsePlan(models.Model):
    """The person's own plan for risky moments. Lists are stored one item per element."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE,
                                   related_name="relapse_plan")
    triggers = models.JSONField(default=list)
    warning_signs = models.JSONField(default=list)
    coping_actions = models.JSONField(default=list)
    people = models.JSONField(default=list)  # [{"name": ..., "phone": ...}]
    reasons = models.JSONField(default=list)
    # Where the person keeps naloxone and who knows: it reverses an opioid overdose, 7-OH too.
    naloxone = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


class LapseReflection(models.Model):
    """What the person wrote after logging a use. Never shown to the clinician unless told."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lapses")
    use_event = models.ForeignKey(UseEvent, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    trigger = models.TextField(blank=True, max_length=2000)
    feelings = models.TextField(blank=True, max_length=2000)
    plan_change = models.TextField(blank=True, max_length=2000)
    told_clinician = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]


class RecoverySettings(models.Model):
    """The person's own price for money saved (no default price: prices vary too much).

    Reminder preferences belong to the follow-up app.
    """

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE,
                                   related_name="recovery_settings")
    price_per_unit = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    price_unit = models.CharField(max_length=8, choices=choices(UNITS), blank=True)
    currency = models.CharField(max_length=3, default="$")
    updated_at = models.DateTimeField(default=timezone.now)


class JournalEntry(models.Model):
    """A dated journal entry. Private unless the person shares this one entry."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="journal")
    written_at = models.DateTimeField(default=timezone.now)
    mood = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5, as in the check-in
    text = models.TextField(max_length=5000)
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ["-written_at", "-id"]
        # Serves the patient's journal list and the clinician's shared-entries panel.
        indexes = [models.Index(fields=["patient", "shared", "-written_at"],
                                name="journal_patient_shared")]


class OwnMeasure(models.Model):
    """Something the person chose to track daily on a 0–10 scale (pain, stress, energy…)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="own_measures")
    name = models.CharField(max_length=40)
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class OwnMeasureValue(models.Model):
    measure = models.ForeignKey(OwnMeasure, on_delete=models.CASCADE, related_name="values")
    local_date = models.DateField()
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["local_date"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "local_date"],
                                    name="one_measure_value_per_day")
        ]


class SharingConsent(models.Model):
    """What the person lets their clinician see. No row means the defaults (all shared)."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE,
                                   related_name="sharing_consent")
    checkins = models.BooleanField(default=True)
    journal = models.BooleanField(default=True)
    plan = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
