"""Where the risk assessment and the safety plan show: the patient's help page, the
clinician's chart, the alert page of a suicide alert and the patient's crisis card."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from kratom_recovery.care.resources import RESOURCE_BY_ID
from kratom_recovery.care.safety import RULE_BY_ID
from kratom_recovery.care.safety_plan import PLAN_SECTIONS, RISK_LABELS, phone_href
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.patients.page import PatientPage, any_of
from kratom_recovery.web.safety.models import Alert, SafetyPlanVersion, SuicideRiskAssessment
from kratom_recovery.web.safety.plan.actions import (
    HIGH_RISK_RULE,
    current_plan,
    latest_assessment,
)

CRISIS_IDS = ("988", "911")
SUICIDE_FAMILIES = frozenset({"suicide", "suicide-emergency"})


def contact(person: dict[str, str]) -> dict[str, str]:
    phone = person.get("phone", "")
    return {**person, "tel": phone_href(phone) if phone else "",
            "sms": phone_href(phone, "sms") if phone else ""}


def plan_sections(plan: SafetyPlanVersion | None) -> list[dict[str, Any]]:
    """Each section with its items in page order; empty sections are left out, except the
    professionals, which always carry 988, 911 and the care team."""
    stored = plan.sections if plan is not None else {}
    shown = []
    for section in PLAN_SECTIONS:
        items = stored.get(section.id) or []
        if not items and section.id != "professionals":
            continue
        if section.kind == "contacts":
            items = [contact(person) for person in items]
        shown.append({"id": section.id, "title": section.title, "kind": section.kind,
                      "items": items})
    return shown


def saved_by_label(plan: SafetyPlanVersion, patient: Patient) -> str:
    if plan.saved_by_id is not None and plan.saved_by_id == patient.user_id:
        return "patient"
    return plan.saved_by.display_name if plan.saved_by is not None else ""


def plan_context(patient: Patient, plan: SafetyPlanVersion | None) -> dict[str, Any]:
    """What the plan templates show: the sections, the crisis lines and the care team."""
    return {
        "plan": plan,
        "plan_sections": plan_sections(plan),
        "plan_saved_by": saved_by_label(plan, patient) if plan is not None else "",
        "crisis": [RESOURCE_BY_ID[i].as_dict() for i in CRISIS_IDS],
        "plan_clinician": patient.clinician,
    }


def help_context(patient: Patient | None) -> dict[str, Any]:
    """The help page's plan card: only for a signed-in patient (the page is public)."""
    if patient is None:
        return {}
    return {"plan_patient": patient, **plan_context(patient, current_plan(patient))}


def assessment_context(assessment: SuicideRiskAssessment | None) -> dict[str, Any]:
    return {"assessment": assessment,
            "rating_label": RISK_LABELS[assessment.rating] if assessment else ""}


def chart_with_patient() -> dict[str, Exists]:
    """Read with the chart's patient row: whether there is any rating or plan at all, so a
    patient with neither costs the card no query (PatientPage.may_have)."""
    return {"has_risk_assessment": any_of(SuicideRiskAssessment.objects.all()),
            "has_safety_plan": any_of(SafetyPlanVersion.objects.all())}


NOTHING: dict[str, Any] = {"rating": None, "rating_label": "", "plan_version": None}


def chart_summary(page: PatientPage) -> dict[str, Any]:
    """What the chart card shows, read in one query (the chart has a query budget): the
    latest rating, its reasons and who made it, the plan's version and who last saved it
    ("patient", a clinician's name, or "")."""
    if not (page.may_have("has_risk_assessment") or page.may_have("has_safety_plan")):
        return NOTHING
    latest = SuicideRiskAssessment.objects.filter(patient=OuterRef("pk")).order_by(
        "-assessed_at", "-pk")
    plan = SafetyPlanVersion.objects.filter(patient=OuterRef("pk")).order_by("-version")

    def name(rows: QuerySet[Any], user: str) -> Coalesce:
        return Coalesce(
            NullIf(Subquery(rows.values(f"{user}__display_name")[:1]), Value("")),
            Subquery(rows.values(f"{user}__username")[:1]), Value(""))

    row = Patient.objects.filter(pk=page.patient.pk).values(
        rating=Subquery(latest.values("rating")[:1]),
        assessed_at=Subquery(latest.values("assessed_at")[:1]),
        reasons=Subquery(latest.values("reasons")[:1]),
        assessed_by=name(latest, "assessed_by"),
        plan_version=Subquery(plan.values("version")[:1]),
        plan_saved_at=Subquery(plan.values("saved_at")[:1]),
        plan_saved_by_id=Subquery(plan.values("saved_by_id")[:1]),
        plan_saved_by=name(plan, "saved_by"),
    ).get()
    by_patient = row["plan_saved_by_id"] == page.patient.user_id
    rating = row["rating"]
    return {**row, "rating_label": RISK_LABELS[rating] if rating else "",
            "reasons": row["reasons"] or "",
            "plan_saved_by": "patient" if by_patient else row["plan_saved_by"]}


def _chart(page: PatientPage, *, high: bool) -> Panel | None:
    if page.viewer.role != Role.CLINICIAN:
        return None
    summary = page.once(chart_summary)
    if (summary["rating"] == "high") != high:
        return None
    if summary["rating"] is not None or summary["plan_version"] is not None:
        page.audit("safety-plan")  # a record was shown; an empty card reads nothing
    return Panel("safety/plan/chart_panel.html", {"patient": page.patient, "s": summary},
                 top=high)


def chart_high_risk(page: PatientPage) -> Panel | None:
    """The card at the top of the chart, beside the alerts, while the latest rating is high
    (which also opened a warning alert, plan/actions.py)."""
    return _chart(page, high=True)


def chart_panel(page: PatientPage) -> Panel | None:
    """The same card among the patient's plans otherwise: the latest rating, if any, and
    the plan's version and who last changed it."""
    return _chart(page, high=False)


def alert_section(alert: Alert, viewer: User, now: datetime) -> Panel | None:
    """On the page of a suicide alert: the latest rating and whether a plan exists."""
    rule = RULE_BY_ID.get(alert.rule)
    if alert.rule != HIGH_RISK_RULE and (rule is None or rule.family not in SUICIDE_FAMILIES):
        return None
    plan = current_plan(alert.patient)
    return Panel("safety/plan/alert_section.html", {
        "patient": alert.patient, "plan": plan,
        **assessment_context(latest_assessment(alert.patient)),
        "plan_saved_by": saved_by_label(plan, alert.patient) if plan is not None else "",
    })


def crisis_line(patient: Patient, viewer: User, now: datetime) -> Panel | None:
    """On the patient's crisis card: a link to their own plan, when they have one."""
    if viewer.pk != patient.user_id or current_plan(patient) is None:
        return None
    return Panel("safety/plan/crisis_line.html")
