"""Skills exercises as data, and the check that turns a completed form into a storable record.

The exercises are standard self-help formats (urge surfing, a thought record, structured
problem solving, paced breathing). Our clinical sources cover withdrawal, not psychological
skills, so each says `evidence="general"`. Timer defaults follow what a peer tool ships (a
10-minute urge timer and 4-4-6 breathing [ref:tea-taper]): program defaults a person can
change, not clinical numbers.

`validate_entry` is the single gate for a completed exercise: the web layer and the API store
only what it returns, and show the field named in any InvalidInput it raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number

GENERAL: Final = "general self-care guidance; no clinical source"
FIELD_KINDS: Final = ("text", "integer", "options")
MAX_TEXT: Final = 2000
MAX_OPTIONS: Final = 8


@dataclass(frozen=True)
class Field:
    """One input of an exercise form. `low`/`high` bound integers; `max_length` bounds text."""

    id: str
    label: str
    kind: str
    required: bool = True
    low: int = 0
    high: int = 0
    max_length: int = MAX_TEXT
    help: str = ""


@dataclass(frozen=True)
class Prompt:
    """A line shown when a timer reaches `at_fraction` of its duration (0 = start)."""

    at_fraction: float
    text: str


@dataclass(frozen=True)
class Timer:
    default_seconds: int
    min_seconds: int
    max_seconds: int
    prompts: tuple[Prompt, ...] = ()


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    intro: str
    steps: tuple[str, ...]
    fields: tuple[Field, ...]
    source: str = GENERAL
    evidence: str = "general"
    timer: Timer | None = None


# Paced-breathing defaults (4 in, 4 hold, 6 out) and bounds. The bounds keep the pattern
# comfortable and the session short; they are product limits, not clinical ones.
BREATH_DEFAULTS: Final[Mapping[str, int]] = {
    "inhale_seconds": 4, "hold_seconds": 4, "exhale_seconds": 6, "cycles": 10,
}

EXERCISES: Final[tuple[Exercise, ...]] = (
    Exercise(
        id="urge-surfing",
        title="Urge surfing",
        intro="Cravings come in waves: they build, peak and fade, usually faster than it feels. "
        "Set the timer, watch the urge without acting on it, and see what happens to it.",
        steps=(
            "Rate how strong the urge is, from 0 to 10.",
            "Start the timer and sit comfortably.",
            "Follow the prompts as they appear.",
            "When the timer ends, rate the urge again.",
        ),
        fields=(
            Field("craving_before", "Urge before (0–10)", "integer", low=0, high=10),
            Field("craving_after", "Urge after (0–10)", "integer", low=0, high=10),
            Field("seconds_done", "How long you surfed (seconds)", "integer", low=0, high=3600),
            Field("where_felt", "Where you felt it in your body", "text", required=False,
                  max_length=200),
            Field("notes", "Anything you noticed", "text", required=False),
        ),
        timer=Timer(
            default_seconds=600,
            min_seconds=60,
            max_seconds=3600,
            prompts=(
                Prompt(0.0, "Notice the urge. Where in your body do you feel it?"),
                Prompt(0.1, "Breathe slowly. You do not have to do anything about it."),
                Prompt(0.3, "Is it rising, steady or falling? Just watch."),
                Prompt(0.5, "Imagine riding it like a wave. It will peak and pass."),
                Prompt(0.7, "Notice any change in strength, however small."),
                Prompt(0.9, "Nearly done. How strong is it now, 0 to 10?"),
            ),
        ),
    ),
    Exercise(
        id="thought-record",
        title="Thought record",
        intro="A thought that comes with a strong feeling can seem like a fact. Writing it down "
        "and weighing the evidence helps you find a fairer, more useful way to see it.",
        steps=(
            "Describe what was happening.",
            "Write the thought that went through your mind.",
            "Rate how strong the feeling is, 0 to 100.",
            "List evidence for and against the thought.",
            "Write a more balanced thought and rate the feeling again.",
        ),
        fields=(
            Field("situation", "What was happening", "text"),
            Field("automatic_thought", "The thought that came up", "text"),
            Field("feeling", "The feeling (for example anxious, ashamed, angry)", "text",
                  required=False, max_length=100),
            Field("feeling_before", "How strong the feeling was (0–100)", "integer", low=0,
                  high=100),
            Field("evidence_for", "What supports the thought", "text"),
            Field("evidence_against", "What does not fit the thought", "text"),
            Field("balanced_thought", "A more balanced thought", "text"),
            Field("feeling_after", "How strong the feeling is now (0–100)", "integer", low=0,
                  high=100),
        ),
    ),
    Exercise(
        id="problem-solving",
        title="Problem solving",
        intro="When a problem feels too big, breaking it down makes it manageable. List your "
        "options, weigh them up, pick one and decide the very first step.",
        steps=(
            "Describe the problem in a sentence or two.",
            "List possible options, even ones that seem unlikely.",
            "Note the pros and cons of each.",
            "Choose one option.",
            "Decide the first small step and when you will take it.",
        ),
        fields=(
            Field("problem", "The problem", "text"),
            Field("options", "Options, each with pros and cons", "options",
                  help="a list of {text, pros, cons}; pros and cons may be empty"),
            Field("choice", "The option you choose (one of your options)", "text"),
            Field("first_step", "Your first step", "text"),
        ),
    ),
    Exercise(
        id="paced-breathing",
        title="Paced breathing",
        intro="Slow breathing with a longer out-breath can calm your body when you feel anxious "
        "or restless. Follow the timer for a few minutes.",
        steps=(
            "Sit or lie comfortably.",
            "Breathe in through your nose while the circle grows.",
            "Hold gently while it stays still.",
            "Breathe out slowly while it shrinks.",
            "Repeat for the number of cycles you chose.",
        ),
        fields=(
            Field("inhale_seconds", "Breathe in (seconds)", "integer", low=2, high=10),
            Field("hold_seconds", "Hold (seconds)", "integer", low=0, high=10),
            Field("exhale_seconds", "Breathe out (seconds)", "integer", low=2, high=12),
            Field("cycles", "Cycles", "integer", low=1, high=30),
            Field("calm_before", "How calm you felt before (0–10)", "integer", required=False,
                  low=0, high=10),
            Field("calm_after", "How calm you feel now (0–10)", "integer", required=False,
                  low=0, high=10),
        ),
    ),
)

EXERCISES_BY_ID: Final[Mapping[str, Exercise]] = {ex.id: ex for ex in EXERCISES}


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return EXERCISES_BY_ID[exercise_id]
    except KeyError:
        raise InvalidInput(
            "exercise", f"unknown exercise {exercise_id!r}; allowed: {', '.join(EXERCISES_BY_ID)}"
        ) from None


def prompt_schedule(exercise_id: str, duration_seconds: int) -> list[tuple[int, str]]:
    """The timer's prompts as (seconds from start, text) for the chosen duration."""
    timer = get_exercise(exercise_id).timer
    if timer is None:
        raise InvalidInput("exercise", f"{exercise_id!r} has no timer")
    seconds = int(check_number("duration_seconds", duration_seconds, low=timer.min_seconds,
                               high=timer.max_seconds, integer=True))
    return [(int(prompt.at_fraction * seconds), prompt.text) for prompt in timer.prompts]


