"""Bedside records of medically supervised withdrawal: vital signs, the per-patient orders
(assessment interval, alert limits), the program's lab analytes and lab results, and the
comfort-medication orders with their administration record (MAR).

COWS and CIWA-Ar ratings are `patients.InstrumentResponse` rows like every instrument
(recorded through bedside/actions.py with the time they were assessed). Writers live in
bedside/actions.py.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from kratom_recovery.care import labs
from kratom_recovery.care.mar import HoldRule, OrderSpec
from kratom_recovery.care.vitals import VitalsReading
from kratom_recovery.web.patients.models import Patient


class VitalSigns(models.Model):
    """One set of vitals taken at one time; any of them may be blank (not measured)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="vital_signs")
    taken_at = models.DateTimeField()
    pulse = models.PositiveSmallIntegerField(null=True, blank=True)
    systolic = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(null=True, blank=True)
    temperature_c = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField(null=True, blank=True)
    weight_kg = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-pk"]
        # Serves the flowsheet and the chart card: a patient's latest readings.
        indexes = [models.Index(fields=["patient", "-taken_at"], name="vitals_latest")]

    def reading(self) -> VitalsReading:
        return VitalsReading(
            pulse=self.pulse, systolic=self.systolic, diastolic=self.diastolic,
            temperature_c=self.temperature_c, respiratory_rate=self.respiratory_rate,
            spo2=self.spo2, weight_kg=self.weight_kg,
        )


class BedsideOrders(models.Model):
    """What the clinician set for this patient: minutes between COWS/CIWA-Ar assessments
    (none: no schedule) and the vital-sign limits that raise an alert (care.vitals limit
    names; none is built in)."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE,
                                   related_name="bedside_orders")
    assessment_interval_minutes = models.PositiveIntegerField(null=True, blank=True)
    limits = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class LabAnalyte(models.Model):
    """An analyte the program tests for, seeded from care.labs.DEFAULT_ANALYTES and edited
    by the program admin: its code (LOINC or the laboratory's own), and its range."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)
    panel = models.CharField(max_length=16, choices=list(labs.PANELS.items()))
    kind = models.CharField(max_length=16, choices=[("qualitative", "qualitative"),
                                                    ("quantitative", "quantitative")])
    unit = models.CharField(max_length=16, blank=True)
    loinc = models.CharField(max_length=16, blank=True)
    code_status = models.CharField(max_length=16, default="none")  # unverified|program|none
    specific_assay = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=500)
    low = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def to_domain(self) -> labs.Analyte:
        return labs.Analyte(
            code=self.code, name=self.name, panel=self.panel,
            kind="qualitative" if self.kind == "qualitative" else "quantitative",
            unit=self.unit, loinc=self.loinc, specific_assay=self.specific_assay,
            note=self.note,
        )


class LabResult(models.Model):
    """One result, with the program's range in force when it was recorded (so a later
    change of range does not re-flag history)."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    analyte = models.ForeignKey(LabAnalyte, on_delete=models.PROTECT, related_name="results")
    collected_at = models.DateTimeField()
    value_text = models.CharField(max_length=16, blank=True)  # qualitative result
    value_number = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    flag = models.CharField(max_length=8, blank=True)  # care.labs.Flag or ""
    low = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    high = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-collected_at", "analyte__position", "pk"]
        # Serves the lab history on the labs page and the chart card.
        indexes = [models.Index(fields=["patient", "-collected_at"], name="labs_latest")]

    @property
    def value(self) -> str | Decimal:
        return self.value_text if self.value_number is None else self.value_number


class MedicationOrder(models.Model):
    """A comfort-medication order as the clinician entered it (care/mar.py checks every
    field; nothing has a default). `hold_rules` is a list of {vital, comparator, value}."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE,
                                related_name="medication_orders")
    generic = models.CharField(max_length=80)
    entered_name = models.CharField(max_length=80)
    dose = models.DecimalField(max_digits=10, decimal_places=3)
    unit = models.CharField(max_length=16)
    route = models.CharField(max_length=16)
    kind = models.CharField(max_length=10)  # scheduled | prn
    times = models.JSONField(default=list)
    interval_minutes = models.PositiveIntegerField(null=True, blank=True)
    indication = models.CharField(max_length=200, blank=True)
    cows_at_least = models.PositiveSmallIntegerField(null=True, blank=True)
    max_per_24h = models.DecimalField(max_digits=10, decimal_places=3)
    hold_rules = models.JSONField(default=list)
    window_minutes = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["stopped_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["patient", "stopped_at"], name="medorders_active")]

    def spec(self) -> OrderSpec:
        return OrderSpec(
            generic=self.generic, dose=self.dose.normalize(), unit=self.unit, route=self.route,
            kind="prn" if self.kind == "prn" else "scheduled", times=tuple(self.times),
            interval_minutes=self.interval_minutes, indication=self.indication,
            cows_at_least=self.cows_at_least, max_per_24h=self.max_per_24h.normalize(),
            hold_rules=tuple(HoldRule(r["vital"], r["comparator"], Decimal(r["value"]))
                             for r in self.hold_rules),
            window_minutes=self.window_minutes,
        )


class MedicationDose(models.Model):
    """One entry on the administration record: a dose given, held or refused, at a time."""

    order = models.ForeignKey(MedicationOrder, on_delete=models.CASCADE, related_name="doses")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE,
                                related_name="medication_doses")
    outcome = models.CharField(max_length=10)  # care.mar.OUTCOMES
    at = models.DateTimeField()
    dose = models.DecimalField(max_digits=10, decimal_places=3)
    reason = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def amount_text(self) -> str:
        return f"{self.dose.normalize():f} {self.order.unit}"

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"], name="meddoses_latest")]


class InductionSetting(models.Model):
    """The program's COWS line for the first buprenorphine dose. Null until a program admin
    sets it: there is no default (care/induction.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    cows_threshold = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")


class Induction(models.Model):
    """A patient's buprenorphine induction checklist as the clinician filled it in: last use
    by product, the reassessment interval after each dose, and a low-dose schedule if chosen.
    The doses themselves are MAR orders and doses."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="induction")
    last_leaf = models.DateTimeField(null=True, blank=True)
    last_extract = models.DateTimeField(null=True, blank=True)
    last_7oh = models.DateTimeField(null=True, blank=True)
    reassess_minutes = models.PositiveIntegerField(null=True, blank=True)
    low_dose = models.BooleanField(default=False)
    schedule = models.TextField(blank=True, max_length=2000)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    def last_uses(self) -> dict[str, datetime | None]:
        return {"leaf": self.last_leaf, "extract": self.last_extract, "7-oh": self.last_7oh}
