"""The coping library is data: walk every entry, then check the ranking behaves as documented."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.coping import (
    COPING,
    COPING_BY_ID,
    EVIDENCE,
    GENERAL,
    PHASES,
    SYMPTOM_IDS,
    SYMPTOM_NAMES,
    Feedback,
    helped_rate,
    severities_from_ratings,
    suggest,
    worst_symptoms,
)
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.exercises import EXERCISES_BY_ID

DOCS = Path(__file__).resolve().parents[2] / "docs" / "recovery.md"


@pytest.mark.parametrize("entry", COPING, ids=lambda e: e.id)
def test_entry_is_well_formed(entry: Any) -> None:
    assert entry.symptoms and entry.symptoms <= set(SYMPTOM_IDS)
    assert entry.phases and entry.phases <= set(PHASES)
    assert 3 <= len(entry.steps) <= 6
    assert entry.title and 1 <= len(re.split(r"(?<=[.!?])\s+", entry.summary.strip())) <= 2
    assert entry.evidence in EVIDENCE
    # General advice must say so; anything claiming a source must cite its key.
    if entry.evidence == "general":
        assert entry.source == GENERAL
    else:
        assert "[ref:" in entry.source
    assert entry.exercise is None or entry.exercise in EXERCISES_BY_ID


def test_ids_unique() -> None:
    assert len(COPING_BY_ID) == len(COPING)


@pytest.mark.parametrize("symptom", SYMPTOM_IDS)
def test_every_symptom_has_an_entry(symptom: Any) -> None:
    assert any(symptom in entry.symptoms for entry in COPING)
    assert symptom in SYMPTOM_NAMES


@pytest.mark.parametrize("phase", PHASES)
def test_every_phase_has_enough_entries(phase: Any) -> None:
    assert sum(phase in entry.phases for entry in COPING) >= 3


@pytest.mark.parametrize(
    "required",
    ["hydration", "sleep-hygiene", "gentle-movement", "small-meals", "warm-bath",
     "paced-breathing", "muscle-relaxation", "urge-surfing", "delay-and-distract", "distraction",
     "reach-out", "peer-support", "call-clinician", "daylight-routine", "grounding"],
)
def test_required_entries_exist(required: Any) -> None:
    assert required in COPING_BY_ID


@pytest.mark.parametrize("entry", COPING, ids=lambda e: e.id)
def test_entry_is_documented(entry: Any) -> None:
    assert f"`{entry.id}`" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("symptoms", "phase", "expected_top"),
    [
        ({"urge-to-use": 0.75, "craving": 0.8}, "peak", "urge-surfing"),
        ({"aches": 0.75, "cold-flashes": 0.5, "restless": 0.5}, "peak", "warm-bath"),
        ({"low-mood": 0.75, "fatigue": 0.5}, "post-acute", "daylight-routine"),
        ({"runny-nose": 0.75, "tearing": 0.75, "yawning": 0.5}, "onset", "comfort-care"),
        ({"vomit-urge": 1.0}, "peak", "call-clinician"),  # top of scale pins the warning card
    ],
)
def test_top_suggestion_fits_symptoms(symptoms: Any, phase: Any, expected_top: Any) -> None:
    assert suggest(symptoms, phase)[0].entry.id == expected_top


def test_suggestions_change_with_symptoms() -> None:
    craving = [s.entry.id for s in suggest({"craving": 0.9}, "subsiding")]
    aches = [s.entry.id for s in suggest({"aches": 0.9}, "subsiding")]
    assert craving != aches
    assert all("craving" in COPING_BY_ID[i].symptoms for i in craving)
    assert all("aches" in COPING_BY_ID[i].symptoms for i in aches)


def test_phase_filters_entries() -> None:
    for suggestion in suggest({"nauseous": 0.5}, "post-acute", n=len(COPING)):
        assert "post-acute" in suggestion.entry.phases
    assert "small-meals" not in {s.entry.id for s in suggest({"nauseous": 0.5}, "post-acute",
                                                              n=len(COPING))}


def test_pin_only_at_top_of_scale() -> None:
    assert suggest({"vomit-urge": 0.75, "nauseous": 0.75}, "peak")[0].entry.id != "call-clinician"
    top = suggest({"vomit-urge": 1.0}, "peak")[0]
    assert top.entry.id == "call-clinician"
    assert "top of the scale" in top.reason


def test_reason_names_symptoms_and_feedback() -> None:
    feedback = {"warm-bath": Feedback(helped=3, not_helped=1)}
    top = suggest({"aches": 0.75, "restless": 0.5}, "peak", feedback)[0]
    assert top.entry.id == "warm-bath"
    assert top.reason == "for your aches and restlessness; helped you 3 of 4 times"


def test_reason_without_symptoms() -> None:
    suggestions = suggest({}, "pre-onset")
    assert all(s.reason == "general support for the pre-onset phase" for s in suggestions)


def test_feedback_moves_helped_up_and_not_helped_down() -> None:
    symptoms = {"craving": 0.6, "urge-to-use": 0.6}
    baseline = [s.entry.id for s in suggest(symptoms, "subsiding", n=len(COPING))]
    first, third = baseline[0], baseline[2]

    down = suggest(symptoms, "subsiding", {first: Feedback(0, 4)}, n=len(COPING))
    assert [s.entry.id for s in down].index(first) > 0

    up = suggest(symptoms, "subsiding", {third: Feedback(4, 0)}, n=len(COPING))
    assert [s.entry.id for s in up].index(third) < 2


@pytest.mark.parametrize(
    ("helped", "not_helped", "rate"),
    [(0, 0, 0.5), (1, 0, 2 / 3), (0, 1, 1 / 3), (3, 1, 4 / 6), (8, 0, 0.9)],
)
def test_helped_rate_is_laplace_smoothed(helped: Any, not_helped: Any, rate: Any) -> None:
    assert helped_rate(Feedback(helped, not_helped)) == pytest.approx(rate)


def test_more_evidence_moves_further() -> None:
    symptoms = {"anxious": 0.5}
    one = suggest(symptoms, "peak", {"grounding": Feedback(1, 0)}, n=len(COPING))
    many = suggest(symptoms, "peak", {"grounding": Feedback(10, 0)}, n=len(COPING))
    score = {s.entry.id: s.score for s in one}["grounding"]
    assert {s.entry.id: s.score for s in many}["grounding"] > score


def test_unknown_feedback_ids_are_ignored() -> None:
    plain = suggest({"aches": 0.5}, "peak")
    assert suggest({"aches": 0.5}, "peak", {"retired-entry": Feedback(5, 0)}) == plain


@pytest.mark.parametrize(
    ("symptoms", "phase", "feedback", "n", "field"),
    [
        ({"headache": 0.5}, "peak", {}, 3, "headache"),
        ({"aches": 1.5}, "peak", {}, 3, "aches"),
        ({"aches": float("nan")}, "peak", {}, 3, "aches"),
        ({"aches": 0.5}, "day-3", {}, 3, "phase"),
        ({"aches": 0.5}, "peak", {}, 0, "n"),
        ({"aches": 0.5}, "peak", {"warm-bath": Feedback(-1, 0)}, 3, "feedback"),
    ],
)
def test_bad_input_names_field(symptoms: Any, phase: Any, feedback: Any, n: Any,
                               field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        suggest(symptoms, phase, feedback, n)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("symptoms", "k", "expected"),
    [
        ({"aches": 0.5, "anxious": 0.75, "craving": 0.2}, 2, [("anxious", 0.75), ("aches", 0.5)]),
        ({"aches": 0.5, "anxious": 0.5}, 1, [("anxious", 0.5)]),  # tie: published SOWS order
        ({"aches": 0.0, "craving": 0.1}, 5, [("craving", 0.1)]),
        ({}, 3, []),
    ],
)
def test_worst_symptoms(symptoms: Any, k: Any, expected: Any) -> None:
    assert worst_symptoms(symptoms, k) == expected


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [({"aches": 3}, {"aches": 0.75}), ({"craving": 7}, {"craving": 0.7}), ({}, {})],
)
def test_severities_from_ratings(ratings: Any, expected: Any) -> None:
    assert severities_from_ratings(ratings) == pytest.approx(expected)


@pytest.mark.parametrize("ratings", [{"aches": 5}, {"craving": 11}, {"nope": 1}, {"aches": -1}])
def test_severities_reject_out_of_scale(ratings: Any) -> None:
    with pytest.raises(InvalidInput):
        severities_from_ratings(ratings)


severity = st.floats(min_value=0, max_value=1, allow_nan=False)
symptom_maps = st.dictionaries(st.sampled_from(SYMPTOM_IDS), severity, max_size=8)
feedback_maps = st.dictionaries(
    st.sampled_from([e.id for e in COPING]),
    st.builds(Feedback, st.integers(0, 20), st.integers(0, 20)),
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(symptom_maps, st.sampled_from(PHASES), feedback_maps, st.integers(1, 8))
def test_deterministic_and_well_ordered(symptoms: Any, phase: Any, feedback: Any, n: Any) -> None:
    first = suggest(symptoms, phase, feedback, n)
    assert first == suggest(dict(reversed(list(symptoms.items()))), phase, feedback, n)
    assert len(first) == min(n, sum(phase in e.phases for e in COPING))
    assert len({s.entry.id for s in first}) == len(first)
    unpinned = [s.score for s in first if "top of the scale" not in s.reason]
    assert unpinned == sorted(unpinned, reverse=True)
