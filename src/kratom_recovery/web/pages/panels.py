"""Which cards the composed pages show, in page order, as imported panel functions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.bedside import panels as bedside
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.exports import panels as exports
from kratom_recovery.web.followup import panels as followup
from kratom_recovery.web.messaging import panels as messaging
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.patients.panels_timeline import timeline_panel
from kratom_recovery.web.recovery import panels as recovery
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.safety import panels as safety
from kratom_recovery.web.tapers import panels as tapers
from kratom_recovery.web.tapers.doses import on_kratom_taper

PanelFunction = Callable[[Patient, User, datetime], Panel | None]


def timeline(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    """The patients app's timeline card, told about the taper and the sharing consent."""
    shared = viewer.pk == patient.user_id or clinician_may_see(patient, "checkins")
    return timeline_panel(patient, viewer, now, on_taper=on_kratom_taper(patient),
                          checkins_shared=shared)


HOME_PANELS: Final[list[PanelFunction]] = [
    safety.crisis_card,
    tapers.home_panel,
    timeline,
    followup.home_panel,
    safety.next_step,
    recovery.home_progress,
    recovery.home_coping,
    recovery.home_tools,
    exports.home_panel,
]
CHART_PANELS: Final[list[PanelFunction]] = [
    safety.chart_alerts,
    messaging.chart_panel,
    bedside.chart_panel,
    timeline,
    tapers.chart_panel,
    followup.chart_panel,
    safety.chart_level,
    recovery.chart_plan,
    recovery.chart_journal,
    exports.chart_panel,
]
