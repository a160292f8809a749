"""The safety plan as a FHIR R4 `CarePlan` and the clinician's suicide-risk ratings as
`RiskAssessment`s (plain dicts).

The plan is a CarePlan [ref:hl7-sdc]: one activity per line, coded with its section from our
own code system, in the person's words. People's names and numbers are free text that names
people, so a pseudonymous bundle keeps only which sections are filled in. A rating is a
RiskAssessment whose prediction carries HL7's risk-probability code (low, moderate, high); its
method says it is the clinician's judgement, not a scored instrument [ref:columbia-cssrs]. The
clinician's reasons go in `note` only when the export is for the care team and not
pseudonymous (the patient's own export leaves them out of `ExportRiskAssessment`).

`fhir_bundle.build_bundle` adds these to the patient bundle; ids come from its `entry_uuid`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.fhir_questionnaire import BASE_URL
from kratom_recovery.care.safety_plan import RISK_LABELS, SECTION_BY_ID, SECTION_IDS

CARE_PLAN_SYSTEM: Final = f"{BASE_URL}/CodeSystem/care-plans"
SECTION_SYSTEM: Final = f"{BASE_URL}/CodeSystem/safety-plan-sections"
ASSESSMENT_SYSTEM: Final = f"{BASE_URL}/CodeSystem/risk-assessments"
RISK_PROBABILITY: Final = "http://terminology.hl7.org/CodeSystem/risk-probability"
METHOD_TEXT: Final = "Clinician's own judgement with reasons (no scored instrument)"

UuidFor = Callable[[str], str]


@dataclass(frozen=True)
class ExportSafetyPlan:
    """The plan in force: `sections` maps a section id to its lines (str) or contacts
    ({"name", "phone"}); `version` counts saves, `updated_by` is "patient" or "care team"."""

    version: int
    created: datetime
    updated_at: datetime
    updated_by: str
    sections: Mapping[str, Sequence[Any]]


@dataclass(frozen=True)
class ExportRiskAssessment:
    key: str
    rating: str  # care.safety_plan.RISK_LEVELS
    assessed_at: datetime
    reasons: str = ""  # empty: left out of this export
    risk_factors: tuple[str, ...] = ()
    protective_factors: tuple[str, ...] = ()


def _line(item: Any) -> str:
    if isinstance(item, Mapping):
        name, phone = str(item.get("name", "")), str(item.get("phone", ""))
        return f"{name}: {phone}" if phone else name
    return str(item)


def care_plan_entry(plan: ExportSafetyPlan, patient_ref: str, uuid_for: UuidFor, *,
                    pseudonymous: bool) -> tuple[str, dict[str, Any]]:
    """(fullUrl, CarePlan) for the safety plan in force."""
    activities = []
    for section_id in SECTION_IDS:
        items = plan.sections.get(section_id) or ()
        if not items:
            continue
        code = {"coding": [{"system": SECTION_SYSTEM, "code": section_id,
                            "display": SECTION_BY_ID[section_id].title}]}
        if pseudonymous:  # which sections are filled in, never the words
            activities.append({"detail": {"code": code, "status": "in-progress"}})
            continue
        activities += [{"detail": {"code": code, "status": "in-progress",
                                   "description": _line(item)}}
                       for item in items]
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": "active",
        "intent": "plan",
        "category": [{"coding": [{"system": CARE_PLAN_SYSTEM, "code": "safety-plan",
                                  "display": "Safety plan"}]}],
        "title": "Safety plan",
        "subject": {"reference": patient_ref},
        "created": plan.created.isoformat(),
        "note": [{"time": plan.updated_at.isoformat(),
                  "text": f"Version {plan.version}, last changed by the {plan.updated_by}."}],
        "activity": activities,
    }
    if not activities:
        del resource["activity"]
    return uuid_for("CarePlan/safety-plan"), resource


def risk_assessment_entry(assessment: ExportRiskAssessment, patient_ref: str,
                          uuid_for: UuidFor, *, pseudonymous: bool) -> tuple[str, dict[str, Any]]:
    """(fullUrl, RiskAssessment) for one clinician's rating; its reasons and factors (free
    text) only in a named export that carries them."""
    resource: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "subject": {"reference": patient_ref},
        "occurrenceDateTime": assessment.assessed_at.isoformat(),
        "code": {"coding": [{"system": ASSESSMENT_SYSTEM, "code": "suicide-risk-clinician",
                             "display": "Clinician's suicide-risk assessment"}]},
        "method": {"text": METHOD_TEXT},
        "prediction": [{
            "outcome": {"text": "Suicide or self-harm"},
            "qualitativeRisk": {"coding": [{
                "system": RISK_PROBABILITY, "code": assessment.rating,
                "display": f"{RISK_LABELS[assessment.rating]} likelihood",
            }]},
        }],
    }
    notes = [text for text in (
        assessment.reasons,
        "Risk factors: " + "; ".join(assessment.risk_factors) if assessment.risk_factors
        else "",
        "Protective factors: " + "; ".join(assessment.protective_factors)
        if assessment.protective_factors else "",
    ) if text]
    if notes and not pseudonymous:
        resource["note"] = [{"text": text} for text in notes]
    return uuid_for(f"RiskAssessment/{assessment.key}"), resource
