"""The instrument registry and the entry points every layer uses to score answers.

Definitions are data (one module per instrument); `base.py` holds the one scoring engine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import base
from kratom_recovery.care.instruments.audit_c import AUDIT_C
from kratom_recovery.care.instruments.base import (
    Band,
    Instrument,
    Item,
    ItemFlag,
    ItemScore,
    Option,
    Score,
    ScoringOption,
)
from kratom_recovery.care.instruments.ciwa_ar import CIWA_AR
from kratom_recovery.care.instruments.cows import COWS
from kratom_recovery.care.instruments.craving import CRAVING
from kratom_recovery.care.instruments.daily_extra import DAILY_EXTRA
from kratom_recovery.care.instruments.gad7 import GAD7
from kratom_recovery.care.instruments.phq9 import PHQ9
from kratom_recovery.care.instruments.sows import SOWS
from kratom_recovery.care.instruments.sud import SUD

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from typing import Final

__all__ = [
    "INSTRUMENTS",
    "Band",
    "Instrument",
    "Item",
    "ItemFlag",
    "ItemScore",
    "Option",
    "Score",
    "ScoringOption",
    "get_instrument",
    "score",
    "score_mapping",
]

INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(
    {i.id: i for i in (SOWS, COWS, PHQ9, GAD7, SUD, CRAVING, DAILY_EXTRA, AUDIT_C, CIWA_AR)}
)


def get_instrument(instrument_id: object) -> Instrument:
    if not isinstance(instrument_id, str) or instrument_id not in INSTRUMENTS:
        raise InvalidInput(
            "instrument",
            f"unknown instrument {instrument_id!r}; known: {', '.join(INSTRUMENTS)}",
        )
    return INSTRUMENTS[instrument_id]


def score(instrument_id: str, answers: Sequence[object], **options: object) -> Score:
    """Score answers given in published item order, e.g. `score("sud", [...],
    medically_supervised=True)`. Raises InvalidInput naming the first bad item."""
    return base.score_answers(get_instrument(instrument_id), answers, **options)


def score_mapping(
    instrument_id: str, answers: Mapping[str, object], **options: object
) -> Score:
    """Score answers keyed by item id; optional items may be left out."""
    return base.score_mapping(get_instrument(instrument_id), answers, **options)
