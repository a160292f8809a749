"""Cards on the patient's home (today's target, log a dose) and the clinician's chart."""

from __future__ import annotations

from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.page import PatientPage
from kratom_recovery.web.tapers import plans
from kratom_recovery.web.tapers.models import TaperPlanRecord


def active_plans(page: PatientPage) -> list[TaperPlanRecord]:
    return plans.active_records(page.patient)


def on_kratom_taper(page: PatientPage) -> bool:
    """A kratom taper is running (the timeline card then explains the taper instead)."""
    return any(record.kind == "kratom" for record in page.once(active_plans))


def rows(page: PatientPage) -> list[dict[str, object]]:
    """Each running plan's step today."""
    today = page.today
    out = []
    for version in plans.current_versions(page.patient, page.now, page.once(active_plans)):
        amount = version.planned_on(today)
        step = version.step_on(today)
        precision = version.request.precision
        out.append({
            "record": version.record,
            "amount": plans.fmt(amount or 0.0, precision),
            "unit": version.request.unit,
            "doses": [plans.fmt(d, precision) for d in version.doses_on(today)] if amount else [],
            "waiting": today < version.plan.start,
            "starts": version.plan.start,
            "step": step.index + 1 if step is not None else None,
            "steps": len(version.plan.steps),
            "end_date": version.plan.end_date,
            "holds": len(version.plan.holds),
        })
    return out


def home_panel(page: PatientPage) -> Panel | None:
    """Today's target when a plan is running. Without one, a one-line invitation
    only for people whose stated goal is to taper; nothing for everyone else."""
    found = page.once(rows)
    if not found:
        profile = getattr(page.patient, "profile", None)
        if profile is None or profile.goal != "taper":
            return None
        return Panel("tapers/panel_invite.html", {})
    return Panel("tapers/panel_home.html", {"taper_rows": found})


def chart_panel(page: PatientPage) -> Panel | None:
    """Always shown to the clinician: the current step of each plan, or a way to add one."""
    return Panel("tapers/panel_chart.html", {"taper_rows": page.once(rows),
                                             "taper_patient": page.patient})
