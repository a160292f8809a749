"""Cards the recovery tools add to the patient's home and the clinician's chart.

Chart panels ask `clinician_may_see` first and audit the read (page.audit) only when they show
something, so a revoked consent hides the panel on the very next load.
"""

from __future__ import annotations

from django.db.models import Exists

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.page import PatientPage, any_of
from kratom_recovery.web.patients.queries import recent_checkins
from kratom_recovery.web.recovery import queries
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.recovery.models import CopingFeedback, JournalEntry, RelapsePlan

CHART_JOURNAL_LIMIT = 10


def home_with_patient() -> dict[str, Exists]:
    """Whether the person rated any coping idea, read with their row on the home."""
    return {"has_coping_feedback": any_of(CopingFeedback.objects.all())}


def home_coping(page: PatientPage) -> Panel | None:
    if not hasattr(page.patient, "profile"):
        return None
    view = queries.coping_view(page.patient, page.now, n=2,
                               any_feedback=page.may_have("has_coping_feedback"),
                               history=page.once(recent_checkins))
    return Panel("recovery/panels/home_coping.html", {"coping": view})


def home_progress(page: PatientPage) -> Panel | None:
    if not hasattr(page.patient, "profile"):
        return None
    return Panel("recovery/panels/home_progress.html",
                 {"progress": queries.progress_view(page.patient, page.now)})


def home_tools(page: PatientPage) -> Panel | None:
    return Panel("recovery/panels/home_tools.html", {})


def chart_plan(page: PatientPage) -> Panel | None:
    if not clinician_may_see(page.patient, "plan"):
        return None
    plan: RelapsePlan | None = getattr(page.patient, "relapse_plan", None)
    if plan is None:
        return None
    page.audit("relapse-plan")
    return Panel("recovery/panels/chart_plan.html", {"plan": plan})


def chart_journal(page: PatientPage) -> Panel | None:
    if not clinician_may_see(page.patient, "journal"):
        return None
    entries = list(JournalEntry.objects.filter(patient=page.patient, shared=True)
                   [:CHART_JOURNAL_LIMIT])
    if not entries:
        return None
    page.audit("journal-shared")
    return Panel("recovery/panels/chart_journal.html", {"entries": entries})
