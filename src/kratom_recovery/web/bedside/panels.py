"""The bedside card on the clinician's chart (pages/panels.py): latest vitals with trends,
when the next COWS/CIWA-Ar is due, and flagged lab results; links to each bedside page."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.bedside import queries
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient

CHART_READINGS = 6  # enough for a trend arrow per vital


def chart_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if viewer.role != Role.CLINICIAN:
        return None
    rows = queries.flowsheet(patient, CHART_READINGS)
    flagged = [r for r in queries.lab_history(patient, 20) if r.flag]
    return Panel("bedside/chart_panel.html", {
        "patient": patient, "series": queries.series(rows)[:7],
        "last_taken": rows[0].taken_at if rows else None,
        "due": queries.due_for(patient, now), "flagged": flagged[:5],
    })
