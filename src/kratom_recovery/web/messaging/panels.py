"""The message card on the clinician's chart, with the team's unread count (the patient
sees theirs in the navigation bar on every page)."""

from __future__ import annotations

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.messaging.queries import unread_for_team
from kratom_recovery.web.patients.page import PatientPage


def team_unread(page: PatientPage) -> int:
    """Messages from the patient no one on the team has read (the card and the summary)."""
    return unread_for_team(page.patient)


def chart_panel(page: PatientPage) -> Panel | None:
    if not page.viewer.is_clinician:
        return None
    return Panel("messaging/panel.html", {"unread": page.once(team_unread),
                                          "patient": page.patient})
