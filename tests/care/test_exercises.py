"""Skills exercises: every definition is sound, and validate_entry guards what gets stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.exercises import (
    BREATH_DEFAULTS,
    EXERCISES,
    EXERCISES_BY_ID,
    FIELD_KINDS,
    breathing_plan,
    prompt_schedule,
    validate_entry,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "recovery.md"

VALID: dict[str, dict[str, Any]] = {
    "urge-surfing": {"craving_before": 8, "craving_after": "4", "seconds_done": 600},
    "thought-record": {
        "situation": " Payday, walking past the shop ",
        "automatic_thought": "One dose won't matter",
        "feeling_before": 80,
        "evidence_for": "It would stop the aches",
        "evidence_against": "Last time one dose became a week",
        "balanced_thought": "The aches pass; a week of use would not",
        "feeling_after": 40,
    },
    "problem-solving": {
        "problem": "Evenings alone are when I used",
        "options": [
            {"text": "Gym after work", "pros": "tiring", "cons": "costs money"},
            {"text": "Call my sister", "pros": "", "cons": "she works late"},
        ],
        "choice": "call my sister",
        "first_step": "Text her tonight",
    },
    "paced-breathing": dict(BREATH_DEFAULTS),
}


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_definition_is_sound(exercise: Any) -> None:
    assert exercise.title and exercise.intro and 3 <= len(exercise.steps) <= 6
    ids = [f.id for f in exercise.fields]
    assert len(ids) == len(set(ids))
    for field in exercise.fields:
        assert field.kind in FIELD_KINDS and field.label
        if field.kind == "integer":
            assert field.low < field.high
    if exercise.timer:
        timer = exercise.timer
        assert timer.min_seconds <= timer.default_seconds <= timer.max_seconds
        fractions = [p.at_fraction for p in timer.prompts]
        assert fractions == sorted(fractions) and all(0 <= f < 1 for f in fractions)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_exercise_is_documented(exercise: Any) -> None:
    assert f"`{exercise.id}`" in DOCS.read_text(encoding="utf-8")


def test_every_exercise_has_a_valid_example() -> None:
    assert set(VALID) == set(EXERCISES_BY_ID)


@pytest.mark.parametrize("exercise_id", sorted(VALID))
def test_valid_entry_round_trips(exercise_id: Any) -> None:
    clean = validate_entry(exercise_id, VALID[exercise_id])
    assert set(clean) == {f.id for f in EXERCISES_BY_ID[exercise_id].fields}
    # A stored record validates again to itself (the web layer may re-check on edit).
    again = {k: v for k, v in clean.items() if v is not None}
    assert validate_entry(exercise_id, again) == clean


def test_cleaning() -> None:
    clean = validate_entry("urge-surfing", VALID["urge-surfing"])
    assert clean["craving_after"] == 4 and clean["where_felt"] is None
    record = validate_entry("thought-record", VALID["thought-record"])
    assert record["situation"] == "Payday, walking past the shop"


def _with(exercise_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = dict(VALID[exercise_id])
    for key, value in changes.items():
        if value is ...:
            del data[key]
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("exercise_id", "data", "field"),
    [
        ("urge-surfing", _with("urge-surfing", craving_before=11), "craving_before"),
        ("urge-surfing", _with("urge-surfing", craving_after=2.5), "craving_after"),
        ("urge-surfing", _with("urge-surfing", craving_before=...), "craving_before"),
        ("urge-surfing", _with("urge-surfing", seconds_done="ten"), "seconds_done"),
        ("urge-surfing", _with("urge-surfing", mood=3), "mood"),
        ("thought-record", _with("thought-record", situation="   "), "situation"),
        ("thought-record", _with("thought-record", feeling_after=101), "feeling_after"),
        ("thought-record", _with("thought-record", balanced_thought=5), "balanced_thought"),
        ("thought-record", _with("thought-record", evidence_for="x" * 2001), "evidence_for"),
        ("problem-solving", _with("problem-solving", choice="Move abroad"), "choice"),
        ("problem-solving", _with("problem-solving", options="gym"), "options"),
        ("problem-solving", _with("problem-solving", options=[{"pros": "x"}]), "options"),
        ("problem-solving", _with("problem-solving", options=[{"text": "a", "why": "b"}]),
         "options"),
        ("problem-solving", _with("problem-solving", options=[{"text": "A"}, {"text": "a"}]),
         "options"),
        ("problem-solving", _with("problem-solving", options=[]), "options"),
        ("paced-breathing", _with("paced-breathing", inhale_seconds=1), "inhale_seconds"),
        ("paced-breathing", _with("paced-breathing", cycles=31), "cycles"),
        ("paced-breathing", _with("paced-breathing", calm_after=True), "calm_after"),
        ("meditation", {}, "exercise"),
        ("paced-breathing", ["inhale"], "data"),
    ],
)
def test_bad_entry_names_field(exercise_id: Any, data: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_entry(exercise_id, data)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("seconds", "expected_last"),
    [(600, (540, "Nearly done. How strong is it now, 0 to 10?")), (60, (54, None))],
)
def test_prompt_schedule_scales_with_duration(seconds: Any, expected_last: Any) -> None:
    schedule = prompt_schedule("urge-surfing", seconds)
    assert schedule[0][0] == 0
    assert schedule[-1][0] == expected_last[0]
    assert expected_last[1] in (None, schedule[-1][1])
    assert [at for at, _ in schedule] == sorted(at for at, _ in schedule)


@pytest.mark.parametrize(
    ("exercise_id", "seconds", "field"),
    [("urge-surfing", 30, "duration_seconds"), ("urge-surfing", 7200, "duration_seconds"),
     ("thought-record", 600, "exercise")],
)
def test_prompt_schedule_rejects(exercise_id: Any, seconds: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        prompt_schedule(exercise_id, seconds)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ((4, 4, 6, 1), [(0, "in"), (4, "hold"), (8, "out")]),
        ((4, 0, 6, 2), [(0, "in"), (4, "out"), (10, "in"), (14, "out")]),
    ],
)
def test_breathing_plan(pattern: Any, expected: Any) -> None:
    assert breathing_plan(*pattern) == expected


def test_breathing_plan_rejects_bad_pattern() -> None:
    with pytest.raises(InvalidInput) as error:
        breathing_plan(4, 4, 20, 3)
    assert error.value.field == "exhale_seconds"
