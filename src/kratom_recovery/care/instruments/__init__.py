"""The instrument registry and the entry points every layer uses to score answers.

Definitions are data (one module per instrument); `base.py` holds the one scoring engine.
A scale's module is imported the first time its definition is asked for, so that
`kratom-recovery score sows` builds SOWS alone and starts faster; the loaders below are plain
imports, so readers and mypy see every module the registry uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import base
from kratom_recovery.care.instruments.base import (
    Band,
    Instrument,
    Item,
    ItemScore,
    Option,
    Score,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see base.py)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Final


def _sows() -> Instrument:
    from kratom_recovery.care.instruments.sows import SOWS

    return SOWS


def _cows() -> Instrument:
    from kratom_recovery.care.instruments.cows import COWS

    return COWS


def _phq9() -> Instrument:
    from kratom_recovery.care.instruments.phq9 import PHQ9

    return PHQ9


def _gad7() -> Instrument:
    from kratom_recovery.care.instruments.gad7 import GAD7

    return GAD7


def _sud() -> Instrument:
    from kratom_recovery.care.instruments.sud import SUD

    return SUD


def _craving() -> Instrument:
    from kratom_recovery.care.instruments.craving import CRAVING

    return CRAVING


def _daily_extra() -> Instrument:
    from kratom_recovery.care.instruments.daily_extra import DAILY_EXTRA

    return DAILY_EXTRA


def _audit_c() -> Instrument:
    from kratom_recovery.care.instruments.audit_c import AUDIT_C

    return AUDIT_C


def _ciwa_ar() -> Instrument:
    from kratom_recovery.care.instruments.ciwa_ar import CIWA_AR

    return CIWA_AR


class Registry(Mapping[str, Instrument]):
    """Instruments by id, in registry order, read-only; each definition is loaded on first
    use (tests/care/test_instruments.py checks every id names its own definition)."""

    def __init__(self, loaders: Mapping[str, Callable[[], Instrument]]) -> None:
        self._loaders = dict(loaders)

    def __getitem__(self, instrument_id: str) -> Instrument:
        return self._loaders[instrument_id]()

    def __contains__(self, instrument_id: object) -> bool:  # without loading the definition
        return instrument_id in self._loaders

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


__all__ = [
    "INSTRUMENTS",
    "Band",
    "Instrument",
    "Item",
    "ItemScore",
    "Option",
    "Score",
    "get_instrument",
    "score",
    "score_mapping",
]

INSTRUMENTS: Final[Mapping[str, Instrument]] = Registry({
    "sows": _sows,
    "cows": _cows,
    "phq9": _phq9,
    "gad7": _gad7,
    "sud": _sud,
    "craving": _craving,
    "daily-extra": _daily_extra,
    "audit-c": _audit_c,
    "ciwa-ar": _ciwa_ar,
})


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
