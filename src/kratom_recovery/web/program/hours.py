"""Opening hours: one open/close pair (or closed) per weekday, on the program's wall clock.

Pure: takes and returns plain values, so "is the program open" is testable without a database.
A day's hours do not run past midnight; "24:00" closes at the end of the day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo, available_timezones

from kratom_recovery.care.errors import InvalidInput

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # datetime.weekday() order
END_OF_DAY: Final = 24 * 60


@dataclass(frozen=True)
class DayHours:
    opens: int  # minutes after local midnight
    closes: int

    def label(self) -> str:
        return f"{clock(self.opens)}–{clock(self.closes)}"


@dataclass(frozen=True)
class OpeningHours:
    days: tuple[DayHours | None, ...]  # seven entries, Monday first; None = closed

    def is_open(self, local: datetime) -> bool:
        hours = self.days[local.weekday()]
        minute = local.hour * 60 + local.minute
        return hours is not None and hours.opens <= minute < hours.closes

    def next_opening(self, local: datetime) -> datetime | None:
        """The next time the program opens after `local` (aware, in its zone); None if it
        never opens."""
        zone = local.tzinfo
        for ahead in range(8):
            day = (local + timedelta(days=ahead)).date()
            hours = self.days[day.weekday()]
            if hours is None:
                continue
            start = datetime.combine(day, time(hours.opens // 60, hours.opens % 60), zone)
            if start > local:
                return start
        return None

    def to_json(self) -> list[list[str] | None]:
        return [None if d is None else [clock(d.opens), clock(d.closes)] for d in self.days]


DEFAULT_HOURS: Final = OpeningHours(
    tuple(DayHours(9 * 60, 17 * 60) if i < 5 else None for i in range(7))
)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_clock(field: str, text: str) -> int:
    hour, sep, minute = text.strip().partition(":")
    if (sep and hour.isdigit() and minute.isdigit() and len(minute) == 2
            and len(hour) <= 2):
        value = int(hour) * 60 + int(minute)
        if int(minute) < 60 and value <= END_OF_DAY:
            return value
    raise InvalidInput(field, f"must be a time from 00:00 to 24:00 (got {text!r})")


def parse_day(day: str, value: object) -> DayHours | None:
    field = f"hours.{day}"
    if value is None:
        return None
    if (not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2
            or not all(isinstance(v, str) for v in value)):
        raise InvalidInput(field, "must be null (closed) or [open, close] as HH:MM")
    opens, closes = (parse_clock(field, str(v)) for v in value)
    if not opens < closes:
        raise InvalidInput(field, f"must close after it opens (got {value[0]}–{value[1]}); "
                           "hours do not run past midnight")
    return DayHours(opens, closes)


def parse_hours(data: object) -> OpeningHours:
    """Hours from JSON: a list of seven entries (Monday first) or a day-name mapping."""
    if isinstance(data, dict):
        unknown = set(data) - set(DAYS)
        if unknown:
            raise InvalidInput("hours", f"unknown day {sorted(unknown)[0]!r}; allowed: "
                               f"{', '.join(DAYS)}")
        return OpeningHours(tuple(parse_day(d, data.get(d)) for d in DAYS))
    if not isinstance(data, list) or len(data) != len(DAYS):
        raise InvalidInput("hours", "must list seven days, Monday first")
    return OpeningHours(tuple(parse_day(d, v) for d, v in zip(DAYS, data, strict=True)))


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def check_zone(name: object, field: str = "timezone") -> ZoneInfo:
    """An IANA time zone by name, or InvalidInput naming the field."""
    if not isinstance(name, str) or name not in zone_names():
        raise InvalidInput(field, f"must be an IANA time zone such as Europe/Berlin or "
                           f"America/New_York (got {name!r})")
    return ZoneInfo(name)
