"""The bedside card on the clinician's chart (pages/panels.py): latest vitals with trends,
when the next COWS/CIWA-Ar is due, and flagged lab results; links to each bedside page."""

from __future__ import annotations

from django.db.models import Exists

from kratom_recovery.care.bedside import Due
from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.bedside import queries
from kratom_recovery.web.bedside.models import LabResult, VitalSigns
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.page import PatientPage, any_of

CHART_READINGS = 6  # enough for a trend arrow per vital


def chart_with_patient() -> dict[str, Exists]:
    """What the chart reads with the patient's row, so this card skips empty reads."""
    return {"has_vitals": any_of(VitalSigns.objects.all()),
            "has_labs": any_of(LabResult.objects.all())}


def chart_readings(page: PatientPage) -> list[VitalSigns]:
    """The latest vital signs, newest first: shared by this card and the chart's summary."""
    if not page.may_have("has_vitals"):
        return []
    return queries.flowsheet(page.patient, CHART_READINGS)


def chart_series(page: PatientPage) -> list[queries.VitalSeries]:
    """Each vital's latest value and trend over those readings."""
    return queries.series(page.once(chart_readings))


def chart_due(page: PatientPage) -> Due | None:
    """When the next COWS / CIWA-Ar is due (None: no interval set; no query when the chart
    read the patient's orders with the patient and there are none)."""
    if getattr(page.patient, "bedside_orders", None) is None:
        return None
    return queries.due_for(page.patient, page.now)


def chart_panel(page: PatientPage) -> Panel | None:
    if page.viewer.role != Role.CLINICIAN:
        return None
    rows = page.once(chart_readings)
    labs = queries.lab_history(page.patient, 20) if page.may_have("has_labs") else []
    flagged = [r for r in labs if r.flag]
    return Panel("bedside/chart_panel.html", {
        "patient": page.patient, "series": page.once(chart_series)[:7],
        "last_taken": rows[0].taken_at if rows else None,
        "due": page.once(chart_due), "flagged": flagged[:5],
    })
