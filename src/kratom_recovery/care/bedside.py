"""Serial bedside assessments (COWS, CIWA-Ar): when the next one is due, and which typed
times and intervals are plausible.

The interval between assessments is never built in: the clinician sets it per patient. The
bounds below only catch typing errors [ref:assumption:bedside-input-bounds].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from kratom_recovery.care.errors import InvalidInput

INTERVAL_MIN_MINUTES: Final = 15
INTERVAL_MAX_MINUTES: Final = 72 * 60
# An assessment may be entered up to a week after it was taken, and a clock a few minutes
# ahead is not refused [ref:assumption:bedside-input-bounds].
ASSESSED_MAX_AGE: Final = timedelta(days=7)
CLOCK_SKEW: Final = timedelta(minutes=5)
# "Due" on the caseload from this long before the due time: a display choice so the nurse
# sees it coming, not a clinical interval [ref:assumption:bedside-input-bounds].
DUE_SOON: Final = timedelta(minutes=15)

DueStatus = Literal["upcoming", "due", "overdue"]


def check_interval(raw: object) -> int | None:
    """Minutes between assessments as typed (blank: no schedule)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None or not INTERVAL_MIN_MINUTES <= value <= INTERVAL_MAX_MINUTES:
        raise InvalidInput("interval_minutes", f"must be a whole number of minutes from "
                           f"{INTERVAL_MIN_MINUTES} to {INTERVAL_MAX_MINUTES} (got {raw!r})")
    return value


def check_taken_at(field: str, when: datetime, now: datetime) -> datetime:
    """A time a measurement or assessment was taken: not in the future, not over a week ago."""
    if when.tzinfo is None:
        raise InvalidInput(field, "must include a time zone")
    if when > now + CLOCK_SKEW:
        raise InvalidInput(field, "is in the future")
    if when < now - ASSESSED_MAX_AGE:
        raise InvalidInput(field, "is more than 7 days ago; enter recent measurements only")
    return when


@dataclass(frozen=True)
class Due:
    """When the next assessment is due and how that stands now."""

    due_at: datetime
    status: DueStatus


def next_due(last: datetime | None, interval_minutes: int | None, scheduled_since: datetime,
             now: datetime) -> Due | None:
    """The next assessment: `interval` after the last one, or from when the schedule was set
    when there is none yet. None without a schedule."""
    if interval_minutes is None:
        return None
    due_at = scheduled_since if last is None else last + timedelta(minutes=interval_minutes)
    if now > due_at:
        status: DueStatus = "overdue"
    elif now >= due_at - DUE_SOON:
        status = "due"
    else:
        status = "upcoming"
    return Due(due_at, status)