def breathing_plan(
    inhale_seconds: int, hold_seconds: int, exhale_seconds: int, cycles: int
) -> list[tuple[int, str]]:
    """Each breathing phase as (seconds from start, "in" | "hold" | "out"), for a timer."""
    checked = validate_entry("paced-breathing", {
        "inhale_seconds": inhale_seconds, "hold_seconds": hold_seconds,
        "exhale_seconds": exhale_seconds, "cycles": cycles,
    })
    plan: list[tuple[int, str]] = []
    at = 0
    for _ in range(checked["cycles"]):
        for phase, key in (("in", "inhale_seconds"), ("hold", "hold_seconds"),
                           ("out", "exhale_seconds")):
            if checked[key]:
                plan.append((at, phase))
                at += checked[key]
    return plan


def validate_entry(exercise_id: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A clean copy of a completed exercise, or InvalidInput naming the first bad field.

    Text is stripped; integers arrive as numbers or digit strings (web forms) and leave as int;
    optional fields left out come back as None so stored records all have the same keys.
    """
    exercise = get_exercise(exercise_id)
    if not isinstance(data, Mapping):
        raise InvalidInput("data", "must be an object of field values")
    known = {field.id for field in exercise.fields}
    unknown = sorted(str(key) for key in data if key not in known)
    if unknown:
        raise InvalidInput(unknown[0], f"unknown field; allowed: {', '.join(sorted(known))}")
    clean: dict[str, Any] = {}
    for field in exercise.fields:
        value = data.get(field.id)
        if value is None or (isinstance(value, str) and not value.strip()) or value == []:
            if field.required:
                raise InvalidInput(field.id, "is required")
            clean[field.id] = None
            continue
        clean[field.id] = _check_field(field, value)
    _cross_checks(exercise, clean)
    return clean


def _check_field(field: Field, value: object) -> Any:
    if field.kind == "integer":
        return int(check_number(field.id, value, low=field.low, high=field.high, integer=True))
    if field.kind == "text":
        return _text(field.id, value, field.max_length)
    if field.kind == "options":
        return _options(field.id, value)
    raise AssertionError(f"unhandled field kind {field.kind!r}")  # pragma: no cover


def _text(name: str, value: object, max_length: int, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput(name, "must be text")
    text = value.strip()
    if required and not text:
        raise InvalidInput(name, "is required")
    if len(text) > max_length:
        raise InvalidInput(name, f"must be at most {max_length} characters")
    return text


def _options(name: str, value: object) -> list[dict[str, str]]:
    if isinstance(value, str | Mapping) or not isinstance(value, list | tuple):
        raise InvalidInput(name, "must be a list of options, each with text, pros and cons")
    if len(value) > MAX_OPTIONS:
        raise InvalidInput(name, f"at most {MAX_OPTIONS} options")
    options: list[dict[str, str]] = []
    for number, option in enumerate(value, start=1):
        if not isinstance(option, Mapping):
            raise InvalidInput(name, f"option {number} must have text, pros and cons")
        extra = sorted(str(k) for k in option if k not in ("text", "pros", "cons"))
        if extra:
            raise InvalidInput(name, f"option {number}: unknown key {extra[0]!r}; "
                               "allowed: text, pros, cons")
        text = option.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput(name, f"option {number}: text is required")
        options.append({
            "text": _text(name, text, MAX_TEXT),
            "pros": _text(name, option.get("pros") or "", MAX_TEXT, required=False),
            "cons": _text(name, option.get("cons") or "", MAX_TEXT, required=False),
        })
    texts = [o["text"].casefold() for o in options]
    if len(set(texts)) != len(texts):
        raise InvalidInput(name, "each option must be different")
    return options


def _cross_checks(exercise: Exercise, clean: Mapping[str, Any]) -> None:
    if exercise.id == "problem-solving":
        choices = {o["text"].casefold() for o in clean["options"]}
        if clean["choice"].casefold() not in choices:
            raise InvalidInput("choice", "must be one of your options")
