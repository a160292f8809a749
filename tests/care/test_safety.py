"""Safety rules: every rule has a vignette that fires it and a near-miss that must not."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.resources import RESOURCES, check_zip, resources_for
from kratom_recovery.care.safety import (
    ACTION_LABELS,
    DANGER_SYMPTOM_IDS,
    RULE_IDS,
    SAFETY_RULES,
    SEVERITIES,
    SUICIDE_FOLLOWUP_IDS,
    SafetyFlag,
    SafetyInput,
    ScoreSummary,
    check_danger_symptoms,
    check_days_since_checkin,
    check_phase,
    check_suicide_followup,
    check_timeline_flags,
    evaluate,
    from_score,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"

BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


def score(instrument: str, total: int, band: str, *flags: str) -> ScoreSummary:
    return ScoreSummary(instrument, total, band, frozenset(flags))


def vignette(*, scores: tuple[ScoreSummary, ...] = (), **changes: Any) -> SafetyInput:
    """The base person (leaf, 4 g/day, twice a day, one year) with some things changed."""
    fields = {f.name for f in dataclasses.fields(UseProfile)}
    profile = dataclasses.replace(BASE, **{k: v for k, v in changes.items() if k in fields})
    rest = {k: v for k, v in changes.items() if k not in fields}
    return SafetyInput(profile=profile, scores={s.instrument: s for s in scores}, **rest)


# rule id -> (vignette that fires it, near-miss vignette that must not)
CASES: dict[str, tuple[SafetyInput, SafetyInput]] = {
    "suicide-intent-or-plan": (
        vignette(suicide_followup={"thoughts-now": True, "plan": True}),
        vignette(suicide_followup={"thoughts-now": True, "intent": False, "plan": False}),
    ),
    "suicidal-thoughts": (
        vignette(scores=(score("phq9", 6, "mild", "suicidal-thoughts"),)),
        vignette(scores=(score("phq9", 22, "severe"),),
                 suicide_followup={"thoughts-now": False}),
    ),
    "emergency-symptoms": (
        vignette(danger_symptoms=frozenset({"chest-pain"})),
        vignette(danger_symptoms=frozenset({"vomiting-no-fluids"})),
    ),
    "concentrate-toxicity": (
        vignette(product="7-oh", unit="mg", amount_per_day=60.0,
                 danger_symptoms=frozenset({"trouble-breathing"})),
        vignette(danger_symptoms=frozenset({"trouble-breathing"})),
    ),
    "dehydration": (
        vignette(danger_symptoms=frozenset({"vomiting-no-fluids"})),
        vignette(danger_symptoms=frozenset({"confusion"})),
    ),
    "severe-withdrawal": (
        vignette(scores=(score("cows", 26, "moderately-severe"),)),
        vignette(scores=(score("sows", 20, "moderate"), score("cows", 24, "moderate"))),
    ),
    "sedative-combination": (
        vignette(medications=("gabapentin 300 mg",)),
        vignette(other_substances=frozenset({"cannabis", "nicotine"}),
                 medications=("ibuprofen",)),
    ),
    "cyp3a-medicine": (
        vignette(medications=("Versed",)),
        vignette(medications=("lorazepam",)),
    ),
    "cyp2d6-medicine": (
        vignette(medications=("dextromethorphan cough syrup",)),
        vignette(medications=("sertraline",)),
    ),
    "stimulant-combination": (
        vignette(medications=("Provigil 200mg",)),
        vignette(other_substances=frozenset({"alcohol"})),
    ),
    "naltrexone": (
        vignette(medications=("Vivitrol injection",)),
        vignette(medications=("naloxone nasal spray",)),
    ),
    "buprenorphine-with-7oh": (
        vignette(product="7-oh", unit="tablets", amount_per_day=3.0,
                 medications=("Suboxone",)),
        vignette(medications=("Suboxone",)),
    ),
    "seven-oh-product": (
        vignette(product="7-oh", unit="mg", amount_per_day=30.0),
        vignette(product="extract", unit="g", amount_per_day=2.0),
    ),
    "extract-product": (
        vignette(product="extract", unit="mg", amount_per_day=500.0),
        vignette(product="capsules"),
    ),
    "pregnancy": (
        vignette(conditions=frozenset({"pregnancy"})),
        vignette(conditions=frozenset({"chronic-pain"})),
    ),
    "seizure-history": (
        vignette(conditions=frozenset({"seizures"})),
        vignette(conditions=frozenset({"liver-disease"})),
    ),
    "heart-disease": (
        vignette(conditions=frozenset({"heart-disease"})),
        vignette(conditions=frozenset({"anxiety"})),
    ),
    "worse-than-expected": (
        vignette(timeline_flags=frozenset({"worse-than-expected"})),
        vignette(timeline_flags=frozenset({"prolonged-acute"})),
    ),
    "prolonged-acute": (
        vignette(timeline_flags=frozenset({"prolonged-acute"})),
        vignette(timeline_flags=frozenset({"worse-than-expected"})),
    ),
    "missed-checkins": (
        vignette(phase="peak", days_since_checkin=2),
        vignette(phase="post-acute", days_since_checkin=9),
    ),
}


def fired(inp: SafetyInput) -> set[str]:
    return {flag.id for flag in evaluate(inp)}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires_on_its_vignette(rule_id: str) -> None:
    assert rule_id in fired(CASES[rule_id][0])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet_on_its_near_miss(rule_id: str) -> None:
    assert rule_id not in fired(CASES[rule_id][1])


def test_every_rule_has_both_vignettes_and_no_stale_cases() -> None:
    assert set(CASES) == set(RULE_IDS)
    assert len(RULE_IDS) == len(set(RULE_IDS))


def test_base_person_raises_no_flags() -> None:
    assert evaluate(vignette()) == ()


@pytest.mark.parametrize("rule", SAFETY_RULES, ids=RULE_IDS)
def test_rule_is_complete(rule: Any) -> None:
    assert rule.severity in SEVERITIES
    assert rule.patient_message and rule.clinician_message and rule.source
    assert rule.actions and set(rule.actions) <= set(ACTION_LABELS)
    if rule.severity in ("urgent", "emergency"):
        assert {"call-988", "call-911", "contact-care-team"} & set(rule.actions)


def test_every_rule_id_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [rule_id for rule_id in RULE_IDS if f"`{rule_id}`" not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("inp", "expected"),
    [
        (CASES["suicide-intent-or-plan"][0], ["suicide-intent-or-plan", "suicidal-thoughts"]),
        (vignette(danger_symptoms=frozenset({"seizure"}), conditions=frozenset({"seizures"}),
                  suicide_followup={"thoughts-now": True}),
         ["emergency-symptoms", "suicidal-thoughts", "seizure-history"]),
        (vignette(product="extract", medications=("Ambien",)),
         ["sedative-combination", "extract-product"]),
    ],
)
def test_flags_are_sorted_most_severe_first(inp: SafetyInput, expected: list[str]) -> None:
    assert [flag.id for flag in evaluate(inp)] == expected


@pytest.mark.parametrize(
    ("inp", "rule_id", "details"),
    [
        (vignette(other_substances=frozenset({"alcohol"}), medications=("Klonopin 1mg",)),
         "sedative-combination", ("alcohol", "Klonopin 1mg (clonazepam)")),
        (vignette(danger_symptoms=frozenset({"fainting", "vomiting-no-fluids"})),
         "emergency-symptoms", ("Fainting or nearly fainting",)),
        (vignette(medications=("midazolam",)), "cyp3a-medicine", ("midazolam",)),
    ],
)
def test_flags_say_what_matched(inp: SafetyInput, rule_id: str, details: tuple[str]) -> None:
    flag = next(f for f in evaluate(inp) if f.id == rule_id)
    assert flag.details == details


def test_flag_as_dict_carries_message_and_labelled_actions() -> None:
    flag = evaluate(CASES["naltrexone"][0])[0]
    data = flag.as_dict()
    assert data["id"] == "naltrexone" and data["severity"] == "urgent"
    assert data["message"] == flag.patient_message
    assert [a["id"] for a in data["actions"]] == list(flag.actions)
    assert all(a["label"] for a in data["actions"])


def test_unflagged_followup_without_yes_and_phq9_flag_elsewhere_is_quiet() -> None:
    # The suicidal-thoughts flag only counts on the PHQ-9.
    assert "suicidal-thoughts" not in fired(
        vignette(scores=(score("gad7", 3, "minimal", "suicidal-thoughts"),))
    )


# --- converting instrument scores ---------------------------------------------------------

def test_from_score_reads_duck_typed_scores() -> None:
    item = SimpleNamespace
    real_like = SimpleNamespace(
        instrument="phq9", total=4, band=SimpleNamespace(id="minimal"),
        flags=("suicidal-thoughts",),
        items=(item(id="self-harm-thoughts", value=1), item(id="sleep", value=None)),
    )
    assert from_score(real_like) == ScoreSummary(
        "phq9", 4, "minimal", frozenset({"suicidal-thoughts"}), {"self-harm-thoughts": 1}
    )
    spec_like = SimpleNamespace(instrument="sows", total=0, band="none", flags=(),
                                items=(item(item_id="anxious", value=0),))
    assert from_score(spec_like).items == {"anxious": 0}
    summary = ScoreSummary("craving", 3, None)
    assert from_score(summary) is summary


# --- vocabularies and validation ------------------------------------------------------------

def test_vocabularies_hold_the_required_ids() -> None:
    required = {"chest-pain", "fainting", "seizure", "confusion", "vomiting-no-fluids"}
    assert required <= set(DANGER_SYMPTOM_IDS)
    assert {"thoughts-now", "intent", "plan"} <= set(SUICIDE_FOLLOWUP_IDS)


@pytest.mark.parametrize(
    ("check", "value", "field"),
    [
        (check_danger_symptoms, ["headache"], "danger_symptoms"),
        (check_danger_symptoms, "chest-pain", "danger_symptoms"),
        (check_timeline_flags, ["late"], "timeline_flags"),
        (check_suicide_followup, {"wish": True}, "suicide_followup"),
        (check_suicide_followup, {"intent": "yes"}, "suicide_followup.intent"),
        (check_suicide_followup, ["intent"], "suicide_followup"),
        (check_phase, "acute", "phase"),
        (check_days_since_checkin, -1, "days_since_checkin"),
        (check_days_since_checkin, True, "days_since_checkin"),
        (check_days_since_checkin, 1.5, "days_since_checkin"),
        (check_zip, "1234", "zip"),
        (check_zip, 12345, "zip"),
    ],
)
def test_bad_checkin_values_name_the_field(check: Any, value: object, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check(value)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (check_danger_symptoms, None, frozenset()),
        (check_danger_symptoms, ["seizure"], frozenset({"seizure"})),
        (check_suicide_followup, {"plan": False}, {"plan": False}),
        (check_phase, "onset", "onset"),
        (check_days_since_checkin, 0, 0),
        (check_zip, "02139", "02139"),
        (check_zip, None, None),
    ],
)
def test_good_checkin_values_pass(check: Any, value: object, expected: object) -> None:
    assert check(value) == expected


# --- crisis resources --------------------------------------------------------------------------

def flag(severity: str, *actions: str) -> SafetyFlag:
    return SafetyFlag("x", severity, "m", "c", actions, "s")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), ["samhsa-helpline", "findtreatment"]),
        ((flag("warning", "see-clinician-before-taper"),), ["samhsa-helpline", "findtreatment"]),
        ((flag("warning", "call-poison-control"),),
         ["poison-control", "samhsa-helpline", "findtreatment"]),
        ((flag("urgent", "contact-care-team"),),
         ["911", "988", "samhsa-helpline", "findtreatment"]),
        ((flag("emergency", "call-911"), flag("info", "call-poison-control")),
         ["911", "988", "poison-control", "samhsa-helpline", "findtreatment"]),
    ],
)
def test_resources_for_flags(flags: tuple[SafetyFlag, ...], expected: list[str]) -> None:
    assert [r.id for r in resources_for(flags)] == expected


@pytest.mark.parametrize("rule_id", [r.id for r in SAFETY_RULES
                                     if r.severity in ("urgent", "emergency")])
def test_crisis_lines_always_listed_for_urgent_rules(rule_id: str) -> None:
    ids = {r.id for r in resources_for(evaluate(CASES[rule_id][0]))}
    assert {"988", "911"} <= ids


def test_resources_match_ref_section_5() -> None:
    hrefs = {c.href for r in RESOURCES for c in r.contacts}
    assert {"tel:988", "sms:988", "https://988lifeline.org", "tel:911", "tel:+18006624357",
            "tel:+18004874889", "sms:435748", "tel:+18002221222"} <= hrefs
    for resource in RESOURCES:
        assert resource.name and resource.when and resource.hours and resource.source
        # Every resource but 911 (general knowledge) cites its source.
        assert resource.id == "911" or "[ref:" in resource.source
        assert all(c.href.split(":")[0] in ("tel", "sms", "https") for c in resource.contacts)


@pytest.mark.parametrize(
    ("zip_code", "href"),
    [("10001", "https://findtreatment.gov/locator?sAddr=10001"),
     (None, "https://findtreatment.gov/")],
)
def test_findtreatment_link_uses_zip(zip_code: str | None, href: str) -> None:
    locator = next(r for r in RESOURCES if r.id == "findtreatment")
    assert locator.as_dict(zip_code)["contacts"][0]["href"] == href
