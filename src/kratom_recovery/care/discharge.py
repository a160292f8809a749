"""The clinician's discharge and transition summary: what happened between admission and
discharge, condensed so it prints on one page.

Pure summarising of records the care team already made: the highest COWS and SOWS with when,
each vital's range (lowest to highest) over the stay, the medicines given from the
administration record, the level-of-care decisions with their reasons, MOUD and naloxone,
follow-up appointments and the relapse plan. Nothing is judged or suggested here; ranges are
shown without normal values, because the limits are the program's and the clinician's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.moud import check_words
from kratom_recovery.care.vitals import VITALS

# A stay is entered up to a year back; a typing-error bound, not a clinical one
# [ref:assumption:bedside-input-bounds].
STAY_MAX: Final = timedelta(days=366)
DESTINATION_MAX: Final = 200
COURSE_MAX: Final = 800
# What one page holds: the newest rows of each list are kept (the page says how many more).
MAX_DECISIONS: Final = 3
MAX_MEDICINES: Final = 8
MAX_APPOINTMENTS: Final = 5
MAX_PLAN_ITEMS: Final = 4


@dataclass(frozen=True)
class Stay:
    admitted: date
    discharged: date
    destination: str
    course_note: str

    @property
    def days(self) -> int:
        return (self.discharged - self.admitted).days + 1


@dataclass(frozen=True)
class Peak:
    total: int
    max_total: int
    band: str
    at: datetime
    count: int  # how many were recorded in the stay


@dataclass(frozen=True)
class VitalRange:
    label: str
    unit: str
    low: float
    high: float
    count: int
    decimals: int

    def text(self) -> str:
        low, high = (f"{v:.{self.decimals}f}" for v in (self.low, self.high))
        return f"{low}–{high} {self.unit}" if low != high else f"{low} {self.unit}"


@dataclass(frozen=True)
class MedicineGiven:
    """One order's doses in the stay, as the administration record has them."""

    description: str
    given: int
    held: int
    refused: int
    total: str  # amount given in the stay, with unit
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class Decision:
    level: str
    name: str
    reason: str
    at: datetime
    by: str


@dataclass(frozen=True)
class FollowUp:
    at: datetime | date
    text: str

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)


@dataclass(frozen=True)
class RelapsePlan:
    triggers: tuple[str, ...]
    warning_signs: tuple[str, ...]
    coping_actions: tuple[str, ...]
    people: tuple[str, ...]
    naloxone: str


@dataclass(frozen=True)
class Summary:
    """Everything the printed page and the FHIR document say."""

    stay: Stay
    clinician: str
    cows: Peak | None
    sows: Peak | None
    checkins: int
    vitals: tuple[VitalRange, ...]
    vital_sets: int
    medicines: tuple[MedicineGiven, ...]
    decisions: tuple[Decision, ...]
    suggestion: str  # the app's level-of-care suggestion at discharge, with its main reason
    moud: tuple[str, ...]
    naloxone: tuple[str, ...]
    followups: tuple[FollowUp, ...]
    relapse: RelapsePlan | None
    withheld: tuple[str, ...]  # what the patient's sharing choice left out
    more: Mapping[str, int]  # list name -> rows left off to keep one page


def check_stay(admitted: object, discharged: object, destination: object, course_note: object,
               *, today: date) -> Stay:
    """The stay as the clinician entered it: dates in order, not in the future, within a
    year; where the patient goes next; the clinician's own course note."""
    days: list[date] = []
    for field, raw in (("admitted_on", admitted), ("discharged_on", discharged)):
        if isinstance(raw, str):
            try:
                raw = date.fromisoformat(raw.strip())
            except ValueError:
                raise InvalidInput(field, f"must be a date YYYY-MM-DD (got {raw!r})") from None
        if isinstance(raw, datetime) or not isinstance(raw, date):
            raise InvalidInput(field, "enter the date")
        if raw > today:
            raise InvalidInput(field, "is in the future")
        if raw < today - STAY_MAX:
            raise InvalidInput(field, "is more than a year ago")
        days.append(raw)
    if days[1] < days[0]:
        raise InvalidInput("discharged_on", "is before the admission date")
    where = check_words("destination", destination, DESTINATION_MAX, single_line=True)
    if not where:
        raise InvalidInput("destination", "say where the patient goes next (home, a "
                           "residential program, …)")
    return Stay(days[0], days[1], where, check_words("course_note", course_note, COURSE_MAX))


def peak(scores: Sequence[tuple[datetime, int, int, str]]) -> Peak | None:
    """The highest total (the earliest if tied) of (time, total, maximum, band) rows."""
    if not scores:
        return None
    at, total, maximum, band = max(scores, key=lambda s: (s[1], -s[0].timestamp()))
    return Peak(total, maximum, band, at, len(scores))


def vital_ranges(readings: Sequence[Mapping[str, float]]) -> tuple[VitalRange, ...]:
    """Each measured vital's lowest and highest value over the readings, in flowsheet order."""
    ranges = []
    for vital in VITALS:
        values = [r[vital.name] for r in readings if vital.name in r]
        if values:
            ranges.append(VitalRange(vital.label, vital.unit, min(values), max(values),
                                     len(values), vital.decimals))
    return tuple(ranges)


def keep(items: Sequence[object], limit: int, name: str, more: dict[str, int]) -> int:
    """How many of `items` fit; records how many were left off under `name`."""
    if len(items) > limit:
        more[name] = len(items) - limit
    return min(len(items), limit)
