"""The message card on the clinician's chart, with the team's unread count (the patient
sees theirs in the navigation bar on every page)."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.messaging.queries import unread_for_team
from kratom_recovery.web.patients.models import Patient


def chart_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not viewer.is_clinician:
        return None
    return Panel("messaging/panel.html", {"unread": unread_for_team(patient),
                                          "patient": patient})
