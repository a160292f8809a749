"""Follow-up after withdrawal, reminders, calendar feeds and the program's referral directory.

Writers live in followup/actions.py (and the send-reminders command for SentReminder).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import moud

ANCHOR_SOURCES = {
    "acute-end-forecast": _("expected end of the acute withdrawal phase (timeline forecast)"),
    "last-dose-plus-7": _("last dose plus 7 days (the forecast was not available)"),
    "last-dose": _("date of the last dose"),
    "set-by-clinician": _("date set by the care team"),
}
APPOINTMENT_KINDS = {
    "in-person": _("In person"),
    "phone": _("Phone call"),
    "video": _("Video call"),
}
REFERRAL_KINDS = {
    "detox": _("Detox / withdrawal management"),
    "outpatient": _("Outpatient"),
    "medication": _("Medication treatment"),
    "residential": _("Residential"),
    "peer-group": _("Peer support group"),
    "other": _("Other"),
}
REMINDER_KINDS = ("checkin", "followup-due", "missed-followup")
ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]  # Monday = 0, as date.weekday()


def all_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


class FollowUpPlan(models.Model):
    """The fixed anchor of a patient's follow-up schedule; the schedule itself is computed
    (care.followup.schedule) and completion is derived from their instrument responses."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="followup_plan"
    )
    anchor = models.DateField()
    anchor_source = models.CharField(
        max_length=24, choices=list(ANCHOR_SOURCES.items()), default="acute-end-forecast"
    )
    created_at = models.DateTimeField(default=timezone.now)


class Appointment(models.Model):
    """A follow-up appointment a clinician booked. Only its kind and time go to calendars;
    the note stays in the app."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    kind = models.CharField(max_length=16, choices=list(APPOINTMENT_KINDS.items()))
    note = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        # Serves "upcoming appointments for patient P" (follow-up page, chart panel, feed).
        indexes = [models.Index(fields=["patient", "starts_at"], name="appt_patient_start")]


class ReminderPreference(models.Model):
    """When the person wants to be reminded. Reminders are opt-in: no row, no e-mail."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="reminder_preference"
    )
    enabled = models.BooleanField(default=True)
    checkin_time = models.TimeField(default="19:00")  # local wall-clock time
    weekdays = models.JSONField(default=all_weekdays)
    quiet_start = models.TimeField(null=True, blank=True)  # local; may wrap midnight
    quiet_end = models.TimeField(null=True, blank=True)
    email = models.EmailField(blank=True)  # blank: the account's e-mail address
    followup_reminders = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)


class SentReminder(models.Model):
    """One row per reminder sent (or alert raised), so a second run sends nothing twice."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="sent_reminders"
    )
    kind = models.CharField(max_length=24, choices=[(k, k) for k in REMINDER_KINDS])
    key = models.CharField(max_length=64)  # local date, or "<anchor>:day<N>"
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "kind", "key"], name="sent_once")
        ]


class CalendarFeed(models.Model):
    """A secret calendar URL. Only the SHA-256 of the token is stored; the person sees the
    token once, when it is made."""

    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)


class Referral(models.Model):
    """A place the program refers people to, kept by program admins (or imported)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=list(REFERRAL_KINDS.items()), default="other")
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2)
    zip = models.CharField(max_length=5)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    services = models.JSONField(default=list)
    source = models.CharField(max_length=64, default="program")
    imported_at = models.DateTimeField(null=True, blank=True)
    pulled_on = models.DateField(null=True, blank=True)  # when the source data was pulled
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["state", "city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "street", "zip"], name="referral_unique")
        ]
        # Serves the directory search by state and the distance pre-filter by latitude.
        indexes = [
            models.Index(fields=["state", "kind"], name="referral_state_kind"),
            models.Index(fields=["latitude", "longitude"], name="referral_latlon"),
        ]

    def __str__(self) -> str:
        return self.name


class ReferralImport(models.Model):
    """What an import did: when the data was pulled, what was imported, what was rejected."""

    source = models.CharField(max_length=64)
    layout = models.CharField(max_length=16)
    pulled_on = models.DateField()
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [[line, message], ...]

    class Meta:
        ordering = ["-imported_at"]


class MoudRecord(models.Model):
    """One MOUD status as the clinician recorded it (care/moud.py checks it); the latest row
    is the status in force, earlier rows are its history. No dose is stored: doses given on
    the unit are MAR orders."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="moud_records"
    )
    medication = models.CharField(max_length=16)  # care.moud.MEDICATIONS
    status = models.CharField(max_length=16)  # care.moud.STATUSES
    on = models.DateField()
    withdrawal_complete_on = models.DateField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)
    referred_on = models.DateField(null=True, blank=True)
    referral_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True, max_length=500)
    caution = models.TextField(blank=True)  # the naltrexone caution kept with the record
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def labels(self) -> dict[str, str]:
        """The record's words as the chart and the summary print them."""
        return {"medication": moud.MEDICATIONS.get(self.medication, self.medication),
                "status": moud.STATUSES.get(self.status, self.status),
                "referral": moud.REFERRAL_STATUSES.get(self.referral_status, "")}

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        # Serves "the MOUD status in force for patient P" (chart card, schedule, summary).
        indexes = [models.Index(fields=["patient", "-recorded_at"], name="moud_latest")]


class NaloxoneRecord(models.Model):
    """Naloxone offered, prescribed, dispensed or declined, on a date."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="naloxone_records"
    )
    action = models.CharField(max_length=16)  # care.moud.NALOXONE_ACTIONS
    on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def label(self) -> str:
        return moud.NALOXONE_ACTIONS.get(self.action, self.action)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["patient", "-on"], name="naloxone_latest")]


class MoudCheckin(models.Model):
    """A care-team check-in on MOUD at a follow-up: how it is going, in the clinician's words."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="moud_checkins"
    )
    on = models.DateField()
    answer = models.CharField(max_length=16)  # care.moud.CHECKIN_ANSWERS
    note = models.TextField(blank=True, max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def label(self) -> str:
        return moud.CHECKIN_ANSWERS.get(self.answer, self.answer)

    class Meta:
        ordering = ["-on", "-pk"]
        # Serves the follow-up schedule's MOUD column: a patient's check-ins by date.
        indexes = [models.Index(fields=["patient", "-on"], name="moud_checkin_on")]
