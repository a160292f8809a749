"""Which cards the composed pages show, in page order, as imported panel functions.

Each function takes the page being built (patients/page.py PatientPage) and returns a Panel or
None. The chart is a triage view in regions: `CHART_TOP` runs across the page (the summary
strip, then the alerts), then two columns on a wide screen, `CHART_MAIN` on the left (the
clinical course) and `CHART_SIDE` on the right (the team's tools and the patient's plans); a
phone shows the regions one after the other in that order. A new card goes in the region
where a clinician would look for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from kratom_recovery.web.bedside import panels as bedside
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.exports import panels as exports
from kratom_recovery.web.followup import panels as followup
from kratom_recovery.web.followup.moud import panels as moud
from kratom_recovery.web.messaging import panels as messaging
from kratom_recovery.web.pages import chart
from kratom_recovery.web.patients.models import CareTeamMember
from kratom_recovery.web.patients.page import PanelFunction, PatientPage, any_of
from kratom_recovery.web.patients.panels_timeline import timeline_panel
from kratom_recovery.web.recovery import panels as recovery
from kratom_recovery.web.safety import panels as safety
from kratom_recovery.web.safety.plan import panels as safety_plan
from kratom_recovery.web.tapers import panels as tapers


def timeline(page: PatientPage) -> Panel | None:
    """The patients app's timeline card, told about the taper and the sharing consent."""
    shared = page.once(chart.shares_checkins)
    return timeline_panel(page.patient, page.viewer, page.now,
                          on_taper=page.once(tapers.on_kratom_taper), checkins_shared=shared)


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

CHART_TOP: Final[list[PanelFunction]] = [
    chart.summary,
    safety.chart_alerts,
    safety_plan.chart_high_risk,
]
CHART_MAIN: Final[list[PanelFunction]] = [
    bedside.chart_panel,
    chart.checkins,
    chart.questionnaires,
    timeline,
    tapers.chart_panel,
    recovery.chart_journal,
]
CHART_SIDE: Final[list[PanelFunction]] = [
    messaging.chart_panel,
    followup.chart_panel,
    moud.chart_panel,
    safety.chart_level,
    safety_plan.chart_panel,
    chart.profile,
    recovery.chart_plan,
    exports.chart_panel,
]
CHART_REGIONS: Final[dict[str, list[PanelFunction]]] = {
    "top": CHART_TOP, "main": CHART_MAIN, "side": CHART_SIDE}

# The one-to-one rows the chart's cards show, read with the patient in one query.
CHART_RELATED: Final = ("profile", "sharing_consent", "safety_state", "followup_plan",
                        "relapse_plan", "bedside_orders")


def chart_with_patient(now: datetime) -> dict[str, Any]:
    """Values the chart reads with the patient's row (one query for several counts), so the
    cards skip reads that would find nothing (PatientPage.may_have)."""
    return {**bedside.chart_with_patient(), **messaging.chart_with_patient(),
            **safety_plan.chart_with_patient(),
            **moud.chart_with_patient(), **safety.with_patient(),
            **followup.with_patient(now)}


# The same for the patient's home.
HOME_RELATED: Final = ("profile", "safety_state", "followup_plan", "recovery_settings")


def home_with_patient(now: datetime) -> dict[str, Any]:
    return {**messaging.home_with_patient(), **recovery.home_with_patient(),
            **safety.with_patient(), **followup.with_patient(now),
            "has_clinician": any_of(CareTeamMember.objects.all())}
