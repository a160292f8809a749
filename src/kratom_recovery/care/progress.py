"""Progress a person can see: days free, streaks across lapses, milestones, money, the week.

Counting rules (docs/recovery.md, "Progress"):
- A day is a whole 24-hour period of elapsed time, measured in UTC, so a clock change or a
  trip across time zones never adds or removes a day.
- Uses before the quit start belong to the past and do not break anything.
- A lapse ends the current streak but never erases history: the longest streak and the total
  abstinent days are kept (users ask for this [ref:sobriety-issues]).
None of this is clinical: no source gives a rule for counting abstinence, so these are product
rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import pairwise
from typing import Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import check_number, parse_datetime

MILESTONES: Final = (1, 3, 7, 14, 30, 60, 90, 180, 365)
DAY: Final = timedelta(days=1)

# Weekly trend: a change in the weekly mean larger than this is "up"/"down", otherwise "flat".
# Chosen so one unusual day in seven does not flip the arrow; these are display choices, not
# clinically important differences (none are published for these measures in kratom use).
TREND_THRESHOLDS: Final[Mapping[str, float]] = {
    "sows_total": 3.0,   # SOWS 0–64 [ref:handelsman1987]
    "craving": 1.0,      # craving 0–10 [ref:craving-rating]
    "sleep_hours": 0.5,  # hours slept, 0–24
    "mood": 1.0,         # mood 0–10, higher is better
}
# Which way is better, so the UI can colour an arrow without knowing each measure.
BETTER_DIRECTION: Final[Mapping[str, str]] = {
    "sows_total": "down", "craving": "down", "sleep_hours": "up", "mood": "up",
}
METRIC_RANGES: Final[Mapping[str, tuple[float, float]]] = {
    "sows_total": (0, 64), "craving": (0, 10), "sleep_hours": (0, 24), "mood": (0, 10),
}
METRICS: Final = tuple(TREND_THRESHOLDS)


@dataclass(frozen=True)
class UseEvent:
    time: datetime
    amount: float | None = None


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    lapses: int


@dataclass(frozen=True)
class MilestoneStatus:
    reached: tuple[int, ...]
    next: int | None
    days_to_go: int | None


@dataclass(frozen=True)
class DaySummary:
    date: date
    sows_total: float | None = None
    craving: float | None = None
    sleep_hours: float | None = None
    mood: float | None = None


@dataclass(frozen=True)
class WeekSummary:
    week_start: date
    days_with_data: int
    means: Mapping[str, float | None]
    previous_means: Mapping[str, float | None]
    trends: Mapping[str, str | None]  # "up" | "down" | "flat"; None without data for both weeks


def days_free(quit_start: datetime, uses: Sequence[UseEvent], now: datetime) -> int:
    """Whole days since the later of the quit start and the last use; 0 before the quit."""
    return streaks(quit_start, uses, now).current


def streaks(quit_start: datetime, uses: Sequence[UseEvent], now: datetime) -> Streaks:
    """The current and longest runs of whole days without use since the quit start."""
    gaps = _gaps(quit_start, uses, now)
    return Streaks(
        current=gaps[-1] if gaps else 0,
        longest=max(gaps, default=0),
        lapses=max(len(gaps) - 1, 0),
    )


def abstinent_days(quit_start: datetime, uses: Sequence[UseEvent], now: datetime) -> int:
    """Whole days without use since the quit start, summed over every streak."""
    return sum(_gaps(quit_start, uses, now))


def milestones(days_free: int) -> MilestoneStatus:
    """Milestones reached so far and the next one, with the days still to go."""
    _whole("days_free", days_free)
    reached = tuple(m for m in MILESTONES if m <= days_free)
    upcoming = next((m for m in MILESTONES if m > days_free), None)
    return MilestoneStatus(
        reached, upcoming, None if upcoming is None else upcoming - days_free
    )


def money_saved(
    price_per_unit: Decimal | str | int, amount_per_day: float | Decimal | str, days: int
) -> Decimal:
    """Money not spent over `days`, from the person's own price and daily amount, to the cent.

    There is no default price: prices vary too much by product and place to guess. Pass
    `days_free` for the current streak or `abstinent_days` for the total since quitting.
    """
    price = _decimal("price_per_unit", price_per_unit)
    amount = _decimal("amount_per_day", amount_per_day)
    _whole("days", days)
    return (price * amount * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weekly_summary(checkins: Sequence[DaySummary], week_start: date) -> WeekSummary:
    """Means for the 7 days from `week_start`, and trends against the 7 days before."""
    for checkin in checkins:
        _check_day(checkin)
    this_week = [c for c in checkins if week_start <= c.date < week_start + 7 * DAY]
    last_week = [c for c in checkins if week_start - 7 * DAY <= c.date < week_start]
    means = _means(this_week)
    previous = _means(last_week)
    trends: dict[str, str | None] = {}
    for metric in METRICS:
        now, before = means[metric], previous[metric]
        if now is None or before is None:
            trends[metric] = None
        elif now - before > TREND_THRESHOLDS[metric]:
            trends[metric] = "up"
        elif before - now > TREND_THRESHOLDS[metric]:
            trends[metric] = "down"
        else:
            trends[metric] = "flat"
    return WeekSummary(
        week_start=week_start,
        days_with_data=len({c.date for c in this_week}),
        means=means,
        previous_means=previous,
        trends=trends,
    )


def _gaps(quit_start: datetime, uses: Sequence[UseEvent], now: datetime) -> list[int]:
    """Whole days between the quit start, each use after it, and now (empty before the quit)."""
    # `now` is the caller's reference moment, not the wall clock: a pure function may be asked
    # about any day (a test, a replay), so only the shape, offset and year bounds apply here.
    end = parse_datetime("now", now, latest=now).astimezone(UTC)
    start = parse_datetime("quit_start", quit_start, latest=quit_start).astimezone(UTC)
    times = []
    for use in uses:
        moment = parse_datetime("uses", use.time, now=end).astimezone(UTC)
        if moment >= start:
            times.append(moment)
    if start > end:
        return []
    points = [start, *sorted(times), end]
    return [(later - earlier) // DAY for earlier, later in pairwise(points)]


def _whole(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(name, "must be a whole number, 0 or more")


def _decimal(name: str, value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInput(name, "must be a number")
    try:
        # str() first so 0.1 stays 0.1 rather than its binary approximation.
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(name, f"must be a number (got {value!r})") from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(name, "must be a number, 0 or more")
    return number


def _check_day(checkin: DaySummary) -> None:
    for metric in METRICS:
        value = getattr(checkin, metric)
        if value is not None:
            low, high = METRIC_RANGES[metric]
            check_number(metric, value, low=low, high=high)


def _means(checkins: Sequence[DaySummary]) -> dict[str, float | None]:
    result: dict[str, float | None] = {}
    for metric in METRICS:
        values = [getattr(c, metric) for c in checkins if getattr(c, metric) is not None]
        result[metric] = sum(values) / len(values) if values else None
    return result
