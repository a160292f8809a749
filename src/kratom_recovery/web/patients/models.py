"""A patient's records: profile, check-ins, instrument responses, logged use.

Writers live in patients/actions.py; nothing else creates or changes these rows.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import profile as care_profile
from kratom_recovery.web.accounts.models import User


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class Patient(models.Model):
    """The person quitting. One per patient user; optionally with a care team (one primary
    clinician and any co-clinicians, CareTeamMember)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patient"
    )
    created_at = models.DateTimeField(default=timezone.now)
    timezone = models.CharField(max_length=64, default="UTC")  # IANA name; "today" is local
    # Latest known use (onboarding's last dose or a logged use): drives the days-free counter
    # and is denormalised so the caseload list needs no per-row query.
    last_use_at = models.DateTimeField(null=True, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    # How the care team reaches the person (patients/contact.py checks and writes these).
    # The e-mail address is the account's (User.email): one address for password resets,
    # reminders and message notices.
    phone = models.CharField(max_length=20, blank=True)
    emergency_name = models.CharField(max_length=80, blank=True)
    emergency_phone = models.CharField(max_length=20, blank=True)
    emergency_relationship = models.CharField(max_length=40, blank=True)
    # When the patient agreed that the care team may see the emergency contact in an
    # emergency; None: not shown to anyone but the patient.
    emergency_consent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.display_name

    @property
    def primary_member(self) -> CareTeamMember | None:
        """The care team's primary entry. The team is read once per instance and kept as
        Django keeps a prefetch of `care_team` (a page asks several times; refresh_from_db()
        reads it again)."""
        cache = self.__dict__.setdefault("_prefetched_objects_cache", {})
        if "care_team" not in cache:
            team = CareTeamMember.objects.filter(patient=self).select_related("clinician")
            len(team)  # evaluate now: the cached queryset answers every later call
            cache["care_team"] = team
        return next((m for m in cache["care_team"] if m.role == CareTeamRole.PRIMARY), None)

    @property
    def clinician(self) -> User | None:
        """The primary clinician, read from the care team (the one place it is stored)."""
        member = self.primary_member
        return None if member is None else member.clinician

    @property
    def clinician_id(self) -> int | None:
        member = self.primary_member
        return None if member is None else member.clinician_id

    @property
    def display_name(self) -> str:
        return str(self.user)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_now(self, now: datetime | None = None) -> datetime:
        return (now or timezone.now()).astimezone(self.zone)

    def today(self, now: datetime | None = None) -> date:
        """The patient's calendar date at `now`: "today" is always in their zone."""
        return self.local_now(now).date()


class UseProfile(models.Model):
    """Onboarding answers; converts to the pure care.profile.UseProfile at the edge."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="profile")
    product = models.CharField(max_length=16, choices=choices(care_profile.PRODUCTS))
    amount_per_day = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=8, choices=choices(care_profile.UNITS))
    doses_per_day = models.PositiveSmallIntegerField()
    years_of_use = models.DecimalField(max_digits=4, decimal_places=1)
    last_dose = models.DateTimeField()
    other_substances = models.JSONField(default=list)
    medications = models.JSONField(default=list)
    conditions = models.JSONField(default=list)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    support = models.CharField(max_length=8, choices=choices(care_profile.SUPPORT_LEVELS))
    previous_attempts = models.PositiveSmallIntegerField(default=0)
    goal = models.CharField(max_length=8, choices=choices(care_profile.GOALS))
    # Alcohol/benzodiazepine dependence signs answered yes (care.profile.DEPENDENCE_SIGNS).
    dependence = models.JSONField(default=list)
    # Optional; only chooses the AUDIT-C cut-off (care.profile.SEXES).
    sex = models.CharField(max_length=8, blank=True, choices=choices(care_profile.SEXES))
    updated_at = models.DateTimeField(default=timezone.now)

    def to_domain(self) -> care_profile.UseProfile:
        return care_profile.UseProfile(
            product=self.product,
            amount_per_day=float(self.amount_per_day),
            unit=self.unit,
            doses_per_day=self.doses_per_day,
            years_of_use=float(self.years_of_use),
            last_dose=self.patient.last_use_at or self.last_dose,
            other_substances=frozenset(self.other_substances),
            medications=tuple(self.medications),
            conditions=frozenset(self.conditions),
            age=self.age,
            support=self.support,
            previous_attempts=self.previous_attempts,
            goal=self.goal,
            dependence=frozenset(self.dependence),
            sex=self.sex or None,
        )


class CheckIn(models.Model):
    """One day's self-report; editable on the same local day."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="checkins")
    local_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    sleep_hours = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    mood = models.PositiveSmallIntegerField(null=True, blank=True)
    # Measured body temperature in °C, optional (care.safety fever rule).
    temperature_c = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    # Safety questions asked every day (care.safety.DANGER_SYMPTOMS; a daily self-harm
    # question because PHQ-9 item 9 is only asked weekly).
    danger_symptoms = models.JSONField(default=list)
    self_harm_thoughts = models.BooleanField(null=True)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "local_date"], name="one_checkin_per_day")
        ]


