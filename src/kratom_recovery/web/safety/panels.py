"""Safety panels on the patient's home (crisis card, next step) and the clinician's chart
(alerts, level of care). Shown by the composed pages (pages/panels.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Final

from django.db.models import Exists, Q, Subquery
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.interactions import unrecognised
from kratom_recovery.care.level_of_care import (
    DIMENSIONS,
    LEVEL_BY_CODE,
    STAFF_REASONS,
    level_in_force,
)
from kratom_recovery.care.resources import RESOURCE_BY_ID
from kratom_recovery.care.safety import OVERDOSE_STEPS
from kratom_recovery.web.common.panels import Panel
from kratom_recovery.web.patients.models import Patient, UseProfile
from kratom_recovery.web.patients.page import PatientPage, any_of
from kratom_recovery.web.safety.engine import (
    CRISIS_SEVERITIES,
    latest_decision,
    stored_first_actions,
)
from kratom_recovery.web.safety.hooks import crisis_lines
from kratom_recovery.web.safety.models import (
    Alert,
    LevelOfCareDecision,
    SafetyState,
    SuicideFollowup,
)

SUICIDE_RULES = frozenset({"suicidal-thoughts", "suicide-intent-or-plan"})
RECENT_ACKNOWLEDGED = 5


def crisis_resources(poison: bool) -> list[dict[str, Any]]:
    """988 first, then 911, the SAMHSA Helpline and (when a toxicity rule fired) Poison Help."""
    ids = ["988", "911", "samhsa-helpline"] + (["poison-control"] if poison else [])
    return [RESOURCE_BY_ID[i].as_dict() for i in ids]


def crisis_context(state: SafetyState | None, patient: Patient) -> dict[str, Any]:
    """The card's content: first actions from the routing table in its order (a person with
    dark urine sees their care team and a medical check before a crisis line), the flags'
    messages, the overdose bystander steps when that rule fired, then the other numbers."""
    flags = state.crisis_flags if state else []
    all_actions = {a["id"] for f in (state.flags if state else []) for a in f["actions"]}
    ids = {f["id"] for f in flags}
    first = [a.as_dict() for a in stored_first_actions(flags)]
    shown = {a["resource"] for a in first if a["resource"]}
    # 988 and 911 are always among the large buttons at the top.
    shown |= {resource for resource, _kind in ALWAYS_BUTTONS}
    resources = [r for r in crisis_resources("call-poison-control" in all_actions)
                 if r["id"] not in shown]
    evidence = state.evidence if state else {}
    return {
        "flags": [f for f in flags if f["id"] != "possible-overdose"],
        "first_actions": first,
        "buttons": (buttons := crisis_buttons(first, patient.clinician is not None)),
        "button_hrefs": [b["href"] for b in buttons if b["href"]],
        "overdose_steps": OVERDOSE_STEPS if "possible-overdose" in ids else (),
        "emergency": any(f["severity"] == "emergency" for f in flags),
        "suicide": bool(ids & SUICIDE_RULES),
        "offer_followup": bool(ids & SUICIDE_RULES) and not followup_answered(
            patient, [evidence[i] for i in ids & SUICIDE_RULES if i in evidence]),
        "withdrawal_day": evidence_day(patient, evidence.get("severe-withdrawal"))
        if "severe-withdrawal" in ids else None,
        "resources": resources,
        "clinician": patient.clinician,
    }


# Always among the large buttons when a red flag stands, after the routed ones.
ALWAYS_BUTTONS: Final = (("988", "call"), ("988", "text"), ("911", "call"))
# Resources whose call and text links may be large buttons; others (a helpline that refers
# to treatment) keep their links in the list below, with the line saying what they do.
BUTTON_RESOURCES: Final = frozenset({"988", "911", "poison-control"})


def crisis_buttons(first: list[dict[str, Any]], has_care_team: bool) -> list[dict[str, Any]]:
    """The large buttons under the card's heading: the routed actions' call and text links
    (988, 911, Poison Help) in the routing table's order, then Call 988, Text 988 and Call 911
    if not among them, and
    the care team's message thread when the patient has one (no phone number is stored for
    it). The order is the routing table's; this only lays it out."""
    buttons: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(resource: str | None, contact: dict[str, Any]) -> None:
        if (resource in BUTTON_RESOURCES and contact["href"] not in seen
                and contact["kind"] in ("call", "text")):
            seen.add(contact["href"])
            buttons.append({**contact, "resource": resource})

    for action in first:
        if action["id"] == "care-team" and has_care_team:
            buttons.append({"kind": "message", "label": _("Message your care team"),
                            "href": "", "resource": None})
        for contact in action["contacts"]:
            add(action["resource"], contact)
    for resource_id, kind in ALWAYS_BUTTONS:
        for contact in RESOURCE_BY_ID[resource_id].as_dict()["contacts"]:
            if contact["kind"] == kind:
                add(resource_id, contact)
    return buttons


