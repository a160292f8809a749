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


PanelFunction = Callable[[Patient, User, datetime], Panel | None]

# Order is the order on the page.
HOME_PANELS: list[str] = [
    "kratom_recovery.web.patients.panels_timeline.timeline_panel",
]
CHART_PANELS: list[str] = [
    "kratom_recovery.web.patients.panels_timeline.timeline_panel",
]


def render_panels(paths: list[str], patient: Patient, viewer: User, now: datetime) -> list[Panel]:
    panels = []
    for path in paths:
        function: PanelFunction = import_string(path)
        panel = function(patient, viewer, now)
        if panel is not None:
            panels.append(panel)
    return panels
