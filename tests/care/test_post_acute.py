"""The post-acute track: the person's own weekly low mood, poor sleep, tiredness and craving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kratom_recovery.care.post_acute import (
    MEASURES,
    Rating,
    ratings_from_answers,
    weekly_track,
)

LAST = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return LAST + timedelta(days=days)


def test_answers_map_to_the_measures() -> None:
    # daily-extra items: low-mood, irritability, mental-fog, fatigue, poor-sleep, pulse.
    got = ratings_from_answers(at(9), "daily-extra", [3, 1, 2, 4, 2, 72])
    assert {(r.measure, r.value) for r in got} == {("low-mood", 3.0), ("fatigue", 4.0),
                                                   ("poor-sleep", 2.0)}
    assert ratings_from_answers(at(9), "craving", [7]) == [Rating(at(9), "craving", 7.0)]
    # An unanswered optional item (None) or a short answer list is skipped, not guessed.
    assert [r.measure for r in ratings_from_answers(at(9), "daily-extra", [None, 0])] == []


def test_weekly_means_with_a_day_counted_once() -> None:
    ratings = [
        Rating(at(7.2), "low-mood", 4.0), Rating(at(7.6), "low-mood", 2.0),  # one day: mean 3
        Rating(at(8.5), "low-mood", 1.0),
        Rating(at(9.0), "craving", 6.0),
        Rating(at(15.0), "craving", 2.0),
        Rating(at(3.0), "low-mood", 4.0),  # week 1: the acute phase, not in the track
    ]
    weeks = weekly_track(LAST, ratings, at(16))
    assert [w.week for w in weeks] == [2, 3]
    assert weeks[0].means["low-mood"] == 2.0 and weeks[0].means["craving"] == 6.0
    assert weeks[0].means["fatigue"] is None and weeks[0].days == 3
    assert weeks[1].means == {"low-mood": None, "poor-sleep": None, "fatigue": None,
                              "craving": 2.0}


@pytest.mark.parametrize(("days", "weeks"), [(3, []), (7, [2]), (20, [2, 3]), (200, list(
    range(2, 9)))])
def test_the_track_covers_weeks_2_to_8_up_to_now(days: float, weeks: list[int]) -> None:
    assert [w.week for w in weekly_track(LAST, [], at(days))] == weeks


def test_ratings_after_now_or_after_week_8_are_left_out() -> None:
    ratings = [Rating(at(60), "craving", 9.0), Rating(at(10), "craving", 5.0),
               Rating(at(10.5), "craving", 7.0)]
    weeks = weekly_track(LAST, ratings, at(10.4))
    assert weeks[0].means["craving"] == 5.0
    assert all(w.means["craving"] is None for w in weekly_track(LAST, ratings[:1], at(90)))


def test_measures_are_instrument_items() -> None:
    from kratom_recovery.care.instruments import get_instrument

    for _, instrument, item, top in MEASURES:
        found = {i.id: i for i in get_instrument(instrument).items}[item]
        assert max(o.value for o in found.options) == top
