"""Level-of-care suggestion: vignettes, every rule fired and missed, clinician override."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.level_of_care import (
    DIMENSIONS,
    DISCLAIMER,
    LEVEL_CODES,
    LEVEL_RULES,
    LEVELS,
    ClinicianDecision,
    effective_level,
    level_in_force,
    recommend,
)
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.safety import SafetyInput, ScoreSummary

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


def score(instrument: str, band: str, *flags: str) -> ScoreSummary:
    return ScoreSummary(instrument, 0, band, frozenset(flags))


def vignette(*, scores: tuple[ScoreSummary, ...] = (), **changes: Any) -> SafetyInput:
    fields = {f.name for f in dataclasses.fields(UseProfile)}
    profile = dataclasses.replace(BASE, **{k: v for k, v in changes.items() if k in fields})
    rest = {k: v for k, v in changes.items() if k not in fields}
    return SafetyInput(profile=profile, scores={s.instrument: s for s in scores}, **rest)


# rule id -> (vignette that fires it, near miss that must not)
CASES: dict[str, tuple[SafetyInput, SafetyInput]] = {
    "loc-seven-oh": (vignette(product="7-oh", unit="mg", amount_per_day=40.0),
                     vignette(product="extract", unit="mg", amount_per_day=40.0)),
    "loc-high-amount": (vignette(amount_per_day=40.5), vignette(amount_per_day=40.0)),
    "loc-frequent-dosing": (vignette(doses_per_day=4), vignette(doses_per_day=3)),
    "loc-long-use": (vignette(years_of_use=7.5), vignette(years_of_use=7.0)),
    "loc-extract": (vignette(product="extract", unit="g", amount_per_day=2.0),
                    vignette(product="capsules")),
    "loc-withdrawal-moderate": (vignette(scores=(score("sows", "moderate"),)),
                                vignette(scores=(score("sows", "mild"), score("cows", "mild")))),
    "loc-withdrawal-severe": (vignette(scores=(score("sows", "severe"),)),
                              vignette(scores=(score("cows", "moderate"),))),
    "loc-withdrawal-cows-severe": (vignette(scores=(score("cows", "severe"),)),
                                   vignette(scores=(score("cows", "moderately-severe"),))),
    "loc-sedatives": (vignette(other_substances=frozenset({"opioids"})),
                      vignette(other_substances=frozenset({"cannabis"}))),
    "loc-inpatient-triggers": (
        vignette(amount_per_day=36.0, other_substances=frozenset({"alcohol"})),
        vignette(amount_per_day=35.0, other_substances=frozenset({"alcohol"})),
    ),
    "loc-emergency-symptoms": (vignette(danger_symptoms=frozenset({"seizure"})),
                               vignette(danger_symptoms=frozenset({"vomiting-no-fluids"}))),
    "loc-dehydration": (vignette(danger_symptoms=frozenset({"vomiting-no-fluids"})),
                        vignette(danger_symptoms=frozenset({"fainting"}))),
    "loc-medical-conditions": (vignette(conditions=frozenset({"liver-disease"})),
                               vignette(conditions=frozenset({"chronic-pain"}))),
    "loc-suicide-intent": (vignette(suicide_followup={"intent": True}),
                           vignette(suicide_followup={"thoughts-now": True})),
    # Active thoughts only: PHQ-9 item 9 with every follow-up answer no sets no level.
    "loc-suicidal-thoughts": (
        vignette(scores=(score("phq9", "minimal", "suicidal-thoughts"),),
                 suicide_followup={"thoughts-now": True}),
        vignette(scores=(score("phq9", "minimal", "suicidal-thoughts"),),
                 suicide_followup={"thoughts-now": False, "intent": False, "plan": False,
                                   "recent-self-harm": False}),
    ),
    "loc-cows-review": (vignette(scores=(ScoreSummary("cows", 13, "moderate"),)),
                        vignette(scores=(ScoreSummary("cows", 12, "mild"),))),
    "loc-sedative-dependence": (
        vignette(dependence=frozenset({"daily-drinking", "morning-use"})),
        vignette(dependence=frozenset({"daily-drinking"})),
    ),
    "loc-sedative-dependence-seizures": (
        vignette(dependence=frozenset({"daily-benzodiazepines", "past-withdrawal-seizure"})),
        vignette(dependence=frozenset({"daily-benzodiazepines", "past-withdrawal"})),
    ),
    "loc-urgent-symptoms": (vignette(danger_symptoms=frozenset({"jaundice"})),
                            vignette(temperature_c=37.9)),
    "loc-mood-scores": (vignette(scores=(score("gad7", "moderate"),)),
                        vignette(scores=(score("gad7", "mild"), score("phq9", "mild")))),
    "loc-severe-depression": (vignette(scores=(score("phq9", "moderately-severe"),)),
                              vignette(scores=(score("phq9", "moderate"),))),
    "loc-psychiatric-conditions": (vignette(conditions=frozenset({"ptsd"})),
                                   vignette(conditions=frozenset({"chronic-pain"}))),
    "loc-use-disorder": (vignette(scores=(score("sud", "mild"),)),
                         vignette(scores=(score("sud", "none"),))),
    "loc-use-disorder-severe": (vignette(scores=(score("sud", "severe"),)),
                                vignette(scores=(score("sud", "moderate"),))),
    "loc-other-substances": (vignette(other_substances=frozenset({"nicotine"})),
                             vignette(other_substances=frozenset())),
    "loc-previous-attempts": (vignette(previous_attempts=2), vignette(previous_attempts=1)),
    "loc-sud-history": (vignette(conditions=frozenset({"opioid-use-disorder-history"})),
                        vignette(conditions=frozenset({"depression"}))),
    "loc-no-support": (vignette(support="none"), vignette(support="some")),
    "loc-alone-with-medical-withdrawal": (
        vignette(support="none", conditions=frozenset({"heart-disease"})),
        vignette(support="some", conditions=frozenset({"heart-disease"})),
    ),
    "loc-stop-at-once": (vignette(goal="stop"), vignette(goal="taper")),
    "loc-young-person": (vignette(age=17), vignette(age=18)),
}

RULE_IDS = [rule.id for rule in LEVEL_RULES]


def reasons(inp: SafetyInput) -> set[str]:
    return {r.id for r in recommend(inp).reasons}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_vignette(rule_id: str) -> None:
    assert rule_id in reasons(CASES[rule_id][0])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet_on_its_near_miss(rule_id: str) -> None:
    assert rule_id not in reasons(CASES[rule_id][1])


def test_every_rule_has_both_vignettes() -> None:
    assert set(CASES) == set(RULE_IDS) and len(RULE_IDS) == len(set(RULE_IDS))


@pytest.mark.parametrize("rule", LEVEL_RULES, ids=RULE_IDS)
def test_rule_is_complete_and_documented(rule: Any) -> None:
    assert rule.dimension in DIMENSIONS and rule.level in LEVEL_CODES
    assert rule.reason and rule.source
    assert f"`{rule.id}`" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("inp", "level"),
    [
        (vignette(), "1.5"),
        (vignette(scores=(score("sud", "moderate"), score("sows", "mild"))), "1.5"),
        (vignette(product="7-oh", unit="mg", amount_per_day=90.0, doses_per_day=6), "1.7"),
        (vignette(amount_per_day=45.0), "1.7"),
        (vignette(scores=(score("sud", "severe"),)), "2.1"),
        (vignette(scores=(score("phq9", "mild", "suicidal-thoughts"),)), "1.5"),  # passive
        (vignette(scores=(score("phq9", "mild", "suicidal-thoughts"),),
                  suicide_followup={"thoughts-now": True}), "2.1"),
        (vignette(scores=(ScoreSummary("cows", 22, "moderate"),)), "1.7"),  # was 1.5: no cliff
        (vignette(dependence=frozenset({"daily-drinking", "past-withdrawal"})), "3.7"),
        (vignette(dependence=frozenset({"daily-drinking", "past-withdrawal-seizure"})), "4"),
        (vignette(danger_symptoms=frozenset({"dark-urine"})), "2.7"),
        (vignette(danger_symptoms=frozenset({"vomiting-blood"})), "4"),
        (vignette(scores=(score("sows", "severe"),)), "2.7"),
        (vignette(support="none", product="7-oh", unit="tablets", amount_per_day=4.0), "2.7"),
        (vignette(amount_per_day=50.0, other_substances=frozenset({"benzodiazepines"})), "3.7"),
        (vignette(amount_per_day=50.0, conditions=frozenset({"pregnancy"})), "3.7"),
        (vignette(danger_symptoms=frozenset({"chest-pain"})), "4"),
        (vignette(suicide_followup={"plan": True}), "4"),
    ],
)
def test_vignettes_get_the_expected_level(inp: SafetyInput, level: str) -> None:
    assert recommend(inp).level.code == level


def test_reasons_are_ordered_and_drivers_are_at_the_level() -> None:
    rec = recommend(vignette(amount_per_day=45.0, doses_per_day=5, support="none"))
    assert rec.level.code == "2.7"
    assert [r.id for r in rec.drivers] == ["loc-alone-with-medical-withdrawal"]
    ranks = [LEVEL_CODES.index(r.level) for r in rec.reasons]
    assert ranks == sorted(ranks, reverse=True)
    assert {r.id for r in rec.reasons} == {
        "loc-alone-with-medical-withdrawal", "loc-high-amount", "loc-frequent-dosing",
        "loc-no-support",
    }


def test_recommendation_dict_has_disclaimer_and_empty_decided_by() -> None:
    data = recommend(vignette(doses_per_day=4)).as_dict()
    assert data["level"] == "1.5" and data["level_name"] == "Outpatient Therapy"
    assert data["disclaimer"] == DISCLAIMER and "not an ASAM placement" in DISCLAIMER
    assert data["decided_by"] is None
    assert data["reasons"][0]["dimension_name"] == DIMENSIONS[1]
    assert data["next_step"]


def test_levels_match_the_4th_edition_list() -> None:
    assert LEVEL_CODES == ("1.0", "1.5", "1.7", "2.1", "2.5", "2.7", "3.1", "3.5", "3.7", "4")
    assert all(level.name and level.plain_name and level.next_step for level in LEVELS)


def test_clinician_decision_overrides_the_suggestion() -> None:
    rec = recommend(vignette(doses_per_day=4))
    assert effective_level(rec, None).code == "1.5"
    decision = ClinicianDecision("2.1", "Lives alone, two relapses this year", "Dr Cleo", NOW)
    assert effective_level(rec, decision).code == "2.1"


@pytest.mark.parametrize(
    ("suggested", "decided", "in_force"),
    [("1.5", None, "1.5"), ("1.5", "2.1", "2.1"), ("3.7", "1.0", "1.0"), ("4", "4", "4")],
)
def test_level_in_force_from_stored_codes(suggested: str, decided: str | None,
                                          in_force: str) -> None:
    assert level_in_force(suggested, decided).code == in_force


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": "0.5"}, "level"),  # not a 4th-edition level
        ({"level": "3.3"}, "level"),
        ({"reason": "  "}, "reason"),
        ({"decided_by": ""}, "decided_by"),
        ({"decided_at": datetime(2026, 12, 1, 9, 0)}, "decided_at"),  # noqa: DTZ001
    ],
)
def test_bad_clinician_decision_names_the_field(kwargs: dict[str, Any], field: str) -> None:
    values: dict[str, Any] = {"level": "1.7", "reason": "why", "decided_by": "Dr Cleo",
                              "decided_at": NOW, **kwargs}
    with pytest.raises(InvalidInput) as error:
        ClinicianDecision(**values)
    assert error.value.field == field
