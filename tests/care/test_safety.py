"""Safety rules: every rule has a vignette that fires it and a near-miss that must not."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.program_settings import ProgramSettings
from kratom_recovery.care.resources import RESOURCES, check_zip, resources_for
from kratom_recovery.care.safety import (
    ACTION_LABELS,
    DANGER_SYMPTOM_IDS,
    DANGER_SYMPTOMS,
    INSTRUMENT_IDS,
    OVERDOSE_STEPS,
    RULE_IDS,
    SAFETY_RULES,
    SEVERITIES,
    SUICIDE_FOLLOWUP_IDS,
    SafetyFlag,
    SafetyInput,
    ScoreSummary,
    check_danger_symptoms,
    check_days_free_before_lapse,
    check_days_since_checkin,
    check_instrument,
    check_phase,
    check_resting_pulse,
    check_suicide_followup,
    check_temperature,
    check_timeline_flags,
    evaluate,
    from_score,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"

BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


def score(instrument: str, total: int, band: str | None, *flags: str) -> ScoreSummary:
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
    "possible-overdose": (
        vignette(danger_symptoms=frozenset({"cannot-be-woken"})),
        vignette(danger_symptoms=frozenset({"fainting"})),
    ),
    "liver-injury-signs": (
        vignette(danger_symptoms=frozenset({"dark-urine"})),
        vignette(danger_symptoms=frozenset({"severe-abdominal-pain"})),
    ),
    "severe-abdominal-pain": (
        vignette(danger_symptoms=frozenset({"severe-abdominal-pain"})),
        vignette(danger_symptoms=frozenset({"right-upper-abdominal-pain"})),
    ),
    "fever": (vignette(temperature_c=38.0), vignette(temperature_c=37.9)),
    "cows-review": (
        vignette(scores=(score("cows", 13, "moderate"),)),
        vignette(scores=(score("cows", 12, "mild"), score("sows", 30, "severe"))),
    ),
    "sows-moderate": (
        vignette(scores=(score("sows", 11, "moderate"),)),
        vignette(scores=(score("sows", 10, "mild"), score("cows", 30, "moderately-severe"))),
    ),
    "fast-pulse": (vignette(resting_pulse=121), vignette(resting_pulse=120)),
    "sedative-withdrawal-risk": (
        vignette(dependence=frozenset({"daily-benzodiazepines"})),
        vignette(dependence=frozenset({"morning-use", "past-withdrawal"})),
    ),
    "kratom-with-moud": (
        vignette(medications=("subs 8mg",)),
        vignette(medications=("Narcan",)),
    ),
    "lost-tolerance": (
        vignette(days_free_before_lapse=7),
        vignette(days_free_before_lapse=6, other_substances=frozenset({"alcohol"})),
    ),
    "liver-disease": (
        vignette(conditions=frozenset({"liver-disease"})),
        vignette(conditions=frozenset({"heart-disease"})),
    ),
    "adolescent": (vignette(age=17), vignette(age=18)),
    "qt-medicine": (
        vignette(medications=("hydroxyzine 25mg",)),
        vignette(medications=("sertraline",)),
    ),
    "seizure-threshold-medicine": (
        vignette(medications=("Wellbutrin XL 150",)),
        vignette(medications=("lisinopril",)),
    ),
    "risky-drinking": (
        vignette(scores=(score("audit-c", 3, None),)),
        vignette(scores=(score("audit-c", 3, None),), sex="male"),
    ),
    "serotonergic-combination": (
        vignette(medications=("sertraline", "trazodone 50")),
        vignette(medications=("Zoloft", "sertraline 100 mg")),
    ),
    "alpha2-agonist": (
        vignette(medications=("clonidine 0.1mg",)),
        vignette(medications=("lisinopril",)),
    ),
    "pulse-masked": (
        vignette(medications=("Toprol XL",)),
        vignette(medications=("lisinopril",)),
    ),
    "naloxone-on-hand": (
        vignette(medications=("Narcan",)),
        vignette(medications=("naltrexone",)),
    ),
    "unrecognised-medicines": (
        vignette(medications=("lisinopril", "blorptab 5")),
        vignette(medications=("lisinopril", "Xanax")),
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
        assert rule.notifies, "urgent and emergency rules notify a person"
    if rule.notify is not None:  # an override of the default says why
        assert rule.notify != (rule.severity in ("urgent", "emergency")) and rule.notify_reason
    # Sources cite docs/references.md keys, never the old shared file's sections.
    assert "[ref:" in rule.source and "REF" not in rule.source


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


# --- danger symptoms, vital signs, lapses (issue 13 section A) --------------------------------

@pytest.mark.parametrize("symptom", DANGER_SYMPTOMS, ids=DANGER_SYMPTOM_IDS)
def test_each_danger_symptom_raises_a_flag_of_its_own_severity(symptom: Any) -> None:
    flags = evaluate(vignette(danger_symptoms=frozenset({symptom.id})))
    assert flags and flags[0].severity == symptom.severity
    assert any(symptom.label in flag.details for flag in flags)


def test_liver_signs_are_urgent_with_same_day_review_and_liver_tests() -> None:
    for symptom in ("jaundice", "dark-urine", "pale-stools", "severe-itching",
                    "right-upper-abdominal-pain"):
        flag = next(f for f in evaluate(vignette(danger_symptoms=frozenset({symptom})))
                    if f.id == "liver-injury-signs")
        assert flag.severity == "urgent" and flag.notifies
        assert {"same-day-medical-review", "liver-tests"} <= set(flag.actions)


def test_overdose_text_tells_a_bystander_the_steps() -> None:
    flag = next(f for f in evaluate(vignette(danger_symptoms=frozenset({"cannot-be-woken"})))
                if f.id == "possible-overdose")
    text = flag.patient_message
    for step in OVERDOSE_STEPS:
        assert step in text
    assert text.index("Call 911") < text.index("naloxone")
    assert "2 to 3 minutes" in text and "even if they wake" in text


@pytest.mark.parametrize("rule_id", ["seven-oh-product", "sedative-combination",
                                     "lost-tolerance"])
def test_opioid_warnings_say_keep_naloxone_at_hand(rule_id: str) -> None:
    rule = next(r for r in SAFETY_RULES if r.id == rule_id)
    assert "naloxone" in rule.patient_message.lower() and "keep-naloxone" in rule.actions


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({"resting_pulse": 101, "conditions": frozenset({"heart-disease"})}, True),
        ({"resting_pulse": 100, "conditions": frozenset({"heart-disease"})}, False),
        ({"resting_pulse": 110}, False),
        ({"resting_pulse": 121, "settings": ProgramSettings(pulse_limit=130)}, False),
    ],
)
def test_fast_pulse_limits(changes: dict[str, Any], fires: bool) -> None:
    assert ("fast-pulse" in fired(vignette(**changes))) is fires


@pytest.mark.parametrize(
    ("changes", "fires"),
    [
        ({"product": "7-oh", "unit": "mg", "amount_per_day": 30.0,
          "days_free_before_lapse": 0}, True),
        ({"other_substances": frozenset({"opioids"}), "days_free_before_lapse": 2}, True),
        ({"days_free_before_lapse": 3}, False),
        ({"days_free_before_lapse": 3, "settings": ProgramSettings(lost_tolerance_days=3)},
         True),
        ({"product": "7-oh", "unit": "mg", "amount_per_day": 30.0}, False),  # no lapse
    ],
)
def test_lost_tolerance_always_for_opioids_and_after_a_break_for_all(
    changes: dict[str, Any], fires: bool
) -> None:
    assert ("lost-tolerance" in fired(vignette(**changes))) is fires


def test_cows_review_line_is_a_program_setting() -> None:
    cows = (score("cows", 13, "moderate"),)
    assert "cows-review" in fired(vignette(scores=cows))
    assert "cows-review" not in fired(vignette(scores=cows,
                                               settings=ProgramSettings(cows_review_at=14)))


def test_passive_ideation_is_flagged_for_same_day_assessment() -> None:
    inp = vignette(scores=(score("phq9", 4, "minimal", "suicidal-thoughts"),),
                   suicide_followup=dict.fromkeys(SUICIDE_FOLLOWUP_IDS, False))
    flag = next(f for f in evaluate(inp) if f.id == "suicidal-thoughts")
    assert flag.severity == "urgent" and "same-day clinician assessment" in (
        flag.clinician_message)


def test_pregnancy_is_urgent_and_explains_newborn_withdrawal() -> None:
    flag = next(f for f in evaluate(CASES["pregnancy"][0]) if f.id == "pregnancy")
    assert flag.severity == "urgent" and flag.family == "urgent-medical"
    assert "don't stop" in flag.patient_message and "withdrawal" in flag.patient_message
    assert "contact-prenatal-care" in flag.actions


def test_moud_flag_says_tell_your_prescriber_and_asks_for_review() -> None:
    flag = next(f for f in evaluate(vignette(medications=("methadose 80mg",)))
                if f.id == "kratom-with-moud")
    assert "Tell your prescriber" in flag.patient_message
    assert {"tell-prescriber", "clinician-review"} <= set(flag.actions) and flag.notifies


def test_naloxone_is_a_rescue_medicine_not_a_precipitated_withdrawal_risk() -> None:
    ids = fired(vignette(medications=("Narcan nasal spray",)))
    assert "naloxone-on-hand" in ids and "naltrexone" not in ids


def test_unrecognised_medicines_are_listed_for_review() -> None:
    flag = next(f for f in evaluate(vignette(medications=("Xanax", "blorptab", "zzq 5mg")))
                if f.id == "unrecognised-medicines")
    assert flag.details == ("blorptab", "zzq 5mg")


@pytest.mark.parametrize(
    ("check", "value", "field"),
    [
        (check_temperature, 100.4, "temperature_c"),  # Fahrenheit by mistake
        (check_temperature, "38", "temperature_c"),
        (check_temperature, float("nan"), "temperature_c"),
        (check_resting_pulse, 250, "resting_pulse"),
        (check_resting_pulse, 80.5, "resting_pulse"),
        (check_days_free_before_lapse, -1, "days_free_before_lapse"),
        (check_instrument, "audit", "scores"),
    ],
)
def test_bad_measurements_name_the_field(check: Any, value: object, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check(value)
    assert error.value.field == field


def test_unknown_values_are_refused_with_the_allowed_list() -> None:
    with pytest.raises(InvalidInput) as error:
        check_danger_symptoms(["yellow-eyes"])
    assert "jaundice" in error.value.message and "cannot-be-woken" in error.value.message
    with pytest.raises(InvalidInput) as error:
        check_instrument("audit")
    assert "audit-c" in error.value.message


def test_instrument_ids_match_the_registry() -> None:
    from kratom_recovery.care.instruments import INSTRUMENTS

    assert set(INSTRUMENT_IDS) == set(INSTRUMENTS)
