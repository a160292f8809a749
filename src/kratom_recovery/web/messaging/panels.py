"""Message cards: on the patient's home and the clinician's chart, with the unread count."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.messaging.notices import care_team
from kratom_recovery.web.messaging.queries import unread_for_patient, unread_for_team
from kratom_recovery.web.patients.models import Patient


def home_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not care_team(patient):
        return None  # no care team to write to (yet)
    return Panel("messaging/panel.html", {"unread": unread_for_patient(patient),
                                          "mine": True})


def chart_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not viewer.is_clinician:
        return None
    return Panel("messaging/panel.html", {"unread": unread_for_team(patient), "mine": False,
                                          "patient": patient})
