"""Pages other apps contribute to: the patient's home and the clinician's chart.

Each app adds a panel function here by dotted path instead of editing the views, so the
views stay thin and apps stay independent. A panel function takes (patient, viewer, now)
and returns a Panel, or None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.module_loading import import_string

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.patients.models import Patient


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    top: bool = False  # shown above everything else on the page (the crisis card)


PanelFunction = Callable[[Patient, User, datetime], Panel | None]

# Order is the order on the page.
HOME_PANELS: list[str] = [
    "kratom_recovery.web.safety.panels.crisis_card",
    "kratom_recovery.web.tapers.panels.home_panel",
    "kratom_recovery.web.patients.panels_timeline.timeline_panel",
    "kratom_recovery.web.followup.panels.home_panel",
    "kratom_recovery.web.safety.panels.next_step",
    "kratom_recovery.web.recovery.panels.home_progress",
    "kratom_recovery.web.recovery.panels.home_coping",
    "kratom_recovery.web.recovery.panels.home_tools",
    "kratom_recovery.web.exports.panels.home_panel",
]
CHART_PANELS: list[str] = [
    "kratom_recovery.web.safety.panels.chart_alerts",
    "kratom_recovery.web.patients.panels_timeline.timeline_panel",
    "kratom_recovery.web.tapers.panels.chart_panel",
    "kratom_recovery.web.followup.panels.chart_panel",
    "kratom_recovery.web.safety.panels.chart_level",
    "kratom_recovery.web.recovery.panels.chart_plan",
    "kratom_recovery.web.recovery.panels.chart_journal",
    "kratom_recovery.web.exports.panels.chart_panel",
]


def render_panels(paths: list[str], patient: Patient, viewer: User, now: datetime) -> list[Panel]:
    panels = []
    for path in paths:
        function: PanelFunction = import_string(path)
        panel = function(patient, viewer, now)
        if panel is not None:
            panels.append(panel)
    return panels
