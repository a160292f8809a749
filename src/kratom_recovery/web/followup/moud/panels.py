"""The MOUD and naloxone card on the clinician's chart (pages/panels.py), with the link to the
discharge summary."""

from __future__ import annotations

from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.followup.moud import queries
from kratom_recovery.web.patients.page import PatientPage


def chart_panel(page: PatientPage) -> Panel | None:
    if page.viewer.role != Role.CLINICIAN:
        return None
    naloxone = queries.naloxone_history(page.patient, 1)
    return Panel("followup/moud_panel.html", {
        "patient": page.patient, "current": queries.current_moud(page.patient),
        "naloxone": naloxone[0] if naloxone else None,
    })
