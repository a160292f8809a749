"""Progress rules as tables with fixed times, plus invariants under hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.progress import (
    MILESTONES,
    DaySummary,
    UseEvent,
    abstinent_days,
    days_free,
    milestones,
    money_saved,
    streaks,
    weekly_summary,
)

QUIT = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)


def at(day: int, hour: int = 20) -> datetime:
    """Day `day` after the quit start (day 0 = 1 March 2026), at `hour` UTC."""
    return datetime(2026, 3, 1, hour, tzinfo=UTC) + timedelta(days=day)


@pytest.mark.parametrize(
    ("uses", "now", "expected"),
    [
        ([], at(0), 0),
        ([], at(1, 19), 0),      # 23 hours is not a whole day
        ([], at(1), 1),
        ([], at(30, 21), 30),
        ([UseEvent(at(-3), 5.0)], at(10), 10),           # use before the quit does not count
        ([UseEvent(at(4), 2.0)], at(10), 6),
        ([UseEvent(at(4)), UseEvent(at(8, 23))], at(10), 1),
        ([UseEvent(at(8, 23)), UseEvent(at(4))], at(10), 1),  # order of input does not matter
        ([], at(-2), 0),          # quit start still in the future
    ],
)
def test_days_free(uses: Any, now: Any, expected: Any) -> None:
    assert days_free(QUIT, uses, now) == expected


def test_days_free_ignores_clock_changes() -> None:
    # US clocks go forward on 8 March 2026; 7 days of elapsed time are still 7 days.
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 3, 5, 12, tzinfo=zone)
    assert days_free(start, [], datetime(2026, 3, 12, 13, tzinfo=zone)) == 7
    # 12:30 local is 7 wall-clock days later but only 6 days 23.5 hours of elapsed time.
    assert days_free(start, [], datetime(2026, 3, 12, 12, 30, tzinfo=zone)) == 6


@pytest.mark.parametrize(
    ("uses", "now", "current", "longest", "lapses", "abstinent"),
    [
        ([], at(12), 12, 12, 0, 12),
        ([UseEvent(at(20))], at(25), 5, 20, 1, 25),   # lapse keeps the longest streak
        ([UseEvent(at(5)), UseEvent(at(6))], at(16), 10, 10, 2, 16),
        ([UseEvent(at(3)), UseEvent(at(3, 22))], at(4), 0, 3, 2, 3),
        ([UseEvent(at(-1))], at(2), 2, 2, 0, 2),
        ([], at(-1), 0, 0, 0, 0),
    ],
)
def test_streaks(uses: Any, now: Any, current: Any, longest: Any,
                 lapses: Any, abstinent: Any) -> None:
    result = streaks(QUIT, uses, now)
    assert (result.current, result.longest, result.lapses) == (current, longest, lapses)
    assert abstinent_days(QUIT, uses, now) == abstinent


@pytest.mark.parametrize(
    ("quit_start", "uses", "now", "field"),
    [
        (datetime(2026, 3, 1), [], at(2), "quit_start"),  # noqa: DTZ001 - naive on purpose
        (QUIT, [], datetime(2026, 3, 3), "now"),  # noqa: DTZ001
        (QUIT, [UseEvent(at(5))], at(2), "uses"),
    ],
)
def test_streaks_reject(quit_start: Any, uses: Any, now: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        streaks(quit_start, uses, now)
    assert error.value.field == field


@pytest.mark.parametrize(
    ("days", "reached", "upcoming", "to_go"),
    [
        (0, (), 1, 1),
        (1, (1,), 3, 2),
        (2, (1,), 3, 1),
        (6, (1, 3), 7, 1),
        (7, (1, 3, 7), 14, 7),
        (364, (1, 3, 7, 14, 30, 60, 90, 180), 365, 1),
        (365, MILESTONES, None, None),
        (1000, MILESTONES, None, None),
    ],
)
def test_milestones(days: Any, reached: Any, upcoming: Any, to_go: Any) -> None:
    status = milestones(days)
    assert (status.reached, status.next, status.days_to_go) == (reached, upcoming, to_go)


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_milestones_reject(bad: Any) -> None:
    with pytest.raises(InvalidInput):
        milestones(bad)


@pytest.mark.parametrize(
    ("price", "amount", "days", "expected"),
    [
        (Decimal("0.35"), 6.0, 30, Decimal("63.00")),
        (Decimal("0.10"), 0.1, 3, Decimal("0.03")),      # no binary-float drift
        ("0.125", 3, 1, Decimal("0.38")),                # half-up to the cent
        (Decimal("2"), Decimal("1.5"), 0, Decimal("0.00")),
        (12, "4", 7, Decimal("336.00")),
    ],
)
def test_money_saved(price: Any, amount: Any, days: Any, expected: Any) -> None:
    result = money_saved(price, amount, days)
    assert result == expected and str(result) == str(expected)


@pytest.mark.parametrize(
    ("price", "amount", "days", "field"),
    [
        (Decimal("-1"), 1, 1, "price_per_unit"),
        (Decimal("NaN"), 1, 1, "price_per_unit"),
        ("cheap", 1, 1, "price_per_unit"),
        (Decimal("1"), float("inf"), 1, "amount_per_day"),
        (Decimal("1"), 1, -2, "days"),
    ],
)
def test_money_saved_rejects(price: Any, amount: Any, days: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        money_saved(price, amount, days)
    assert error.value.field == field


WEEK = date(2026, 3, 9)


def week(start: date, **metrics: list[float | None]) -> list[DaySummary]:
    days = max(len(v) for v in metrics.values())
    return [
        DaySummary(start + timedelta(days=i), **{k: v[i] for k, v in metrics.items()})
        for i in range(days)
    ]


@pytest.mark.parametrize(
    ("previous", "current", "mean", "trend"),
    [
        ([20.0] * 7, [12.0] * 7, 12.0, "down"),
        ([12.0] * 7, [15.0] * 7, 15.0, "flat"),   # exactly the threshold (3) is flat
        ([12.0] * 7, [15.5] * 7, 15.5, "up"),
        ([], [10.0, None, 14.0], 12.0, None),    # no previous week: no trend
        ([10.0] * 7, [None] * 7, None, None),
    ],
)
def test_weekly_sows(previous: Any, current: Any, mean: Any, trend: Any) -> None:
    data = week(WEEK - timedelta(days=7), sows_total=previous) if previous else []
    data += week(WEEK, sows_total=current)
    summary = weekly_summary(data, WEEK)
    assert summary.means["sows_total"] == (pytest.approx(mean) if mean is not None else None)
    assert summary.trends["sows_total"] == trend


def test_weekly_each_metric_has_its_threshold() -> None:
    before = week(WEEK - timedelta(days=7), craving=[5] * 7, sleep_hours=[6] * 7, mood=[5] * 7)
    after = week(WEEK, craving=[6] * 7, sleep_hours=[6.6] * 7, mood=[3.5] * 7)
    summary = weekly_summary(before + after, WEEK)
    assert summary.trends == {"sows_total": None, "craving": "flat", "sleep_hours": "up",
                              "mood": "down"}
    assert summary.days_with_data == 7


def test_weekly_ignores_other_weeks() -> None:
    data = week(WEEK + timedelta(days=7), craving=[9] * 3) + week(WEEK, craving=[2, 4])
    data += week(WEEK - timedelta(days=14), craving=[9])
    summary = weekly_summary(data, WEEK)
    assert summary.means["craving"] == 3 and summary.previous_means["craving"] is None


@pytest.mark.parametrize(
    ("day", "field"),
    [(DaySummary(WEEK, sows_total=65), "sows_total"), (DaySummary(WEEK, craving=-1), "craving"),
     (DaySummary(WEEK, sleep_hours=25), "sleep_hours"),
     (DaySummary(WEEK, mood=float("nan")), "mood")],
)
def test_weekly_rejects_out_of_range(day: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        weekly_summary([day], WEEK)
    assert error.value.field == field


offsets = st.integers(min_value=-200 * 24, max_value=200 * 24).map(lambda h: timedelta(hours=h))


@settings(max_examples=80, deadline=None)
@given(st.lists(offsets, max_size=8), offsets, st.integers(min_value=0, max_value=400 * 24))
def test_invariants(use_offsets: Any, quit_offset: Any, now_hours: Any) -> None:
    now = QUIT + timedelta(hours=now_hours)
    quit_start = QUIT + quit_offset
    uses = [UseEvent(QUIT + o) for o in use_offsets if QUIT + o <= now]
    result = streaks(quit_start, uses, now)
    assert days_free(quit_start, uses, now) >= 0
    assert result.longest >= result.current >= 0
    assert abstinent_days(quit_start, uses, now) >= result.longest
    assert abstinent_days(quit_start, uses, now) <= max(0, (now - quit_start).days)
