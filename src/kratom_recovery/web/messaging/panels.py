"""The message card on the clinician's chart, with the team's unread count (the patient
sees theirs in the navigation bar on every page)."""

from __future__ import annotations

from django.db.models.functions import Coalesce

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.messaging.context import PATIENT_UNREAD
from kratom_recovery.web.messaging.queries import (
    unread_for_patient_subquery,
    unread_for_team,
    unread_for_team_subquery,
)
from kratom_recovery.web.patients.page import PatientPage


def chart_with_patient() -> dict[str, Coalesce]:
    """The team's unread count, read with the patient's row on the chart."""
    return {"team_unread": unread_for_team_subquery()}


def home_with_patient() -> dict[str, Coalesce]:
    """The patient's own unread count for the navigation bar, read with their row."""
    return {PATIENT_UNREAD: unread_for_patient_subquery()}


def team_unread(page: PatientPage) -> int:
    """Messages from the patient no one on the team has read (the card and the summary)."""
    counted = page.patient.__dict__.get("team_unread")
    return counted if isinstance(counted, int) else unread_for_team(page.patient)


def chart_panel(page: PatientPage) -> Panel | None:
    if not page.viewer.is_clinician:
        return None
    return Panel("messaging/panel.html", {"unread": page.once(team_unread),
                                          "patient": page.patient})
