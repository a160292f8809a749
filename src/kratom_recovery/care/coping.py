"""The coping library and the small, explainable ranking that suggests entries.

Our sources have almost nothing on self-care during kratom withdrawal: one weak secondary
summary lists "sleep support, fluids/nutrition" among adjuncts ([ref:droracle-summary],
[V-2nd, weak]) and the crisis lines are verified ([ref:988-lifeline], [ref:samhsa-helpline]).
Everything else here is general self-care guidance that the
project mission names (hydration, sleep, movement, therapy, coping skills, peer support, relapse
prevention). Each entry says which it is through `source` and `evidence`, so the product never
passes general advice off as kratom-specific evidence. The wording is ours.

Ranking (`suggest`) is deliberately simple so the reason shown to a person is the whole story:

    relevance = BASE_RELEVANCE + worst matching severity + OTHER_MATCH_WEIGHT x (sum of the rest)
    score     = relevance x (0.5 + helped-rate),  helped-rate = (helped + 1) / (helped + not + 2)

The helped-rate is a Beta(1, 1) (Laplace) smoothed estimate, so one rating nudges and many
ratings move; with no feedback the factor is exactly 1. Entries outside the current phase are
not suggested. Ties break on relevance, then focus (the share of the entry's target symptoms
the person has, so urge surfing beats breathing for a pure craving), then catalogue order, so
the output is deterministic.
These weights are product choices, not clinical thresholds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number

SOWS_ITEM_IDS: Final = (
    "anxious", "yawning", "sweating", "tearing", "runny-nose", "gooseflesh", "shaking",
    "hot-flashes", "cold-flashes", "aches", "restless", "nauseous", "vomit-urge", "twitching",
    "cramps", "urge-to-use",
)
DAILY_EXTRA_IDS: Final = ("low-mood", "irritability", "mental-fog", "fatigue", "poor-sleep")
CRAVING_ID: Final = "craving"
SYMPTOM_IDS: Final = (*SOWS_ITEM_IDS, *DAILY_EXTRA_IDS, CRAVING_ID)
PHASES: Final = ("pre-onset", "onset", "peak", "subsiding", "post-acute")

# Top of each rating scale, for turning raw ratings into 0–1 severities: SOWS items 0–4
# [ref:handelsman1987], daily extras 0–4 (shared ids), craving 0–10 [ref:craving-rating].
SCALE_MAX: Final[Mapping[str, int]] = {
    **{item: 4 for item in SOWS_ITEM_IDS},
    **{item: 4 for item in DAILY_EXTRA_IDS},
    CRAVING_ID: 10,
}

# Noun phrases for reasons ("for your aches and restlessness").
SYMPTOM_NAMES: Final[Mapping[str, str]] = {
    "anxious": "anxiety",
    "yawning": "yawning",
    "sweating": "sweating",
    "tearing": "watery eyes",
    "runny-nose": "runny nose",
    "gooseflesh": "goosebumps",
    "shaking": "shakiness",
    "hot-flashes": "hot flashes",
    "cold-flashes": "chills",
    "aches": "aches",
    "restless": "restlessness",
    "nauseous": "nausea",
    "vomit-urge": "urge to vomit",
    "twitching": "muscle twitches",
    "cramps": "stomach cramps",
    "urge-to-use": "urge to use",
    "low-mood": "low mood",
    "irritability": "irritability",
    "mental-fog": "mental fog",
    "fatigue": "tiredness",
    "poor-sleep": "poor sleep",
    "craving": "cravings",
}

# Evidence labels, from strongest to weakest claim we make.
EVIDENCE: Final[Mapping[str, str]] = {
    "ref": "the practice or contact is a verified fact in a cited source",
    "ref-weak": "only a weak secondary source mentions it",
    "general": "general self-care guidance; no clinical source",
}
GENERAL: Final = "general self-care guidance; no clinical source"

BASE_RELEVANCE: Final = 0.1
OTHER_MATCH_WEIGHT: Final = 0.1
# An entry with `pin_at` is placed first when any symptom it targets reaches that severity.
# 1.0 is the top answer of each scale ("extremely", craving 10): a product choice to make the
# "call a clinician" card impossible to miss, not a clinical threshold; alerts are the safety
# rules' job.
TOP_OF_SCALE: Final = 1.0


@dataclass(frozen=True)
class CopingEntry:
    id: str
    title: str
    summary: str
    steps: tuple[str, ...]
    symptoms: frozenset[str]
    phases: frozenset[str]
    source: str
    evidence: str
    exercise: str | None = None
    pin_at: float | None = None


@dataclass(frozen=True)
class Feedback:
    """How often a person said an entry helped, or did not, when they tried it."""

    helped: int = 0
    not_helped: int = 0


@dataclass(frozen=True)
class Suggestion:
    entry: CopingEntry
    score: float
    reason: str


def _entry(
    id: str, title: str, summary: str, steps: tuple[str, ...], symptoms: tuple[str, ...],
    phases: tuple[str, ...], source: str = GENERAL, evidence: str = "general",
    exercise: str | None = None, pin_at: float | None = None,
) -> CopingEntry:
    return CopingEntry(id, title, summary, steps, frozenset(symptoms), frozenset(phases),
                       source, evidence, exercise, pin_at)


ACUTE: Final = ("onset", "peak", "subsiding")

COPING: Final[tuple[CopingEntry, ...]] = (
    _entry(
        "hydration",
        "Drink little and often",
        "Sweating, a runny nose, nausea and loose stools all drain fluid. Small, frequent sips "
        "are easier to keep down than a big glass.",
        (
            "Keep a bottle of water within reach.",
            "Take a few sips every 10 to 15 minutes, even if you are not thirsty.",
            "If you are sweating a lot or have loose stools, try an oral rehydration drink or a "
            "sports drink diluted with water.",
            "Notice your urine: pale yellow is a good sign.",
        ),
        ("sweating", "hot-flashes", "runny-nose", "tearing", "nauseous", "vomit-urge", "cramps",
         "fatigue"),
        (*ACUTE, "pre-onset"),
        source="[ref:droracle-summary] (fluids listed among adjuncts in a secondary summary)",
        evidence="ref-weak",
    ),
    _entry(
        "sleep-hygiene",
        "Make sleep easier",
        "Sleep is often broken during and after withdrawal. A steady routine gives your body "
        "the best chance to settle, even if sleep stays light for a while.",
        (
            "Get up at the same time each day, however the night went.",
            "Keep the bedroom dark, cool and quiet.",
            "Put screens away half an hour before bed.",
            "Skip caffeine after midday.",
            "If you are awake for a long time, get up and do something calm, then try again.",
        ),
        ("poor-sleep", "restless", "fatigue", "mental-fog"),
        PHASES,
        source="[ref:droracle-summary] (sleep support listed among adjuncts in a secondary "
        "summary)",
        evidence="ref-weak",
    ),
    _entry(
        "gentle-movement",
        "Gentle movement and stretching",
        "Light movement can ease restless legs and aching muscles and lift your mood a little. "
        "Keep it gentle; this is not the week for hard training.",
        (
            "Take a slow 10-minute walk, indoors if you need to.",
            "Stretch your calves, thighs and back, holding each stretch for about 20 seconds.",
            "Roll your shoulders and neck slowly.",
            "Stop if you feel dizzy or faint, and drink some water.",
        ),
        ("aches", "restless", "twitching", "low-mood", "fatigue", "cramps"),
        ("onset", "peak", "subsiding", "post-acute"),
    ),
    _entry(
        "small-meals",
        "Small, plain meals",
        "When you feel sick, small plain meals are easier to manage than full plates, and "
        "eating something helps your energy.",
        (
            "Eat a few bites every couple of hours instead of three big meals.",
            "Choose plain foods: toast, crackers, rice, bananas, soup.",
            "Sip ginger or peppermint tea if you like them.",
            "Avoid greasy, spicy or very sweet food until your stomach settles.",
        ),
        ("nauseous", "vomit-urge", "cramps", "fatigue"),
        ("onset", "peak", "subsiding"),
        source="[ref:droracle-summary] (nutrition listed among adjuncts in a secondary summary)",
        evidence="ref-weak",
    ),
    _entry(
        "warm-bath",
        "Warm bath or shower",
        "Warm water can loosen aching muscles and take the edge off chills and restlessness.",
        (
            "Run a bath or shower that is warm, not hot.",
            "Stay in for 10 to 20 minutes and let your shoulders drop.",
            "Have a glass of water nearby, and get out slowly in case you feel light-headed.",
            "Wrap up warmly afterwards.",
        ),
        ("aches", "cold-flashes", "gooseflesh", "restless", "cramps", "twitching", "shaking"),
        ACUTE,
    ),
    _entry(
        "paced-breathing",
        "Slow, paced breathing",
        "Breathing out more slowly than you breathe in tells your body it is safe, which can "
        "calm a racing mind.",
        (
            "Sit or lie comfortably and relax your jaw.",
            "Breathe in through your nose for a count of four.",
            "Hold gently for four.",
            "Breathe out slowly for six.",
            "Repeat for a few minutes, using the timer if it helps.",
        ),
        ("anxious", "restless", "irritability", "urge-to-use", "craving", "shaking"),
        PHASES,
        exercise="paced-breathing",
    ),
    _entry(
        "muscle-relaxation",
        "Progressive muscle relaxation",
        "Tensing and then releasing one muscle group at a time helps you notice and let go of "
        "tension that builds up with aches and worry.",
        (
            "Lie or sit somewhere comfortable.",
            "Tense your feet for five seconds, then let go for ten.",
            "Move up through calves, thighs, stomach, hands, arms, shoulders and face.",
            "Breathe slowly throughout and notice the difference after each release.",
        ),
        ("aches", "twitching", "restless", "anxious", "poor-sleep", "cramps"),
        PHASES,
    ),
    _entry(
        "urge-surfing",
        "Urge surfing",
        "An urge rises, peaks and passes like a wave. Watching it with curiosity, instead of "
        "fighting it or acting on it, lets it pass on its own.",
        (
            "Notice the urge and rate it from 0 to 10.",
            "Find where you feel it in your body.",
            "Breathe and watch it rise, peak and fall, without acting on it.",
            "Rate it again when the timer ends.",
        ),
        ("urge-to-use", "craving"),
        PHASES,
        exercise="urge-surfing",
    ),
    _entry(
        "delay-and-distract",
        "Delay and distract",
        "Put off acting on a craving for a set time and fill that time with something else. "
        "Cravings often fade once the moment has passed.",
        (
            "Tell yourself: not now, I will decide in 15 minutes.",
            "Start something that needs your hands or your attention.",
            "Move to a different room or go outside.",
            "When the time is up, check in with yourself again.",
        ),
        ("urge-to-use", "craving", "restless", "irritability"),
        PHASES,
    ),
    _entry(
        "distraction",
        "Absorbing activities",
        "Time moves faster when your mind is busy. Keep a short list of things that pull you in "
        "and pick one when you feel stuck.",
        (
            "Write down three or four things that absorb you: a show, a game, a puzzle, music.",
            "Pick the easiest one and start it now.",
            "Switch to another if it stops working.",
        ),
        ("restless", "irritability", "craving", "low-mood", "anxious", "yawning"),
        PHASES,
    ),
    _entry(
        "reach-out",
        "Reach out to someone",
        "Telling one person how you are doing takes some weight off and makes it easier to "
        "stay on track.",
        (
            "Choose someone you trust.",
            "Send a short message: today is hard, can we talk?",
            "Say what would help: company, a walk, or just listening.",
            "If nobody is around, the SAMHSA National Helpline (1-800-662-4357) can point you to "
            "local support, day or night.",
        ),
        ("low-mood", "craving", "urge-to-use", "anxious", "irritability"),
        PHASES,
        source="[ref:samhsa-helpline] (free, 24/7 referral, no counselling)",
        evidence="ref",
    ),
    _entry(
        "peer-support",
        "Peer support groups",
        "People who have been through the same thing understand in a way others may not. "
        "Groups meet in person and online.",
        (
            "Look for a local or online mutual-help group for substance use.",
            "Go once just to listen; you do not have to speak.",
            "Try a few different groups until one fits.",
            "Ask your clinician or the SAMHSA Helpline for groups near you.",
        ),
        ("craving", "urge-to-use", "low-mood", "irritability"),
        ("subsiding", "post-acute", "pre-onset"),
        source="[ref:samhsa-helpline] (refers callers to support groups)",
        evidence="ref",
    ),
    _entry(
        "call-clinician",
        "When to call a clinician",
        "Some symptoms need a professional, not a coping skill. Call your clinician, or get "
        "urgent care, if any of the warning signs below happen.",
        (
            "You cannot keep fluids down, or vomiting or diarrhoea keeps going.",
            "Symptoms are much worse than expected, or are not easing after the expected time.",
            "You used 7-OH products, or other opioids, sedatives or alcohol alongside kratom.",
            "You have chest pain, fainting, a seizure, confusion, or trouble breathing: call "
            "emergency services.",
            "You have thoughts of harming yourself: call or text 988 now.",
        ),
        ("vomit-urge", "nauseous", "cramps", "shaking", "low-mood", "sweating"),
        PHASES,
        source="[ref:sharma2025] (7-OH: severe withdrawal, breathing problems needing intensive "
        "care), [ref:fda-kratom-warning] (other opioids, sedatives, alcohol), [ref:boyer2008] "
        "(a seizure case), [ref:kroenke2001] [ref:988-lifeline] (self-harm thoughts → 988); "
        "timeline flags worse-than-expected and prolonged-acute; "
        "the fluids sign is general guidance",
        evidence="ref",
        pin_at=TOP_OF_SCALE,
    ),
    _entry(
        "daylight-routine",
        "Daylight and a daily rhythm",
        "Low mood and flat energy can linger after the physical symptoms ease. Daylight and a "
        "simple routine give each day some shape.",
        (
            "Get outside in daylight for a while each morning, even on cloudy days.",
            "Set times for waking, meals and bed.",
            "Plan one small thing you enjoy or finish each day.",
            "Tick it off when it is done.",
        ),
        ("low-mood", "fatigue", "mental-fog", "poor-sleep"),
        ("subsiding", "post-acute"),
    ),
    _entry(
        "grounding",
        "Grounding: 5-4-3-2-1",
        "When worry spins, pulling your attention to your senses brings you back to the "
        "present moment.",
        (
            "Name five things you can see.",
            "Four things you can feel.",
            "Three things you can hear.",
            "Two things you can smell, and one you can taste.",
            "Take a slow breath out.",
        ),
        ("anxious", "irritability", "restless", "mental-fog", "craving"),
        PHASES,
    ),
    _entry(
        "thought-record",
        "Check an unhelpful thought",
        "Thoughts like 'I will never get through this' feel like facts. Writing one down and "
        "weighing the evidence often shows a fairer view.",
        (
            "Write down the situation and the thought.",
            "Rate how strongly you feel, 0 to 100.",
            "List evidence for and against the thought.",
            "Write a more balanced thought and rate the feeling again.",
        ),
        ("low-mood", "anxious", "irritability", "craving"),
        ("subsiding", "post-acute", "pre-onset"),
        exercise="thought-record",
    ),
    _entry(
        "problem-solving",
        "Work through a problem",
        "Stress about a practical problem can drive cravings. Breaking it into options and one "
        "first step makes it feel smaller.",
        (
            "Name the problem in one sentence.",
            "List every option, even unlikely ones.",
            "Note pros and cons for each.",
            "Choose one and decide the very first step.",
        ),
        ("anxious", "irritability", "craving", "mental-fog"),
        ("subsiding", "post-acute", "pre-onset"),
        exercise="problem-solving",
    ),
    _entry(
        "comfort-care",
        "Comfort for eyes, nose and skin",
        "Watery eyes, a runny nose, yawning and goosebumps are uncomfortable but usually pass. "
        "Small comforts make them easier to live with.",
        (
            "Keep soft tissues and a lip balm nearby.",
            "Use a cool cloth on your face when you feel hot, and layers you can add or remove.",
            "Rest with your head slightly raised if your nose is running.",
        ),
        ("tearing", "runny-nose", "yawning", "gooseflesh", "hot-flashes", "cold-flashes",
         "sweating"),
        ACUTE,
    ),
    _entry(
        "relapse-plan",
        "Plan for risky moments",
        "Knowing your triggers and your first move ahead of time makes a slip less likely and "
        "shorter if it happens.",
        (
            "List the times, places and feelings when you used most.",
            "For each, write one thing you will do instead.",
            "Put a supporter's number and this plan somewhere easy to find.",
            "If you slip, record it honestly and restart; your progress still counts.",
        ),
        ("craving", "urge-to-use"),
        ("pre-onset", "subsiding", "post-acute"),
    ),
)

COPING_BY_ID: Final[Mapping[str, CopingEntry]] = {entry.id: entry for entry in COPING}
_ORDER: Final[Mapping[str, int]] = {entry.id: index for index, entry in enumerate(COPING)}


def severities_from_ratings(ratings: Mapping[str, float]) -> dict[str, float]:
    """Raw ratings (SOWS items and extras 0–4, craving 0–10) as 0–1 severities for `suggest`."""
    return {
        symptom: check_number(_known(symptom), value, low=0, high=SCALE_MAX[symptom])
        / SCALE_MAX[symptom]
        for symptom, value in ratings.items()
    }


def worst_symptoms(symptoms: Mapping[str, float], k: int) -> list[tuple[str, float]]:
    """The k most severe symptoms above zero, worst first; ties keep the fixed id order."""
    severities = _severities(symptoms)
    if k < 0:
        raise InvalidInput("k", "must be 0 or more")
    present = [(s, severities[s]) for s in SYMPTOM_IDS if severities.get(s, 0) > 0]
    present.sort(key=lambda pair: -pair[1])  # stable: equal severities keep id order
    return present[:k]


def suggest(
    symptoms: Mapping[str, float],
    phase: str,
    feedback: Mapping[str, Feedback] | None = None,
    n: int = 3,
) -> list[Suggestion]:
    """The n coping entries that best fit today's symptoms, phase and past feedback.

    `symptoms` maps symptom ids to 0–1 severities (see `severities_from_ratings`). Feedback for
    ids no longer in the library is ignored, so stored ratings survive library edits.
    """
    severities = _severities(symptoms)
    if phase not in PHASES:
        raise InvalidInput("phase", f"must be one of {', '.join(PHASES)} (got {phase!r})")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise InvalidInput("n", "must be a whole number, 1 or more")
    feedback = feedback or {}
    for entry_id, rating in feedback.items():
        if rating.helped < 0 or rating.not_helped < 0:
            raise InvalidInput("feedback", f"counts for {entry_id!r} cannot be negative")

    ranked: list[tuple[bool, float, float, float, int, Suggestion]] = []
    for entry in COPING:
        if phase not in entry.phases:
            continue
        matched = sorted(
            ((severities[s], s) for s in entry.symptoms if severities.get(s, 0) > 0),
            key=lambda pair: (-pair[0], SYMPTOM_IDS.index(pair[1])),
        )
        levels = [level for level, _ in matched]
        relevance = BASE_RELEVANCE
        if levels:
            relevance += levels[0] + OTHER_MATCH_WEIGHT * sum(levels[1:])
        rating = feedback.get(entry.id, Feedback())
        # Rounded once, so the reported score is exactly what the ranking compares.
        score = round(relevance * (0.5 + helped_rate(rating)), 9)
        pinned = entry.pin_at is not None and bool(levels) and levels[0] >= entry.pin_at
        reason = _reason([s for _, s in matched], rating, phase, pinned)
        focus = len(matched) / len(entry.symptoms)
        ranked.append(
            (pinned, score, round(relevance, 9), focus, _ORDER[entry.id],
             Suggestion(entry, score, reason))
        )
    ranked.sort(key=lambda row: (not row[0], -row[1], -row[2], -row[3], row[4]))
    return [row[5] for row in ranked[:n]]


def helped_rate(rating: Feedback) -> float:
    """Beta(1, 1)-smoothed share of tries that helped: 0.5 with no feedback."""
    return (rating.helped + 1) / (rating.helped + rating.not_helped + 2)


def _reason(matched: list[str], rating: Feedback, phase: str, pinned: bool) -> str:
    if pinned:
        text = f"because your {SYMPTOM_NAMES[matched[0]]} is at the top of the scale"
    elif matched:
        names = [SYMPTOM_NAMES[s] for s in matched[:2]]
        text = "for your " + " and ".join(names)
    else:
        text = f"general support for the {phase} phase"
    tries = rating.helped + rating.not_helped
    if tries:
        times = "time" if tries == 1 else "times"
        text += f"; helped you {rating.helped} of {tries} {times}"
    return text


def _severities(symptoms: Mapping[str, float]) -> dict[str, float]:
    """Checked 0–1 severities as floats, naming the symptom id on bad input."""
    return {
        symptom: check_number(_known(symptom), value, low=0, high=1)
        for symptom, value in symptoms.items()
    }


def _known(symptom: str) -> str:
    if symptom not in SCALE_MAX:
        raise InvalidInput(symptom, f"unknown symptom; allowed: {', '.join(SYMPTOM_IDS)}")
    return symptom
