"""The one way to raise and acknowledge alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.level_of_care import ClinicianDecision
from kratom_recovery.care.safety import check_suicide_followup
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.text import check_text
from kratom_recovery.web.patients.hooks import after_write
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.hooks import alert_raised, triage_changed
from kratom_recovery.web.safety.models import (
    SEVERITY_RANK,
    Alert,
    LevelOfCareDecision,
    SuicideFollowup,
)


def raise_alert(
    patient: Patient,
    *,
    rule: str,
    severity: str,
    patient_message: str,
    clinician_message: str,
    actions: Sequence[str] = (),
    details: Sequence[str] = (),
    source: str,
    evidence_source: str = "",
    assumption: str = "",
    now: datetime | None = None,
) -> Alert:
    """Open an alert unless the same rule already has an open one (then return that one)."""
    if severity not in SEVERITY_RANK:
        raise InvalidInput("severity", _("unknown severity %(s)r") % {"s": severity})
    existing = Alert.objects.filter(patient=patient, rule=rule, acknowledged_at=None).first()
    if existing is not None:
        return existing
    alert = Alert.objects.create(
        patient=patient,
        rule=rule,
        severity=severity,
        severity_rank=SEVERITY_RANK[severity],
        patient_message=patient_message,
        clinician_message=clinician_message,
        actions=list(actions),
        details=list(details),
        source=source,
        evidence_source=evidence_source,
        assumption=assumption,
        created_at=now or timezone.now(),
    )
    alert_raised(alert)  # the notifier queues its delivery for after the commit
    triage_changed(patient, alert.created_at)
    return alert


@transaction.atomic
def acknowledge_alert(alert: Alert, clinician: User, note: str, *,
                      now: datetime | None = None) -> Alert:
    """A clinician closes an alert with a note saying what was done."""
    note = check_text("note", note)
    if not note:
        raise InvalidInput("note", _("say briefly what was done"))
    if alert.acknowledged_at is not None:
        raise InvalidInput("alert", _("this alert was already acknowledged"))
    alert.acknowledged_at = now or timezone.now()
    alert.acknowledged_by = clinician
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    audit.record(clinician, alert.patient, "update", f"alert:{alert.pk}")
    triage_changed(alert.patient, alert.acknowledged_at)
    return alert


@transaction.atomic
def record_suicide_followup(patient: Patient, actor: User, answers: object, *,
                            now: datetime | None = None) -> SuicideFollowup:
    """Store the follow-up answers and re-evaluate at once (a yes to intent is an emergency)."""
    now = now or timezone.now()
    checked = check_suicide_followup(answers)
    if not checked:
        raise InvalidInput("suicide_followup", _("answer at least one question"))
    followup = SuicideFollowup.objects.create(patient=patient, answers=checked, created_at=now)
    audit.record(actor, patient, "create", f"suicide-followup:{followup.pk}")
    after_write(patient, actor, now, "safety-check")
    return followup


@transaction.atomic
def record_level_decision(patient: Patient, clinician: User, level: str, reason: str, *,
                          now: datetime | None = None) -> LevelOfCareDecision:
    """A clinician records their own level-of-care decision (validated by the pure core)."""
    now = now or timezone.now()
    reason = check_text("reason", reason)
    decision = ClinicianDecision(level=level, reason=reason, decided_by=clinician.username,
                                 decided_at=now)
    row = LevelOfCareDecision.objects.create(
        patient=patient, level=decision.level, reason=decision.reason.strip(),
        decided_by=clinician, decided_at=now,
    )
    audit.record(clinician, patient, "create", f"level-decision:{row.pk}")
    return row
