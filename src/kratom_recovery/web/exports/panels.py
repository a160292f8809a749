"""Small cards linking to the data pages: on the patient's home and the clinician's chart."""

from __future__ import annotations

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.page import PatientPage


def home_panel(page: PatientPage) -> Panel | None:
    return Panel("exports/panel_home.html")


def chart_panel(page: PatientPage) -> Panel | None:
    if not page.viewer.is_clinician:
        return None
    return Panel("exports/panel_chart.html", {"patient": page.patient})
