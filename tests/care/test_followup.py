"""Follow-up schedule, due/missed edges, and the .ics export read back by icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar
import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.followup import (
    FOLLOWUP_DAYS,
    INSTRUMENT_NAMES,
    INSTRUMENT_RULES,
    schedule,
    status,
    to_ics,
    window_for,
)

ANCHOR = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("day", "due", "instruments", "window"),
    [
        (7, date(2026, 3, 8), ("sows", "craving"), 2),
        (14, date(2026, 3, 15), ("sows", "craving", "phq9", "gad7"), 3),
        (30, date(2026, 3, 31), ("phq9", "gad7"), 6),
        (60, date(2026, 4, 30), ("phq9", "gad7"), 12),
        (90, date(2026, 5, 30), ("phq9", "gad7", "sud"), 14),
    ],
)
def test_default_schedule(day: Any, due: Any, instruments: Any, window: Any) -> None:
    followup = {f.day: f for f in schedule(ANCHOR)}[day]
    assert (followup.due, followup.instruments, followup.window_days) == (due, instruments,
                                                                          window)
    assert followup.anchor == ANCHOR


def test_default_days_and_order() -> None:
    assert [f.day for f in schedule(ANCHOR)] == list(FOLLOWUP_DAYS)
    assert [f.day for f in schedule(ANCHOR, (30, 3, 180))] == [3, 30, 180]


@pytest.mark.parametrize(("day", "window"), [(1, 2), (3, 2), (12, 2), (13, 3), (45, 9),
                                             (70, 14), (365, 14)])
def test_window_rule(day: Any, window: Any) -> None:
    assert window_for(day) == window


def test_custom_days_keep_instrument_rules() -> None:
    by_day = {f.day: f.instruments for f in schedule(ANCHOR, (3, 180))}
    assert by_day == {3: ("sows", "craving"), 180: ("phq9", "gad7", "sud")}


def test_every_instrument_has_a_name() -> None:
    assert set(INSTRUMENT_RULES) == set(INSTRUMENT_NAMES)


@pytest.mark.parametrize(
    ("anchor", "days"),
    [(datetime(2026, 3, 1, tzinfo=UTC), FOLLOWUP_DAYS), ("2026-03-01", FOLLOWUP_DAYS),
     (ANCHOR, ()), (ANCHOR, (7, 7)), (ANCHOR, (0,)), (ANCHOR, (7.5,)), (ANCHOR, (1000,))],
)
def test_schedule_rejects(anchor: Any, days: Any) -> None:
    with pytest.raises(InvalidInput):
        schedule(anchor, days)


DAY7 = date(2026, 3, 8)  # due; window 2 days, so the last day is 10 March


@pytest.mark.parametrize(
    ("today", "completed", "state"),
    [
        (DAY7 - timedelta(days=1), {}, "upcoming"),
        (DAY7, {}, "due"),
        (DAY7 + timedelta(days=2), {}, "due"),       # last day of the window
        (DAY7 + timedelta(days=3), {}, "missed"),
        (DAY7 + timedelta(days=3), {7: DAY7 + timedelta(days=5)}, "done"),  # late is done
        (DAY7 - timedelta(days=2), {7: DAY7 - timedelta(days=2)}, "done"),  # early is done
    ],
)
def test_status_edges(today: Any, completed: Any, state: Any) -> None:
    result = {s.followup.day: s for s in status(schedule(ANCHOR), completed, today)}[7]
    assert result.state == state
    assert result.completed_on == completed.get(7)


def test_status_whole_schedule() -> None:
    today = date(2026, 4, 1)
    states = [s.state for s in status(schedule(ANCHOR), {14: date(2026, 3, 16)}, today)]
    assert states == ["missed", "done", "due", "upcoming", "upcoming"]


def test_status_rejects_unknown_day() -> None:
    with pytest.raises(InvalidInput) as error:
        status(schedule(ANCHOR), {8: ANCHOR}, ANCHOR)
    assert error.value.field == "completed"


def test_ics_round_trip() -> None:
    followups = schedule(ANCHOR)
    calendar = icalendar.Calendar.from_ical(to_ics(followups, "Pat's follow-ups"))
    assert str(calendar["x-wr-calname"]) == "Pat's follow-ups"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == len(followups)
    for event, followup in zip(events, followups, strict=True):
        start = event.decoded("dtstart")
        assert start == followup.due and not isinstance(start, datetime)  # all-day
        assert event.decoded("dtend") == followup.due + timedelta(days=1)
        assert f"day {followup.day}" in str(event["summary"])
        for instrument in followup.instruments:
            assert INSTRUMENT_NAMES[instrument] in str(event["description"])
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_ics_is_stable_and_uids_depend_on_name_and_anchor() -> None:
    first = to_ics(schedule(ANCHOR), "Pat")
    assert first == to_ics(schedule(ANCHOR), "Pat")

    def uids(data: bytes) -> set[str]:
        return {str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}

    assert uids(first) == uids(to_ics(schedule(ANCHOR, FOLLOWUP_DAYS), "Pat"))
    assert uids(first).isdisjoint(uids(to_ics(schedule(ANCHOR), "Sam")))
    assert uids(first).isdisjoint(uids(to_ics(schedule(ANCHOR + timedelta(days=1)), "Pat")))


def test_ics_stamp_override() -> None:
    stamp = datetime(2026, 2, 1, 9, tzinfo=UTC)
    calendar = icalendar.Calendar.from_ical(to_ics(schedule(ANCHOR, (7,)), "Pat", stamp=stamp))
    assert next(iter(calendar.walk("VEVENT"))).decoded("dtstamp") == stamp


@pytest.mark.parametrize(
    ("name", "stamp", "field"),
    [("  ", None, "name"), ("Pat", datetime(2026, 2, 1), "stamp")],  # noqa: DTZ001
)
def test_ics_rejects(name: Any, stamp: Any, field: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        to_ics(schedule(ANCHOR), name, stamp=stamp)
    assert error.value.field == field