def followup_answered(patient: Patient, evidence: list[str]) -> bool:
    """The four follow-up questions were answered after the newest evidence of the suicide
    flags, so the card does not offer them again until something new is reported."""
    latest = SuicideFollowup.objects.filter(patient=patient).values_list(
        "created_at", flat=True).first()
    if latest is None:
        return False
    return all(latest >= datetime.fromisoformat(when) for when in evidence)


def evidence_day(patient: Patient, when: str | None) -> date | None:
    """The patient's local date of a flag's evidence (the score the card is about)."""
    if when is None:
        return None
    return datetime.fromisoformat(when).astimezone(patient.zone).date()


def with_patient() -> dict[str, Exists]:
    """Whether any level-of-care decision was recorded, read with the patient's row (home
    and chart)."""
    return {"has_decisions": any_of(LevelOfCareDecision.objects.all())}


def decision_in_force(page: PatientPage) -> LevelOfCareDecision | None:
    """The latest clinician decision (no query when the page knows there is none)."""
    return latest_decision(page.patient) if page.may_have("has_decisions") else None


def safety_state(page: PatientPage) -> SafetyState | None:
    """The patient's stored safety evaluation (kept on the patient: the chart reads it with
    the patient's row)."""
    state: SafetyState | None = getattr(page.patient, "safety_state", None)
    return state


def crisis_card(page: PatientPage) -> Panel | None:
    """At the top of home while any urgent or emergency flag stands, with the lines other
    apps add (safety/hooks.py: whether the care team was really told)."""
    state = page.once(safety_state)
    if state is None or state.highest_severity not in CRISIS_SEVERITIES:
        return None
    return Panel("safety/crisis_card.html", {
        **crisis_context(state, page.patient),
        "lines": crisis_lines(page.patient, page.viewer, page.now)}, top=True)


def next_step(page: PatientPage) -> Panel | None:
    """The suggested (or clinician-decided) level of care, in plain words."""
    state = page.once(safety_state)
    if state is None:
        return None
    decision = page.once(decision_in_force)
    level = level_in_force(state.level, decision.level if decision else None)
    return Panel("safety/next_step.html", {
        "level": level, "decision": decision,
        "disclaimer": state.recommendation.get("disclaimer", ""),
    })


def unrecognised_medicines(patient: Patient) -> tuple[str, ...]:
    """The patient's listed medicines that match nothing in our table: kept as typed, for
    the clinician to review (never dropped)."""
    profile: UseProfile | None = getattr(patient, "profile", None)
    return unrecognised(profile.medications) if profile is not None else ()


def alerts(page: PatientPage) -> tuple[list[Alert], list[Alert]]:
    """(open alerts, most severe first; the latest acknowledged ones, newest first) in one
    query."""
    recent = (Alert.objects.filter(patient=page.patient, acknowledged_at__isnull=False)
              .order_by("-acknowledged_at").values("pk")[:RECENT_ACKNOWLEDGED])
    rows = list(Alert.objects.filter(patient=page.patient)
                .filter(Q(acknowledged_at=None) | Q(pk__in=Subquery(recent)))
                .select_related("acknowledged_by"))
    done = sorted((a for a in rows if a.acknowledged_at is not None),
                  key=lambda a: a.acknowledged_at or a.created_at, reverse=True)
    return [a for a in rows if a.acknowledged_at is None], done


def open_alerts(page: PatientPage) -> list[Alert]:
    """The patient's unacknowledged alerts, most severe first (the card and the summary)."""
    return page.once(alerts)[0]


def chart_alerts(page: PatientPage) -> Panel:
    """Open alerts (most severe first) and the latest acknowledged ones, for the clinician."""
    open_now, done = page.once(alerts)
    return Panel("safety/chart_alerts.html", {
        "open_alerts": open_now, "acknowledged": done, "patient": page.patient,
        "unrecognised": unrecognised_medicines(page.patient)})


def with_dimension_names(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored reasons for staff pages: the dimension's name, and the reason in the third
    person (`staff_text`) beside the patient's own wording (`text`)."""
    return [{**r, "dimension_name": DIMENSIONS.get(int(r["dimension"]), ""),
             "staff_text": STAFF_REASONS.get(str(r.get("id")), r["text"])} for r in reasons]


def chart_level(page: PatientPage) -> Panel | None:
    state = page.once(safety_state)
    if state is None:
        return None
    decision = page.once(decision_in_force)
    return Panel("safety/chart_level.html", {
        "state": state, "decision": decision, "patient": page.patient,
        "suggested": LEVEL_BY_CODE[state.level],
        "drivers": [r for r in with_dimension_names(state.reasons)
                    if r["level"] == state.level],
    })
