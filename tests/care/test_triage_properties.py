"""triage(): the combined result, and the invariant that more risk never means less care."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care import instruments
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.interactions import MEDICINES
from kratom_recovery.care.level_of_care import LEVEL_CODES
from kratom_recovery.care.profile import (
    CONDITIONS,
    MAX_AMOUNT_PER_DAY,
    OTHER_SUBSTANCES,
    PRODUCTS,
    UNITS_FOR_PRODUCT,
    UseProfile,
)
from kratom_recovery.care.safety import (
    DANGER_SYMPTOM_IDS,
    PHASES,
    SUICIDE_FOLLOWUP_IDS,
    TIMELINE_FLAGS,
    SafetyInput,
    ScoreSummary,
    evaluate,
)
from kratom_recovery.care.triage import triage

BANDS = {
    "sows": ("none", "mild", "moderate", "severe"),
    "cows": ("none", "mild", "moderate", "moderately-severe", "severe"),
    "phq9": ("minimal", "mild", "moderate", "moderately-severe", "severe"),
    "gad7": ("minimal", "mild", "moderate", "severe"),
    "sud": ("none", "mild", "moderate", "severe"),
}
MEDICINE_NAMES = [m.name for m in MEDICINES] + ["ibuprofen", "sertraline"]


@st.composite
def profiles(draw: st.DrawFn) -> UseProfile:
    product = draw(st.sampled_from(PRODUCTS))
    unit = draw(st.sampled_from(UNITS_FOR_PRODUCT[product]))
    return UseProfile(
        product=product,
        unit=unit,
        amount_per_day=draw(st.floats(0.1, MAX_AMOUNT_PER_DAY[unit] / 2)),
        doses_per_day=draw(st.integers(1, 12)),
        years_of_use=draw(st.floats(0, 30)),
        other_substances=frozenset(draw(st.sets(st.sampled_from(OTHER_SUBSTANCES)))),
        medications=tuple(draw(st.lists(st.sampled_from(MEDICINE_NAMES), max_size=3))),
        conditions=frozenset(draw(st.sets(st.sampled_from(CONDITIONS), max_size=3))),
        age=draw(st.none() | st.integers(12, 90)),
        support=draw(st.sampled_from(("none", "some", "strong"))),
        previous_attempts=draw(st.integers(0, 4)),
        goal=draw(st.sampled_from(("taper", "stop"))),
    )


@st.composite
def inputs(draw: st.DrawFn) -> SafetyInput:
    scores: dict[str, ScoreSummary] = {}
    for instrument in draw(st.sets(st.sampled_from(sorted(BANDS)))):
        band = draw(st.sampled_from(BANDS[instrument]))
        flags = frozenset({"suicidal-thoughts"}) if (
            instrument == "phq9" and draw(st.booleans())) else frozenset()
        scores[instrument] = ScoreSummary(instrument, 0, band, flags)
    return SafetyInput(
        profile=draw(profiles()),
        scores=scores,
        danger_symptoms=frozenset(draw(st.sets(st.sampled_from(DANGER_SYMPTOM_IDS),
                                               max_size=2))),
        suicide_followup=draw(st.dictionaries(st.sampled_from(SUICIDE_FOLLOWUP_IDS),
                                              st.booleans())),
        timeline_flags=frozenset(draw(st.sets(st.sampled_from(TIMELINE_FLAGS)))),
        days_since_checkin=draw(st.none() | st.integers(0, 10)),
        phase=draw(st.none() | st.sampled_from(PHASES)),
    )


# Each "risk" turns an input into the same input with one more risk.
Risk = Callable[[SafetyInput, Any], SafetyInput]


def with_profile(inp: SafetyInput, **changes: Any) -> SafetyInput:
    return dataclasses.replace(inp, profile=dataclasses.replace(inp.profile, **changes))


def another_substance(inp: SafetyInput, pick: Any) -> SafetyInput:
    return with_profile(inp, other_substances=inp.profile.other_substances | {pick(
        st.sampled_from(OTHER_SUBSTANCES))})


def higher_amount(inp: SafetyInput, pick: Any) -> SafetyInput:
    top = MAX_AMOUNT_PER_DAY[inp.profile.unit]
    return with_profile(inp, amount_per_day=pick(st.floats(inp.profile.amount_per_day, top)))


def more_doses(inp: SafetyInput, pick: Any) -> SafetyInput:
    return with_profile(inp, doses_per_day=inp.profile.doses_per_day + pick(st.integers(0, 6)))


def positive_item_9(inp: SafetyInput, pick: Any) -> SafetyInput:
    phq9 = inp.scores.get("phq9", ScoreSummary("phq9", 1, "minimal"))
    flagged = dataclasses.replace(phq9, flags=phq9.flags | {"suicidal-thoughts"})
    return dataclasses.replace(inp, scores={**inp.scores, "phq9": flagged})


def a_condition(inp: SafetyInput, pick: Any) -> SafetyInput:
    return with_profile(inp, conditions=inp.profile.conditions | {pick(
        st.sampled_from(CONDITIONS))})


def a_medicine(inp: SafetyInput, pick: Any) -> SafetyInput:
    return with_profile(inp, medications=(*inp.profile.medications,
                                          pick(st.sampled_from(MEDICINE_NAMES))))


def a_danger_symptom(inp: SafetyInput, pick: Any) -> SafetyInput:
    return dataclasses.replace(inp, danger_symptoms=inp.danger_symptoms | {pick(
        st.sampled_from(DANGER_SYMPTOM_IDS))})


def a_followup_yes(inp: SafetyInput, pick: Any) -> SafetyInput:
    question = pick(st.sampled_from(SUICIDE_FOLLOWUP_IDS))
    return dataclasses.replace(inp, suicide_followup={**inp.suicide_followup, question: True})


def a_worse_band(inp: SafetyInput, pick: Any) -> SafetyInput:
    instrument = pick(st.sampled_from(sorted(BANDS)))
    bands = BANDS[instrument]
    current = inp.scores.get(instrument)
    low = bands.index(current.band) if current and current.band in bands else 0
    band = pick(st.sampled_from(bands[low:]))
    flags = current.flags if current else frozenset()
    return dataclasses.replace(inp, scores={**inp.scores, instrument: ScoreSummary(
        instrument, 0, band, flags)})


def less_support(inp: SafetyInput, pick: Any) -> SafetyInput:
    order = ("strong", "some", "none")
    return with_profile(inp, support=pick(st.sampled_from(
        order[order.index(inp.profile.support):])))


def more_years_and_attempts(inp: SafetyInput, pick: Any) -> SafetyInput:
    return with_profile(inp, years_of_use=inp.profile.years_of_use + pick(st.floats(0, 20)),
                        previous_attempts=inp.profile.previous_attempts + pick(st.integers(0, 3)))


RISKS: list[Risk] = [another_substance, higher_amount, more_doses, positive_item_9, a_condition,
                     a_medicine, a_danger_symptom, a_followup_yes, a_worse_band, less_support,
                     more_years_and_attempts]


@pytest.mark.parametrize("risk", RISKS, ids=[r.__name__ for r in RISKS])
@settings(max_examples=15, deadline=None)
@given(inp=inputs(), data=st.data())
def test_adding_a_risk_never_lowers_the_level_or_removes_a_flag(
    risk: Risk, inp: SafetyInput, data: st.DataObject
) -> None:
    riskier = risk(inp, data.draw)
    before = triage_of(inp)
    after = triage_of(riskier)
    assert LEVEL_CODES.index(after["level"]) >= LEVEL_CODES.index(before["level"])
    assert {f["id"] for f in before["flags"]} <= {f["id"] for f in after["flags"]}
    assert {r["id"] for r in before["resources"]} <= {r["id"] for r in after["resources"]}


def triage_of(inp: SafetyInput) -> dict[str, Any]:
    return triage(
        inp.profile, inp.scores, danger_symptoms=sorted(inp.danger_symptoms),
        suicide_followup=dict(inp.suicide_followup), timeline_flags=sorted(inp.timeline_flags),
        days_since_checkin=inp.days_since_checkin, phase=inp.phase,
    ).as_dict()


@settings(max_examples=30, deadline=None)
@given(inp=inputs())
def test_result_is_json_and_crisis_lines_come_with_every_urgent_flag(inp: SafetyInput) -> None:
    data = triage_of(inp)
    json.dumps(data)
    severities = [f["severity"] for f in data["flags"]]
    assert severities == sorted(severities, key=("emergency", "urgent", "warning", "info").index)
    if {"urgent", "emergency"} & set(severities):
        assert {"988", "911"} <= {r["id"] for r in data["resources"]}
    assert data["flags"] == [f.as_dict() for f in evaluate(inp)]


BASE = UseProfile(product="leaf", amount_per_day=4.0, unit="g", doses_per_day=2,
                  years_of_use=1.0)


def test_triage_combines_flags_level_and_resources() -> None:
    result = triage(
        dataclasses.replace(BASE, product="7-oh", unit="mg", amount_per_day=80.0),
        [ScoreSummary("phq9", 3, "minimal"),
         ScoreSummary("phq9", 5, "mild", frozenset({"suicidal-thoughts"}))],  # latest wins
        danger_symptoms=["fainting"], zip_code="10001",
    )
    data = result.as_dict()
    assert data["level"] == "4" and data["level_name"] == "Medically Managed Inpatient"
    assert [f["id"] for f in data["flags"]] == [
        "emergency-symptoms", "concentrate-toxicity", "suicidal-thoughts", "seven-oh-product"]
    assert data["highest_severity"] == "emergency"
    assert [r["id"] for r in data["resources"]] == [
        "911", "988", "poison-control", "samhsa-helpline", "findtreatment"]
    assert data["resources"][-1]["contacts"][0]["href"].endswith("sAddr=10001")
    assert data["disclaimer"] and data["decided_by"] is None


def test_triage_with_nothing_wrong() -> None:
    data = triage(BASE).as_dict()
    assert (data["level"], data["flags"], data["reasons"], data["highest_severity"]) == (
        "1.5", [], [], None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"danger_symptoms": ["dizzy"]}, "danger_symptoms"),
        ({"suicide_followup": {"intent": 1}}, "suicide_followup.intent"),
        ({"timeline_flags": ["late"]}, "timeline_flags"),
        ({"phase": "withdrawal"}, "phase"),
        ({"days_since_checkin": "2"}, "days_since_checkin"),
        ({"zip_code": "ABCDE"}, "zip"),
    ],
)
def test_triage_rejects_bad_checkin_parts(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        triage(BASE, **kwargs)
    assert error.value.field == field


def test_triage_reads_real_instrument_scores() -> None:
    phq9 = instruments.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 2])
    sows = instruments.score("sows", [2] * 16)
    data = triage(BASE, [phq9, sows]).as_dict()
    assert {"suicidal-thoughts", "severe-withdrawal"} <= {f["id"] for f in data["flags"]}
    assert data["level"] == "2.7"
