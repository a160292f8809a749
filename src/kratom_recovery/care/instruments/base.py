"""Instrument definitions as data, and the one scoring engine every instrument shares.

An instrument is a frozen `Instrument` value: items (with the scores each answer allows),
severity bands, flags and codes. `score_answers()` turns answers into a `Score`. Nothing here
knows about any particular scale; the scale modules (sows.py, cows.py, ...) are pure data and
cite their clinical source as `[ref:KEY]` (docs/references.md).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kratom_recovery.care.errors import InvalidInput

# typing.TYPE_CHECKING without importing typing, which costs the command line's start-up
# (`kratom-recovery score`); mypy treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final, Literal

    from kratom_recovery.care.instruments.rules import ItemFlag, ScoringOption

    Respondent = Literal["patient", "clinician"]

# Our own code system for items, panels and totals that have no LOINC code (COWS and SOWS
# have none, [ref:loinc]). Never borrow another code system's codes for them.
LOCAL_ITEM_SYSTEM: Final = "https://kratom-recovery.org/fhir/CodeSystem/instrument-items"
LOCAL_ANSWER_SYSTEM: Final = "https://kratom-recovery.org/fhir/CodeSystem/instrument-answers"
LOINC_SYSTEM: Final = "http://loinc.org"
WHOLE_NUMBER: Final = r"[+-]?[0-9]+"  # compiled on first use (re caches it)


@dataclass(frozen=True)
class Option:
    """One answer an item allows: the score it carries and what the person sees."""

    value: int
    label: str
    loinc: str | None = None  # LOINC answer code (LA…) where one exists


@dataclass(frozen=True)
class Item:
    """One question. Either `options` (a choice) or `minimum`/`maximum` (a whole number).

    `scored=False` items (resting pulse in daily-extra) are recorded but not summed;
    `optional=True` items may be left unanswered.
    """

    id: str
    number: int
    text: str
    options: tuple[Option, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None
    optional: bool = False
    scored: bool = True
    flag: ItemFlag | None = None
    loinc: str | None = None

    @property
    def kind(self) -> Literal["choice", "integer"]:
        return "choice" if self.options else "integer"

    @property
    def allowed_values(self) -> tuple[int, ...]:
        """The answer values a choice item accepts (empty for integer items)."""
        return tuple(option.value for option in self.options)

    @property
    def lowest(self) -> int:
        return self.options[0].value if self.options else int(self.minimum or 0)

    @property
    def highest(self) -> int:
        return self.options[-1].value if self.options else int(self.maximum or 0)

    def describe_allowed(self) -> str:
        if self.options:
            return "one of " + ", ".join(str(v) for v in self.allowed_values)
        return f"a whole number from {self.minimum} to {self.maximum}"

    def option_for(self, value: int) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def __post_init__(self) -> None:
        if bool(self.options) == (self.minimum is not None or self.maximum is not None):
            raise ValueError(f"item {self.id}: give either options or minimum/maximum")
        if self.options:
            values = self.allowed_values
            if list(values) != sorted(set(values)):
                raise ValueError(f"item {self.id}: option values must be unique and ascending")
        elif self.minimum is None or self.maximum is None or self.minimum > self.maximum:
            raise ValueError(f"item {self.id}: integer items need minimum <= maximum")


@dataclass(frozen=True)
class Band:
    """A severity band covering totals low..high inclusive.

    `note` says where the band comes from when it is not part of the published scale
    (a research convention, or a label of our own).
    """

    id: str
    label: str
    low: int
    high: int
    note: str = ""


@dataclass(frozen=True)
class Instrument:
    """A complete, declarative definition of one scale or checklist."""

    id: str
    version: str
    name: str
    short_name: str
    respondent: Respondent
    description: str
    instructions: str
    recall_period: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    source: str
    licence: str
    loinc_panel: str | None = None
    loinc_total: str | None = None
    caveat: str | None = None
    options: tuple[ScoringOption, ...] = ()

    @property
    def min_total(self) -> int:
        return sum(item.lowest for item in self.items if item.scored)

    @property
    def max_total(self) -> int:
        return sum(item.highest for item in self.items if item.scored)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def band_for(self, total: int) -> Band | None:
        """The one band holding `total`; None for instruments without bands."""
        if not self.bands:
            return None
        matches = [band for band in self.bands if band.low <= total <= band.high]
        if len(matches) != 1:  # impossible for a definition that passed __post_init__
            raise ValueError(f"{self.id}: total {total} is in {len(matches)} bands")
        return matches[0]

    def __post_init__(self) -> None:
        numbers = [item.number for item in self.items]
        if numbers != list(range(1, len(self.items) + 1)):
            raise ValueError(f"{self.id}: items must be numbered 1..n in order")
        if len({item.id for item in self.items}) != len(self.items):
            raise ValueError(f"{self.id}: item ids must be unique")
        if self.bands:
            # Bands must tile [min_total, max_total] with no gap or overlap, so every
            # possible total lands in exactly one band.
            expected = self.min_total
            for band in self.bands:
                if band.low != expected or band.high < band.low:
                    raise ValueError(f"{self.id}: band {band.id} must start at {expected}")
                expected = band.high + 1
            if expected != self.max_total + 1:
                raise ValueError(f"{self.id}: bands must end at {self.max_total}")
        ids = {item.id for item in self.items}
        for option in self.options:
            if not set(option.excludes) <= ids:
                raise ValueError(f"{self.id}: option {option.name} excludes unknown items")


@dataclass(frozen=True)
class ItemScore:
    """How one item was answered. `value` is None for an unanswered optional item."""

    id: str
    number: int
    value: int | None
    label: str | None
    counted: bool


@dataclass(frozen=True)
class Score:
    """The result of scoring one completed instrument."""

    instrument: str
    version: str
    total: int
    min: int
    max: int
    band: Band | None
    flags: tuple[str, ...]
    items: tuple[ItemScore, ...]
    options: tuple[str, ...] = field(default=())

    def value_of(self, item_id: str) -> int | None:
        """The answer given for `item_id` (None if an optional item was left unanswered)."""
        for detail in self.items:
            if detail.id == item_id:
                return detail.value
        raise KeyError(item_id)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, shared by the CLI, the API and storage."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "total": self.total,
            "min": self.min,
            "max": self.max,
            "band": self.band.id if self.band else None,
            "band_label": self.band.label if self.band else None,
            "flags": list(self.flags),
            "options": list(self.options),
            "items": [
                {
                    "id": i.id,
                    "number": i.number,
                    "value": i.value,
                    "label": i.label,
                    "counted": i.counted,
                }
                for i in self.items
            ],
        }


def item_field(instrument: Instrument, item: Item) -> str:
    return f"item {item.number} ({item.id}) of {instrument.id}"


def parse_value(instrument: Instrument, item: Item, raw: object) -> int | None:
    """One answer as an int the item allows; None only for an unanswered optional item.

    Accepts ints, whole-number floats (JSON) and digit strings (forms, CLI); refuses bools,
    other types and values the item does not allow, naming the item and what it allows.
    """
    where = item_field(instrument, item)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if item.optional:
            return None
        raise InvalidInput(item.id, f"{where} is missing; it must be {item.describe_allowed()}")
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if re.fullmatch(WHOLE_NUMBER, text):
            value = int(text)
    if value is None:
        raise InvalidInput(
            item.id, f"{where} must be {item.describe_allowed()} (got {raw!r}, not a whole number)"
        )
    if item.options:
        allowed = value in item.allowed_values
    else:
        allowed = item.minimum is not None and item.maximum is not None and (
            item.minimum <= value <= item.maximum
        )
    if not allowed:
        raise InvalidInput(item.id, f"{where} must be {item.describe_allowed()} (got {value})")
    return value


def resolve_options(instrument: Instrument, options: Mapping[str, object]) -> tuple[str, ...]:
    """The names of the scoring options switched on; unknown names or non-bools are refused."""
    known = {option.name: option for option in instrument.options}
    chosen: list[str] = []
    for name, value in options.items():
        if name not in known:
            supported = ", ".join(known) or "none"
            raise InvalidInput(
                "options",
                f"{instrument.id} has no scoring option {name!r}; supported: {supported}",
            )
        if not isinstance(value, bool):
            raise InvalidInput("options", f"{name} must be true or false (got {value!r})")
        if value:
            chosen.append(name)
    return tuple(option.name for option in instrument.options if option.name in chosen)


def score_answers(
    instrument: Instrument, answers: Sequence[object], **options: object
) -> Score:
    """Score answers given in published item order.

    Trailing optional items (daily-extra's pulse) may be left off or given as None.
    """
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidInput("answers", f"{instrument.id} answers must be a list in item order")
    items = instrument.items
    # Check the values given first, so "1,x,2" names item 2 rather than the count.
    for item, raw in zip(items, answers, strict=False):
        parse_value(instrument, item, raw)
    required = len(items)
    while required and items[required - 1].optional:
        required -= 1
    if not required <= len(answers) <= len(items):
        count = (
            f"{len(items)}" if required == len(items) else f"{required} to {len(items)}"
        )
        if len(answers) > len(items):
            detail = f"there is no item {len(items) + 1}"
        else:
            missing = items[len(answers)]
            detail = f"item {missing.number} ({missing.id}) and later are missing"
        raise InvalidInput(
            "answers",
            f"{instrument.short_name} takes {count} answers in published order "
            f"(got {len(answers)}: {detail})",
        )
    padded = list(answers) + [None] * (len(items) - len(answers))
    return _score(instrument, dict(zip((i.id for i in items), padded, strict=True)), options)


def score_mapping(
    instrument: Instrument, answers: Mapping[str, object], **options: object
) -> Score:
    """Score answers keyed by item id (form posts, FHIR). Optional items may be absent."""
    if not isinstance(answers, Mapping):
        raise InvalidInput("answers", f"{instrument.id} answers must map item ids to values")
    ids = [item.id for item in instrument.items]
    for key in answers:
        if key not in ids:
            raise InvalidInput(
                str(key),
                f"{key!r} is not an item of {instrument.id}; its items are {', '.join(ids)}",
            )
    return _score(instrument, answers, options)


def _score(
    instrument: Instrument, answers: Mapping[str, object], options: Mapping[str, object]
) -> Score:
    chosen = resolve_options(instrument, options)
    excluded = {
        item_id
        for option in instrument.options
        if option.name in chosen
        for item_id in option.excludes
    }
    details: list[ItemScore] = []
    flags: list[str] = []
    total = 0
    for item in instrument.items:
        value = parse_value(instrument, item, answers.get(item.id))
        counted = item.scored and item.id not in excluded
        if value is not None and counted:
            total += value
        if item.flag and value is not None and value >= item.flag.at_least:
            flags.append(item.flag.id)
        option = item.option_for(value) if value is not None else None
        details.append(
            ItemScore(
                id=item.id,
                number=item.number,
                value=value,
                label=option.label if option else None,
                counted=counted,
            )
        )
    scored = [i for i in instrument.items if i.scored and i.id not in excluded]
    return Score(
        instrument=instrument.id,
        version=instrument.version,
        total=total,
        min=sum(i.lowest for i in scored),
        max=sum(i.highest for i in scored),
        band=instrument.band_for(total),
        flags=tuple(dict.fromkeys(flags)),
        items=tuple(details),
        options=chosen,
    )
