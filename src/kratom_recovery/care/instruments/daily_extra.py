"""Daily extras: symptoms SOWS does not ask about, plus an optional resting pulse.

A symptom checklist of our own, not a validated scale: no bands, no clinical thresholds.
The pulse is recorded for trends and safety rules but never added to the total.
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Instrument, Item
from kratom_recovery.care.instruments.sows import INTENSITY_OPTIONS

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

# (id, our wording); ids are fixed project-wide (PREAMBLE).
_SYMPTOMS: Final = (
    ("low-mood", "My mood is low."),
    ("irritability", "I feel irritable or short-tempered."),
    ("mental-fog", "My thinking feels foggy or slow."),
    ("fatigue", "I feel tired or drained."),
    ("poor-sleep", "I slept badly last night."),
)

# Input-sanity limits for a typed resting pulse (bpm): reject typing errors, not a clinical
# threshold.
PULSE_MIN: Final = 30
PULSE_MAX: Final = 220

DAILY_EXTRA: Final = Instrument(
    id="daily-extra",
    version="1",
    name="Daily extra symptoms",
    short_name="Daily extras",
    respondent="patient",
    description=(
        "A symptom checklist of our own covering symptoms SOWS does not ask about (low mood, "
        "irritability, mental fog, fatigue, poor sleep), each 0-4, plus an optional resting "
        "pulse that is recorded but not added to the total. It is not a validated scale and "
        "has no severity bands."
    ),
    instructions="For each line, choose how strongly it applies to you today.",
    recall_period="today (sleep: last night)",
    items=(
        *(
            Item(id=item_id, number=n, text=text, options=INTENSITY_OPTIONS)
            for n, (item_id, text) in enumerate(_SYMPTOMS, start=1)
        ),
        Item(
            id="pulse",
            number=len(_SYMPTOMS) + 1,
            text="Resting pulse (beats per minute), if you measured it after sitting still.",
            minimum=PULSE_MIN,
            maximum=PULSE_MAX,
            unit="bpm",
            optional=True,
            scored=False,
        ),
    ),
    bands=(),
    source="Our own checklist for this project; not a published or validated instrument.",
    licence="Our own wording; free to use under the project licence.",
    caveat="Not a validated scale: use it to follow one person's trend, not to grade severity.",
)
