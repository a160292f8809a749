"""Craving: a single 0–10 rating of how strong the urge to take kratom is right now.

A 0–10 numeric craving rating is common practice in SUD research, but no validation for
kratom was found ([ref:craving-rating], UNVERIFIED), so this instrument has no severity bands.
"""

from __future__ import annotations

from kratom_recovery.care.instruments.base import Instrument, Item, Option

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

CRAVING_OPTIONS: Final = tuple(
    Option(
        value,
        {0: "0 - no craving at all", 10: "10 - the strongest craving I can imagine"}.get(
            value, str(value)
        ),
    )
    for value in range(11)
)

CRAVING: Final = Instrument(
    id="craving",
    version="1",
    name="Craving rating (0-10)",
    short_name="Craving",
    respondent="patient",
    description=(
        "One 0-10 rating of how strong the urge to take kratom is right now. It is a simple "
        "numeric rating, not a validated scale, so it has no severity bands."
    ),
    instructions=(
        "How strong is your craving or urge to take kratom right now? 0 means none at all and "
        "10 the strongest you can imagine."
    ),
    recall_period="right now",
    items=(
        Item(
            id="craving",
            number=1,
            text="How strong is your craving for kratom right now?",
            options=CRAVING_OPTIONS,
        ),
    ),
    bands=(),
    source=(
        "Common practice in substance use research: a 0-10 numeric or visual-analogue craving "
        "rating [ref:craving-rating]. No kratom-specific validation found (UNVERIFIED)."
    ),
    licence="Our own wording; free to use under the project licence.",
    caveat="Not a validated scale for kratom; compare a person's ratings over time only.",
)
