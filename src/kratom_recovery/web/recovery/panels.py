"""Cards the recovery tools add to the patient's home and the clinician's chart.

Chart panels ask `clinician_may_see` first and audit the read only when they show something,
so a revoked consent hides the panel on the very next load.
"""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.recovery import queries
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.recovery.models import JournalEntry, RelapsePlan

CHART_JOURNAL_LIMIT = 10


def home_coping(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not hasattr(patient, "profile"):
        return None
    view = queries.coping_view(patient, now, n=2)
    return Panel("recovery/panels/home_coping.html", {"coping": view})


def home_progress(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not hasattr(patient, "profile"):
        return None
    return Panel("recovery/panels/home_progress.html",
                 {"progress": queries.progress_view(patient, now)})


def home_tools(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    return Panel("recovery/panels/home_tools.html", {})


def chart_plan(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not clinician_may_see(patient, "plan"):
        return None
    plan = RelapsePlan.objects.filter(patient=patient).first()
    if plan is None:
        return None
    audit.record(viewer, patient, "read", "relapse-plan")
    return Panel("recovery/panels/chart_plan.html", {"plan": plan})


def chart_journal(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    if not clinician_may_see(patient, "journal"):
        return None
    entries = list(JournalEntry.objects.filter(patient=patient, shared=True)
                   [:CHART_JOURNAL_LIMIT])
    if not entries:
        return None
    audit.record(viewer, patient, "read", "journal-shared")
    return Panel("recovery/panels/chart_journal.html", {"entries": entries})
