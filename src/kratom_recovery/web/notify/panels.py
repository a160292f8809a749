"""The notifier's cards: the delivery record on the clinician's alert page, and the delivery
state inside the patient's crisis card (pages/panels.py hands it to safety's card)."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.notify.models import AlertDispatch, Delivery
from kratom_recovery.web.notify.state import patient_delivery
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import Alert


def alert_deliveries(alert: Alert, viewer: User, now: datetime) -> Panel:
    """Each step: who was told on which channel, and whether it was sent, delivered or
    failed (the acknowledgement itself is on the alert page)."""
    rows = list(Delivery.objects.filter(alert=alert).select_related("recipient"))
    dispatch = AlertDispatch.objects.filter(pk=alert.pk).first()
    return Panel("notify/alert_deliveries.html", {
        "alert": alert, "deliveries": rows, "dispatch": dispatch,
    })


def crisis_delivery(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    """The line under the crisis card's heading: sending…, sent at 21:04, or not delivered."""
    state = patient_delivery(patient, now)
    if state is None:
        return None
    return Panel("notify/crisis_delivery.html", {"delivery": state})
