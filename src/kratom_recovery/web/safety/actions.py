"""The one way to raise and acknowledge alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import SEVERITY_RANK, Alert

MAX_NOTE = 2000


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
    now: datetime | None = None,
) -> Alert:
    """Open an alert unless the same rule already has an open one (then return that one)."""
    if severity not in SEVERITY_RANK:
        raise InvalidInput("severity", _("unknown severity %(s)r") % {"s": severity})
    existing = Alert.objects.filter(patient=patient, rule=rule, acknowledged_at=None).first()
    if existing is not None:
        return existing
    return Alert.objects.create(
        patient=patient,
        rule=rule,
        severity=severity,
        severity_rank=SEVERITY_RANK[severity],
        patient_message=patient_message,
        clinician_message=clinician_message,
        actions=list(actions),
        details=list(details),
        source=source,
        created_at=now or timezone.now(),
    )


@transaction.atomic
def acknowledge_alert(alert: Alert, clinician: User, note: str, *,
                      now: datetime | None = None) -> Alert:
    """A clinician closes an alert with a note saying what was done."""
    note = note.strip()
    if not note:
        raise InvalidInput("note", _("say briefly what was done"))
    if len(note) > MAX_NOTE:
        raise InvalidInput("note", _("at most %(n)d characters") % {"n": MAX_NOTE})
    if alert.acknowledged_at is not None:
        raise InvalidInput("alert", _("this alert was already acknowledged"))
    alert.acknowledged_at = now or timezone.now()
    alert.acknowledged_by = clinician
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    audit.record(clinician, alert.patient, "update", f"alert:{alert.pk}")
    return alert