class InstrumentResponse(models.Model):
    """A scored instrument, with the instrument id and version it was scored under."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="responses")
    checkin = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    instrument = models.CharField(max_length=32)
    version = models.CharField(max_length=16)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField()
    max_total = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=32)
    flags = models.JSONField(default=list)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        # Serves "latest score of instrument X for patient P" (home, chart, caseload).
        indexes = [
            models.Index(fields=["patient", "instrument", "-recorded_at"], name="resp_latest")
        ]


class UseEvent(models.Model):
    """A logged use of kratom. Restarts the days-free counter; history is kept."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="uses")
    taken_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=8, choices=choices(care_profile.UNITS))
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("use event")


class CareTeamRole(models.TextChoices):
    PRIMARY = "primary", _("Primary clinician")
    CO = "co", _("Co-clinician")


class CareTeamMember(models.Model):
    """A clinician on a patient's care team: one primary (answers for the patient and gets
    their alerts first) and any number of co-clinicians; everyone on the team sees the chart.

    Writers live in patients/care_team.py.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_teams"
    )
    role = models.CharField(max_length=8, choices=CareTeamRole.choices)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "added_at", "id"]  # "co" < "primary": callers sort as they need
        constraints = [
            models.UniqueConstraint(fields=["patient", "clinician"], name="care_team_once"),
            models.UniqueConstraint(fields=["patient"], condition=models.Q(role="primary"),
                                    name="care_team_one_primary"),
        ]
        # Serves the caseload ("patients whose team I am on").
        indexes = [models.Index(fields=["clinician", "patient"], name="care_team_clinician")]

    def __str__(self) -> str:
        return f"{self.clinician} ({self.role}) for patient {self.patient_id}"


class CurrentState(models.Model):
    """What the safety evaluation reads about a patient, kept in one row so that a check-in
    is evaluated from one read instead of about twenty (patients/state.py keeps it).

    Inputs only, never outcomes (the stored evaluation is safety.SafetyState). A check-in
    updates the row; every other write marks it not `valid`, and the next check-in rebuilds
    it from the tables. The JSON fields hold plain values:
    `checkin_responses` and `latest` map an instrument id to a response summary (id,
    version, answers, total, max_total, band, flags, recorded_at, recorded_by_id); `sows`
    lists [recorded_at, total, id] from `sows_since`; `doses` lists [taken_at, amount, unit,
    kind] ("use" or "taper") after `doses_since`; `uses` the latest two logged uses as
    [taken_at, created_at, unit]; `followup` the latest suicide follow-up
    ({"answers", "created_at"}), {} for none, None until the safety app reads it.
    """

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, primary_key=True,
                                   related_name="current_state")
    valid = models.BooleanField(default=False)
    last_checkin = models.ForeignKey(CheckIn, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    checkin_responses = models.JSONField(default=dict)
    latest = models.JSONField(default=dict)
    sows_since = models.DateTimeField(null=True)
    sows = models.JSONField(default=list)
    doses_since = models.DateTimeField(null=True)
    doses = models.JSONField(default=list)
    uses = models.JSONField(default=list)
    followup = models.JSONField(null=True, default=None)
    updated_at = models.DateTimeField(default=timezone.now)

    # Not stored: the severity ranks of the patient's open alerts, as the safety evaluation of
    # the check-in holding this row read them, for the caseload triage that follows it.
    open_alert_ranks: list[int] | None = None
