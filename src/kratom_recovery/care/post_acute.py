"""The weeks after the acute phase: the person's own low mood, poor sleep, tiredness and craving.

SOWS mostly measures physical symptoms, so after the acute phase the forecast curve falls
towards zero while mood, sleep, energy and craving can linger for weeks [ref:timeline-blogs].
Rather than model those (no source gives their course), this track shows what the person
reported: weekly means of three daily-extra items and the craving rating, weeks 2–8 after
the last dose. Neither instrument has bands, so nothing here grades severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from kratom_recovery.care.instruments import get_instrument

# (measure id, instrument, item id, item maximum); the ids are the instruments' item ids.
MEASURES: Final[tuple[tuple[str, str, str, int], ...]] = (
    ("low-mood", "daily-extra", "low-mood", 4),
    ("poor-sleep", "daily-extra", "poor-sleep", 4),
    ("fatigue", "daily-extra", "fatigue", 4),
    ("craving", "craving", "craving", 10),
)
INSTRUMENTS: Final = tuple(sorted({m[1] for m in MEASURES}))
FIRST_WEEK: Final = 2  # week 1 is the acute phase, which the SOWS forecast covers
LAST_WEEK: Final = 8


@dataclass(frozen=True)
class Rating:
    time: datetime
    measure: str
    value: float


@dataclass(frozen=True)
class TrackWeek:
    """Week `week` after the last dose (week n = days 7(n-1) to 7n-1) and its means."""

    week: int
    days: int  # days with at least one rating
    means: Mapping[str, float | None]


def ratings_from_answers(
    time: datetime, instrument_id: str, answers: Sequence[object]
) -> list[Rating]:
    """The track's measures from one stored response (answers in item order)."""
    items = [item.id for item in get_instrument(instrument_id).items]
    wanted = {item: measure for measure, inst, item, _ in MEASURES if inst == instrument_id}
    return [
        Rating(time, wanted[item], float(value))
        for item, value in zip(items, answers, strict=False)
        if item in wanted and isinstance(value, int | float) and not isinstance(value, bool)
    ]


def window(last_dose: datetime) -> tuple[datetime, datetime]:
    """The time span the track covers, for the one query that fetches its ratings."""
    return (last_dose + timedelta(days=7 * (FIRST_WEEK - 1)),
            last_dose + timedelta(days=7 * LAST_WEEK))


def weekly_track(last_dose: datetime, ratings: Iterable[Rating], now: datetime) -> list[TrackWeek]:
    """Weeks 2–8 up to the current one, each with the mean of every measure (None if unrated).

    A day's several ratings of one measure count as their mean, so an extra check-in on a bad
    day does not outweigh the rest of the week.
    """
    start, end = window(last_dose)
    end = min(end, now)
    by_day: dict[tuple[int, str], list[float]] = {}
    for rating in ratings:
        if not start <= rating.time < end:
            continue
        day = (rating.time - last_dose) // timedelta(days=1)
        by_day.setdefault((day, rating.measure), []).append(rating.value)
    current = min(LAST_WEEK, (now - last_dose) // timedelta(days=7) + 1)
    weeks = []
    for week in range(FIRST_WEEK, current + 1):
        days = range(7 * (week - 1), 7 * week)
        means: dict[str, float | None] = {}
        for measure, *_ in MEASURES:
            daily = [sum(v) / len(v) for d in days if (v := by_day.get((d, measure)))]
            means[measure] = round(sum(daily) / len(daily), 1) if daily else None
        rated = sum(1 for d in days if any((d, m[0]) in by_day for m in MEASURES))
        weeks.append(TrackWeek(week, rated, means))
    return weeks


__all__ = [
    "FIRST_WEEK", "INSTRUMENTS", "LAST_WEEK", "MEASURES", "Rating", "TrackWeek",
    "ratings_from_answers", "weekly_track", "window",
]
