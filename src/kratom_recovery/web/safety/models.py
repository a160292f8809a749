"""Alerts for the care team, raised by the safety engine and by missed follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.safety_plan import RISK_LEVELS

SEVERITIES = ("info", "warning", "urgent", "emergency")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# A short "why" per care.safety rule for alert lists (a test checks every rule has one).
RULE_TITLES: dict[str, Promise] = {
    "suicide-intent-or-plan": _("Suicide follow-up: intent, plan or recent self-harm"),
    "suicidal-thoughts": _("Thoughts of death or self-harm (PHQ-9 item 9 or follow-up)"),
    "emergency-symptoms": _("Emergency symptom reported"),
    "concentrate-toxicity": _("Emergency symptom with 7-OH or extract: possible toxicity"),
    "dehydration": _("Cannot keep fluids down"),
    "severe-withdrawal": _("Severe withdrawal score (SOWS 21+ or COWS 25+)"),
    "sedative-combination": _("Kratom with sedatives"),
    "cyp3a-medicine": _("Possible CYP3A interaction"),
    "cyp2d6-medicine": _("Possible CYP2D6 interaction"),
    "stimulant-combination": _("Kratom with a stimulant"),
    "naltrexone": _("Naltrexone: risk of precipitated withdrawal"),
    "buprenorphine-with-7oh": _("Buprenorphine with 7-OH: plan induction timing"),
    "seven-oh-product": _("Uses a 7-OH product"),
    "extract-product": _("Uses a concentrated extract"),
    "pregnancy": _("Pregnancy"),
    "seizure-history": _("History of seizures"),
    "heart-disease": _("Heart disease"),
    "worse-than-expected": _("Withdrawal worse than the timeline expects"),
    "prolonged-acute": _("Acute withdrawal lasting longer than expected"),
    "missed-checkins": _("No recent check-in during acute withdrawal"),
    "possible-overdose": _("Cannot be woken or slow breathing: possible overdose"),
    "liver-injury-signs": _("Signs of liver injury"),
    "severe-abdominal-pain": _("Severe abdominal pain"),
    "fever": _("Fever (measured)"),
    "cows-review": _("COWS at the review line"),
    "sows-moderate": _("Moderate withdrawal score (SOWS 11+)"),
    "fast-pulse": _("Fast resting pulse"),
    "sedative-withdrawal-risk": _("Daily alcohol or benzodiazepines: don't stop suddenly"),
    "kratom-with-moud": _("Kratom while on buprenorphine or methadone"),
    "lost-tolerance": _("Use after a break: lost tolerance"),
    "liver-disease": _("Liver disease"),
    "adolescent": _("Under 18"),
    "qt-medicine": _("QT-prolonging medicine"),
    "seizure-threshold-medicine": _("Medicine that lowers the seizure threshold"),
    "risky-drinking": _("AUDIT-C positive: risky drinking"),
    "serotonergic-combination": _("Two or more serotonergic medicines"),
    "alpha2-agonist": _("Alpha-2 agonist (e.g. clonidine)"),
    "pulse-masked": _("Beta-blocker masks the pulse"),
    "naloxone-on-hand": _("Has naloxone"),
    "unrecognised-medicines": _("Medicines not recognised: review"),
}


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
    details = models.JSONField(default=list)  # what matched: symptoms, medicines, substances
    source = models.CharField(max_length=64)  # what raised it: "checkin", "onboarding", …
    # The rule's clinical source and, where the rule rests on our own choice, that assumption
    # (care.safety.SafetyRule.source / .assumption), shown to the clinician with the alert.
    evidence_source = models.TextField(blank=True)
    assumption = models.TextField(blank=True)
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

    @property
    def why(self) -> str:
        """One line for lists: the rule's short title (or the first sentence of the clinician
        message for rules raised elsewhere), plus what matched."""
        title = RULE_TITLES.get(self.rule)
        first = str(title) if title else self.clinician_message.split(". ")[0].rstrip(".")
        return f"{first}: {', '.join(self.details)}" if self.details else first


class SafetyState(models.Model):
    """The latest evaluation for a patient, stored so pages and the API need not recompute.

    `flags` holds SafetyFlag.as_dict() items (most severe first); `reasons` the level-of-care
    Recommendation.as_dict() reasons; `recommendation` the rest of it (next step, disclaimer).
    """

    patient = models.OneToOneField("patients.Patient", on_delete=models.CASCADE,
                                   related_name="safety_state")
    evaluated_at = models.DateTimeField()
    source = models.CharField(max_length=64)
    phase = models.CharField(max_length=16, blank=True)  # timeline phase at evaluation
    flags = models.JSONField(default=list)
    highest_severity = models.CharField(max_length=16, blank=True)
    level = models.CharField(max_length=8)
    level_name = models.CharField(max_length=80)
    reasons = models.JSONField(default=list)
    recommendation = models.JSONField(default=dict)
    # Latest evidence time per rule id (ISO strings): an acknowledged alert is raised again
    # only when its rule fires on evidence newer than that alert (see safety/engine.py).
    evidence = models.JSONField(default=dict)

    @property
    def crisis_flags(self) -> list[dict[str, object]]:
        return [f for f in self.flags if f.get("severity") in ("urgent", "emergency")]


class SuicideFollowup(models.Model):
    """Answers to our own suicide follow-up questions (care.safety.SUICIDE_FOLLOWUP)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="suicide_followups")
    answers = models.JSONField()  # question id -> bool
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        # Serves "latest follow-up for patient P" in every evaluation.
        indexes = [models.Index(fields=["patient", "-created_at"], name="followup_latest")]


class LevelOfCareDecision(models.Model):
    """A clinician's own level-of-care decision, with why (care.level_of_care.ClinicianDecision)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="level_decisions")
    level = models.CharField(max_length=8)
    reason = models.TextField(max_length=2000)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        # Serves "the decision in force for patient P" (chart, home, API).
        indexes = [models.Index(fields=["patient", "-decided_at"], name="loc_decision_latest")]


class SuicideRiskAssessment(models.Model):
    """A clinician's own suicide-risk rating with reasons (care/safety_plan.py): their
    judgement, not a score, so nothing computes it and no threshold suggests it."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="risk_assessments")
    rating = models.CharField(max_length=16, choices=[(r, r) for r in RISK_LEVELS])
    reasons = models.TextField(max_length=2000)
    risk_factors = models.JSONField(default=list)  # the clinician's own words, one per item
    protective_factors = models.JSONField(default=list)
    assessed_at = models.DateTimeField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        # Serves "the latest rating for patient P" (chart, help page, alert page, export).
        indexes = [models.Index(fields=["patient", "-assessed_at"],
                                name="risk_assessment_latest")]


class SafetyPlanVersion(models.Model):
    """One saved version of a patient's safety plan; the highest version is the plan in
    force. Kept whole on every save (by the patient or the care team), so who changed what
    and when stays readable."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE,
                                related_name="safety_plan_versions")
    version = models.PositiveIntegerField()
    # Section id -> list of lines, or of {"name", "phone"} for the contact sections.
    sections = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        # Two saves made from the same version cannot both win; the index also serves "the
        # plan in force for patient P" (help page, chart, export).
        constraints = [models.UniqueConstraint(fields=["patient", "version"],
                                               name="safety_plan_version_unique")]
