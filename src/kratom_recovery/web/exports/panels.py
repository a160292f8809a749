"""Small cards linking to the data pages: on the patient's home and the clinician's chart."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient


def home_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    return Panel("exports/panel_home.html")


def chart_panel(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not viewer.is_clinician:
        return None
    return Panel("exports/panel_chart.html", {"patient": patient})
