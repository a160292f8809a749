"""The safety plan's sections and the FHIR mapping of the plan and the clinician's ratings
(pure core): every resource validates with fhir.resources, a pseudonymous plan carries no
words, and the reasons appear only where asked for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.riskassessment import RiskAssessment

from kratom_recovery.care.fhir_safety_plan import (
    ExportRiskAssessment,
    ExportSafetyPlan,
    care_plan_entry,
    risk_assessment_entry,
)
from kratom_recovery.care.safety_plan import (
    PLAN_SECTIONS,
    RISK_LABELS,
    RISK_LEVELS,
    SECTION_IDS,
    phone_href,
)

WHEN = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
PLAN = ExportSafetyPlan(version=3, created=WHEN, updated_at=WHEN, updated_by="patient",
                        sections={"warning_signs": ["Not sleeping"], "coping": [],
                                  "helpers": [{"name": "Robin", "phone": "555 0100"}]})


def uuid_for(key: str) -> str:
    return f"urn:uuid:{key}"


@pytest.mark.parametrize(("phone", "scheme", "href"), [
    ("(555) 010-2233", "tel", "tel:5550102233"),
    ("+1 555 010 9999", "sms", "sms:+15550109999"),
    ("988", "tel", "tel:988"),
])
def test_phone_links_keep_digits_and_a_leading_plus(phone: str, scheme: str,
                                                    href: str) -> None:
    assert phone_href(phone, scheme) == href  # type: ignore[arg-type]


def test_sections_are_unique_and_the_ratings_are_the_clinicians_three() -> None:
    assert len(set(SECTION_IDS)) == len(PLAN_SECTIONS) == 7
    assert {s.kind for s in PLAN_SECTIONS} == {"lines", "contacts"}
    assert [s.id for s in PLAN_SECTIONS if s.optional] == ["reasons"]
    assert RISK_LEVELS == ("low", "moderate", "high") and set(RISK_LABELS) == set(RISK_LEVELS)


def test_care_plan_has_a_line_per_item_and_no_words_when_pseudonymous() -> None:
    url, named = care_plan_entry(PLAN, "urn:uuid:p", uuid_for, pseudonymous=False)
    assert url == "urn:uuid:CarePlan/safety-plan"
    CarePlan.model_validate(named)
    assert [a["detail"]["description"] for a in named["activity"]] == [
        "Not sleeping", "Robin: 555 0100"]
    _, hidden = care_plan_entry(PLAN, "urn:uuid:p", uuid_for, pseudonymous=True)
    CarePlan.model_validate(hidden)
    assert "Robin" not in str(hidden) and "Not sleeping" not in str(hidden)
    assert [a["detail"]["code"]["coding"][0]["code"] for a in hidden["activity"]] == [
        "warning_signs", "helpers"]


@pytest.mark.parametrize("rating", RISK_LEVELS)
def test_risk_assessment_codes_the_rating_and_keeps_reasons_where_asked(rating: str) -> None:
    row = ExportRiskAssessment(key="7", rating=rating, assessed_at=WHEN, reasons="Why",
                               risk_factors=("loss",), protective_factors=("family",))
    _, named = risk_assessment_entry(row, "urn:uuid:p", uuid_for, pseudonymous=False)
    RiskAssessment.model_validate(named)
    assert named["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == rating
    assert [n["text"] for n in named["note"]] == [
        "Why", "Risk factors: loss", "Protective factors: family"]
    _, hidden = risk_assessment_entry(row, "urn:uuid:p", uuid_for, pseudonymous=True)
    RiskAssessment.model_validate(hidden)
    assert "note" not in hidden
