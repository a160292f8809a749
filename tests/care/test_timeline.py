"""Withdrawal timeline: phases, forecast shape, tapers, Bayesian update and flags."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.timeline import (
    ASSUMPTIONS,
    DEFAULTS,
    ESTIMATE_NOTICE,
    PHASE_LABELS,
    PHASES,
    SEED_TIMELINE,
    SMALL_BUMP_LABEL,
    STILL_ACUTE_LABEL,
    Dose,
    Forecast,
    ModelParams,
    Observation,
    _phase_times,
    forecast,
    phase_for,
    reassurance_allowed,
    shown_phase,
    synthesize_doses,
)

LAST = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TYPICAL = UseProfile("leaf", 15.0, "g", 3, 2.0, last_dose=LAST)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "timeline.md"


def at(hours: float) -> datetime:
    return LAST + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("hours", "phase"),
    [
        (0, "pre-onset"),
        (6, "pre-onset"),
        (20, "onset"),
        (60, "peak"),
        (5 * 24, "subsiding"),
        (14 * 24, "post-acute"),
        (60 * 24, "post-acute"),
    ],
)
def test_phase_table_for_a_typical_user(hours: float, phase: str) -> None:
    result = forecast(TYPICAL, at(hours))
    assert result.phase == phase
    assert result.phase_label == PHASE_LABELS[phase]
    assert result.hours_since_last_dose == pytest.approx(hours)


def test_phase_for_walks_the_boundaries_in_order() -> None:
    times = forecast(TYPICAL, at(1)).phase_times
    hours = [0, times.onset_h, times.peak_start_h, times.peak_end_h + 1, times.acute_end_h]
    assert [phase_for(h, times) for h in hours] == list(PHASES)


def test_typical_curve_matches_the_seed_timeline() -> None:
    times = forecast(TYPICAL, at(1)).phase_times
    low, high = SEED_TIMELINE["onset_h"]
    assert low <= times.onset_h <= high
    peak = forecast(TYPICAL, at(1)).peak_day * 24
    assert SEED_TIMELINE["peak_h"][0] <= peak <= SEED_TIMELINE["peak_h"][1]
    low, high = SEED_TIMELINE["acute_end_days"]
    assert low * 24 <= times.acute_end_h <= high * 24


def test_forecast_rises_peaks_on_day_2_or_3_and_halves_by_day_7() -> None:
    result = forecast(TYPICAL, at(1))
    expected = [p.expected for p in result.points]
    assert [p.day for p in result.points] == list(range(31))
    assert expected[1] > expected[0]
    assert result.peak_day in (2, 3)
    assert expected[7] < expected[result.peak_day] / 2
    assert all(p.low <= p.expected <= p.high for p in result.points)
    # Scale: a typical user's expected worst day is near the Rogers et al. 2024 mean of 13.5.
    assert max(expected) == pytest.approx(DEFAULTS.sows_mean, abs=2.0)


def test_acute_end_date_is_about_a_week_after_the_last_dose() -> None:
    result = forecast(TYPICAL, at(1))
    end = LAST + timedelta(hours=result.phase_times.acute_end_h)
    assert result.acute_end_expected == end.date()
    assert 5 <= (result.acute_end_expected - LAST.date()).days <= 10


def test_7oh_withdrawal_comes_sooner_than_leaf() -> None:
    seven = UseProfile("7-oh", 60.0, "mg", 3, 2.0, last_dose=LAST)
    fast, slow = forecast(seven, at(1)), forecast(TYPICAL, at(1))
    assert fast.phase_times.onset_h < slow.phase_times.onset_h
    assert fast.peak_day < slow.peak_day
    assert fast.phase_times.acute_end_h < slow.phase_times.acute_end_h


profiles = st.builds(
    UseProfile,
    product=st.sampled_from(["leaf", "capsules", "extract", "other"]),
    amount_per_day=st.floats(min_value=0.5, max_value=120),
    unit=st.just("g"),
    doses_per_day=st.integers(min_value=1, max_value=8),
    years_of_use=st.floats(min_value=0, max_value=20),
    last_dose=st.just(LAST),
)


def _peak_and_end(profile: UseProfile) -> tuple[float, float]:
    result = forecast(profile, at(1))
    return max(p.expected for p in result.points), result.phase_times.acute_end_h


# Every product with a unit it can be recorded in (care/profile.py UNITS_FOR_PRODUCT).
any_profiles = st.one_of(
    *(
        st.builds(
            UseProfile,
            product=st.just(product),
            amount_per_day=st.floats(min_value=0.5, max_value=top),
            unit=st.just(unit),
            doses_per_day=st.integers(min_value=1, max_value=24),
            years_of_use=st.floats(min_value=0, max_value=40),
            last_dose=st.just(LAST),
        )
        for product, unit, top in (
            ("leaf", "g", 250), ("capsules", "g", 250), ("extract", "g", 250),
            ("extract", "mg", 5000), ("extract", "tablets", 60), ("7-oh", "mg", 5000),
            ("7-oh", "tablets", 60), ("other", "g", 250),
        )
    )
)


def _end_and_range(profile: UseProfile) -> tuple[float, float, float]:
    result = forecast(profile, at(1))
    low, high = result.acute_end_range_h
    return low, result.phase_times.acute_end_h, high


@settings(max_examples=40, deadline=None)
@given(
    profile=any_profiles,
    grow=st.sampled_from(["amount_per_day", "doses_per_day", "years_of_use"]),
    factor=st.floats(min_value=1.01, max_value=4),
)
def test_the_acute_phase_never_ends_earlier_with_more_use(
    profile: UseProfile, grow: str, factor: float
) -> None:
    if grow == "doses_per_day":
        doses = min(24, profile.doses_per_day + max(1, round(profile.doses_per_day * (factor - 1))))
        more = dataclasses.replace(profile, doses_per_day=doses)
    elif grow == "years_of_use":
        more = dataclasses.replace(profile, years_of_use=profile.years_of_use + factor)
    else:
        more = dataclasses.replace(profile, amount_per_day=profile.amount_per_day * factor)
    before, after = _end_and_range(profile), _end_and_range(more)
    assert all(b <= a for b, a in zip(before, after, strict=True)), (before, after)


def test_the_acute_end_grows_with_grams_of_leaf() -> None:
    """It used to be day 7-8 for every amount from 3 to 100 g/day."""
    ends = [_end_and_range(dataclasses.replace(TYPICAL, amount_per_day=grams))[1]
            for grams in (3.0, 15.0, 40.0, 100.0)]
    assert ends == sorted(ends) and ends[-1] - ends[0] >= 24


def test_heavy_long_frequent_use_ends_days_later_than_light_use() -> None:
    light = UseProfile("leaf", 3.0, "g", 1, 0.5, last_dose=LAST)
    heavy = UseProfile("leaf", 100.0, "g", 8, 10.0, last_dose=LAST)
    light_end, heavy_end = _end_and_range(light)[1], _end_and_range(heavy)[1]
    assert heavy_end - light_end >= 3 * 24
    # Still inside the blogs' range: 5 days to about 2 weeks [ref:timeline-blogs].
    assert light_end >= 5 * 24 and heavy_end <= 14 * 24


def test_acute_end_is_a_range_from_the_timing_uncertainty() -> None:
    result = forecast(TYPICAL, at(1))
    low, high = result.acute_end_range_h
    assert low < result.phase_times.acute_end_h < high
    assert result.acute_end_range[0] <= result.acute_end_expected <= result.acute_end_range[1]
    assert high - low >= 48  # time_sd_log 0.3: an 80% range of several days
    data = result.as_dict()
    assert data["acute_end_range"] == {"earliest": result.acute_end_range[0].isoformat(),
                                       "latest": result.acute_end_range[1].isoformat()}
    # Check-ins that track a slow course move the range later.
    slow = forecast(TYPICAL, at(12 * 24), observed=_observed(
        {24.0 * d: v for d, v in zip(range(1, 12), (4, 8, 11, 13, 14, 14, 13, 12, 11, 10, 9),
                                     strict=True)}))
    assert slow.acute_end_range_h[0] > low


def test_every_forecast_says_the_timing_is_an_estimate() -> None:
    result = forecast(TYPICAL, at(1))
    assert result.notice == ESTIMATE_NOTICE
    assert "not been measured" in result.as_dict()["notice"]


def test_extract_grams_are_not_scaled_as_leaf_grams() -> None:
    """2 g/day of extract used to forecast a milder withdrawal than 15 g/day of leaf."""
    extract = UseProfile("extract", 2.0, "g", 3, 2.0, last_dose=LAST)
    assert _peak_and_end(extract)[0] >= _peak_and_end(TYPICAL)[0]
    # Grams of extract say nothing about strength: the forecast ignores them, as for mg.
    more = dataclasses.replace(extract, amount_per_day=40.0)
    assert forecast(extract, at(30)).points == forecast(more, at(30)).points
    assert forecast(extract, at(30)).phase_times == forecast(more, at(30)).phase_times


@settings(max_examples=40, deadline=None)
@given(
    profile=any_profiles,
    risks=st.booleans(),
)
def test_worse_than_expected_can_fire_for_every_profile(
    profile: UseProfile, risks: bool
) -> None:
    """However heavy the use, two check-ins at the top of the scale on the expected worst day
    are worse than expected (the band reaching 64 used to make that impossible)."""
    if risks:
        profile = dataclasses.replace(profile, other_substances=frozenset({"opioids"}),
                                      conditions=frozenset({"chronic-pain"}))
    peak = forecast(profile, at(1)).peak_day * 24.0
    times = (max(1.0, peak - 6), max(2.0, peak))
    result = forecast(profile, at(times[1]), observed=_observed({t: 64.0 for t in times}))
    assert "worse-than-expected" in result.flags


@settings(max_examples=25, deadline=None)
@given(profile=profiles, extra=st.floats(min_value=0.5, max_value=100))
def test_more_grams_never_lowers_the_peak_or_shortens_the_acute_phase(
    profile: UseProfile, extra: float
) -> None:
    more = dataclasses.replace(profile, amount_per_day=profile.amount_per_day + extra)
    peak, end = _peak_and_end(profile)
    more_peak, more_end = _peak_and_end(more)
    assert more_peak >= peak
    assert more_end >= end


@settings(max_examples=25, deadline=None)
@given(profile=profiles, extra=st.floats(min_value=0.25, max_value=20))
def test_more_years_never_lowers_the_peak_or_shortens_the_acute_phase(
    profile: UseProfile, extra: float
) -> None:
    more = dataclasses.replace(profile, years_of_use=profile.years_of_use + extra)
    peak, end = _peak_and_end(profile)
    more_peak, more_end = _peak_and_end(more)
    assert more_peak >= peak
    assert more_end >= end


def _taper(days: int, start: float, end: float) -> list[Dose]:
    """Three doses a day stepping linearly from `start` to `end` g/day, ending at LAST."""
    doses = []
    for day in range(days):
        per_day = start + (end - start) * day / (days - 1)
        for slot in range(3):
            when = LAST - timedelta(days=days - 1 - day, hours=16 - 8 * slot)
            doses.append(Dose(when, per_day / 3))
    return doses


def test_a_taper_gives_a_smaller_shorter_bump_than_an_abrupt_stop() -> None:
    abrupt = forecast(TYPICAL, at(1), doses=_taper(21, 15.0, 15.0))
    tapered = forecast(TYPICAL, at(1), doses=_taper(21, 15.0, 3.0))
    abrupt_peak = max(p.expected for p in abrupt.points)
    tapered_peak = max(p.expected for p in tapered.points)
    assert tapered_peak < abrupt_peak / 2
    # Days at or above half the abrupt peak: the taper spends fewer days up there.
    threshold = abrupt_peak / 2
    assert sum(p.expected >= threshold for p in tapered.points) < sum(
        p.expected >= threshold for p in abrupt.points
    )


def test_a_step_down_during_a_taper_makes_only_a_small_bump() -> None:
    # Observe the model during use: a 10% cut then steady dosing, compared at the same hour.
    steady = _taper(14, 15.0, 15.0)
    step = [
        Dose(d.time, d.amount * (0.9 if d.time > LAST - timedelta(days=7) else 1.0)) for d in steady
    ]
    stop = forecast(TYPICAL, at(1), doses=steady)
    cut = forecast(TYPICAL, at(1), doses=step)
    assert max(p.expected for p in cut.points) < max(p.expected for p in stop.points)


def test_the_steady_history_matches_the_profile() -> None:
    doses = synthesize_doses(TYPICAL)
    assert doses[-1].time == LAST
    assert len(doses) == DEFAULTS.history_days * 3
    assert sum(d.amount for d in doses) == pytest.approx(15.0 * DEFAULTS.history_days)
    assert forecast(TYPICAL, at(30), doses=doses) == forecast(TYPICAL, at(30))


def _observed(values: dict[float, float]) -> list[Observation]:
    return [Observation(at(hours), value) for hours, value in values.items()]


def test_check_ins_well_above_the_band_raise_the_forecast_and_flag() -> None:
    prior = forecast(TYPICAL, at(80))
    high = {
        h: min(64.0, prior.points[round(h / 24)].high * 1.8 + 5)
        for h in (20.0, 30.0, 44.0, 56.0, 68.0, 78.0)
    }
    updated = forecast(TYPICAL, at(80), observed=_observed(high))
    assert "worse-than-expected" in updated.flags
    for day in (3, 4, 5, 7):
        assert updated.points[day].expected > prior.points[day].expected


def test_check_ins_well_below_lower_the_forecast_and_raise_nothing() -> None:
    prior = forecast(TYPICAL, at(80))
    low = _observed({h: 1.0 for h in (20, 30, 44, 56, 68, 78)})
    updated = forecast(TYPICAL, at(80), observed=low)
    assert updated.flags == ()
    assert updated.points[4].expected < prior.points[4].expected


def test_check_ins_inside_the_band_raise_nothing() -> None:
    prior = forecast(TYPICAL, at(80))
    inside = _observed({h: prior.points[round(h / 24)].expected for h in (24, 36, 48, 60, 72)})
    updated = forecast(TYPICAL, at(80), observed=inside)
    assert updated.flags == ()
    assert updated.points[3].expected == pytest.approx(prior.points[3].expected, rel=0.35)


def test_prolonged_acute_when_moderate_symptoms_outlast_the_expected_end() -> None:
    now = at(13 * 24)
    late = _observed(
        {24.0 * d: 14.0 for d in range(9, 13)} | {24.0 * d + 12: 15.0 for d in range(10, 13)}
    )
    result = forecast(TYPICAL, now, observed=late)
    assert "prolonged-acute" in result.flags
    mild = _observed({24.0 * d: 3.0 for d in range(9, 13)})
    assert "prolonged-acute" not in forecast(TYPICAL, now, observed=mild).flags


def test_forecast_is_deterministic_and_serialisable() -> None:
    obs = _observed({float(h): 8.0 + h % 5 for h in range(6, 700, 12)})
    first = forecast(TYPICAL, at(720), observed=obs)
    assert first == forecast(TYPICAL, at(720), observed=obs)
    data = json.loads(json.dumps(first.as_dict()))
    required = {"phase", "hours_since_last_dose", "acute_end_expected", "flags", "forecast"}
    assert set(data) >= required
    assert [p["day"] for p in data["forecast"]] == list(range(31))
    assert set(data["forecast"][0]) == {"day", "expected", "low", "high"}
    assert datetime.fromisoformat(data["acute_end_expected"] + "T00:00:00+00:00")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"profile": dataclasses.replace(TYPICAL, last_dose=None)}, "last_dose"),
        ({"now": LAST - timedelta(hours=1)}, "last_dose"),
        ({"observed": [Observation(at(5), 70.0)]}, "observed"),
        ({"observed": [Observation(at(50), 5.0)]}, "observed"),
        ({"doses": []}, "doses"),
        ({"doses": [Dose(LAST, -1.0)]}, "doses"),
        ({"now": LAST.replace(tzinfo=None)}, "now"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"profile": TYPICAL, "now": at(10)} | kwargs
    with pytest.raises(InvalidInput) as error:
        forecast(**args)  # type: ignore[arg-type]
    assert error.value.field == field


def test_every_parameter_has_an_assumption_and_appears_in_the_docs() -> None:
    names = [f.name for f in dataclasses.fields(ModelParams)]
    assert sorted(a.parameter for a in ASSUMPTIONS) == sorted(names)
    assert all(a.text and a.source for a in ASSUMPTIONS)
    docs = DOCS.read_text(encoding="utf-8")
    for name in names:
        assert re.search(rf"`{name}`", docs), name


def test_acute_end_is_a_date_in_the_callers_zone() -> None:
    """A New York evening is the next day in UTC: the expected end must be the local date."""
    from zoneinfo import ZoneInfo

    new_york = ZoneInfo("America/New_York")
    local_last = datetime(2026, 11, 1, 17, 0, tzinfo=new_york)
    profile = dataclasses.replace(TYPICAL, last_dose=local_last.astimezone(UTC))
    now_utc = local_last.astimezone(UTC) + timedelta(hours=30)
    in_utc = forecast(profile, now_utc)
    in_new_york = forecast(profile, now_utc.astimezone(new_york))
    end = local_last + timedelta(hours=in_utc.phase_times.acute_end_h)
    assert in_new_york.acute_end_expected == end.date()
    assert in_utc.acute_end_expected == end.astimezone(UTC).date()


# --- the reassurance gate ----------------------------------------------------------------------

LEVEL = DEFAULTS.acute_level_sows


@pytest.mark.parametrize(
    ("expected", "latest", "flags", "allowed"),
    [
        # The three vignettes that used to reassure against the evidence.
        (12.0, None, (), False),  # 40 g/day on day 8, model expects SOWS 12
        (9.0, 15.0, ("worse-than-expected",), False),  # check-ins of 14-15 on days 10-11
        (18.6, None, (), False),  # 7-OH at 48 h, still near its peak
        # Near misses on each side of each condition.
        (LEVEL - 0.1, None, (), True),
        (LEVEL, None, (), False),
        (LEVEL - 0.1, LEVEL - 0.1, (), True),
        (3.0, LEVEL, (), False),
        (3.0, 2.0, ("prolonged-acute",), False),
        (3.0, 2.0, ("worse-than-expected",), False),
        (3.0, 2.0, (), True),
        (3.0, 0.0, (), True),
    ],
)
def test_reassurance_needs_low_expected_and_observed_and_no_flag(
    expected: float, latest: float | None, flags: tuple[str, ...], allowed: bool
) -> None:
    assert reassurance_allowed(expected, latest, flags) is allowed


@pytest.mark.parametrize(
    ("model", "course", "allowed", "shown"),
    [
        ("post-acute", "withdrawal", True, ("post-acute", PHASE_LABELS["post-acute"])),
        ("post-acute", "withdrawal", False, ("subsiding", STILL_ACUTE_LABEL)),
        ("subsiding", "withdrawal", True, ("subsiding", PHASE_LABELS["subsiding"])),
        ("subsiding", "withdrawal", False, ("subsiding", STILL_ACUTE_LABEL)),
        ("peak", "withdrawal", False, ("peak", PHASE_LABELS["peak"])),
        ("onset", "withdrawal", True, ("onset", PHASE_LABELS["onset"])),
        ("pre-onset", "small-bump", True, ("post-acute", SMALL_BUMP_LABEL)),
        ("peak", "small-bump", True, ("post-acute", SMALL_BUMP_LABEL)),
        ("peak", "small-bump", False, ("peak", STILL_ACUTE_LABEL)),
        ("pre-onset", "small-bump", False, ("subsiding", STILL_ACUTE_LABEL)),
    ],
)
def test_shown_phase_table(model: str, course: str, allowed: bool,
                           shown: tuple[str, str]) -> None:
    assert shown_phase(model, course, allowed) == shown


@pytest.mark.parametrize(("model", "course"), [("acute", "withdrawal"), ("peak", "lapse")])
def test_shown_phase_refuses_unknown_values(model: str, course: str) -> None:
    with pytest.raises(InvalidInput):
        shown_phase(model, course, True)


def _reassures(result: Forecast) -> bool:
    label = result.phase_label
    return result.phase == "post-acute" or "behind you" in label or "mostly over" in label


def test_heavy_user_on_day_8_is_not_told_it_is_mostly_over() -> None:
    heavy = UseProfile("leaf", 40.0, "g", 6, 5.0, last_dose=LAST)
    result = forecast(heavy, at(8 * 24))
    assert result.expected_now >= LEVEL
    assert not _reassures(result)
    assert result.phase_label == STILL_ACUTE_LABEL


def test_high_check_ins_after_the_expected_end_are_not_post_acute() -> None:
    user = UseProfile("leaf", 40.0, "g", 3, 2.0, last_dose=LAST)
    observed = _observed({240.0: 14.0, 252.0: 15.0, 264.0: 15.0})
    result = forecast(user, at(265), observed=observed)
    assert result.model_phase == "post-acute"
    assert "worse-than-expected" in result.flags
    assert result.latest_observed == 15.0
    assert not _reassures(result) and result.phase == "subsiding"
    # Near miss: the same days with low check-ins are post-acute.
    calm = forecast(user, at(265), observed=_observed({240.0: 3.0, 252.0: 2.0, 264.0: 2.0}))
    assert (calm.phase, calm.phase_label) == ("post-acute", PHASE_LABELS["post-acute"])


def test_7oh_at_48_hours_is_not_told_the_worst_is_behind_it() -> None:
    seven = UseProfile("7-oh", 60.0, "mg", 3, 2.0, last_dose=LAST)
    result = forecast(seven, at(48.5))
    assert result.model_phase == "subsiding" and result.expected_now >= LEVEL
    assert not _reassures(result)
    # Near miss: once the expected level is below the acute level it may reassure.
    later = forecast(seven, at(4 * 24))
    assert later.expected_now < LEVEL and _reassures(later)


def test_typical_user_at_two_weeks_is_post_acute() -> None:
    result = forecast(TYPICAL, at(14 * 24), observed=_observed({13 * 24.0: 4.0}))
    assert (result.phase, result.phase_label) == ("post-acute", PHASE_LABELS["post-acute"])
    assert result.expected_now < LEVEL


# --- a lapse after time without kratom ---------------------------------------------------------


def _lapse(amount: float, after_days: float) -> list[Dose]:
    return [*synthesize_doses(TYPICAL), Dose(at(after_days * 24), amount)]


@pytest.mark.parametrize("amount", [2.0, 5.0, 15.0])
def test_a_single_use_after_weeks_free_is_a_small_bump_not_a_new_withdrawal(
    amount: float
) -> None:
    now = at(20 * 24 + 2)
    result = forecast(TYPICAL, now, doses=_lapse(amount, 20))
    assert result.course == "small-bump"
    assert (result.phase, result.phase_label) == ("post-acute", SMALL_BUMP_LABEL)
    assert max(p.expected for p in result.points) < LEVEL


def test_a_lapse_with_high_check_ins_is_not_reassured() -> None:
    now = at(22 * 24)
    observed = _observed({21 * 24.0: 16.0, 21.5 * 24: 18.0})
    result = forecast(TYPICAL, now, doses=_lapse(5.0, 20), observed=observed)
    assert result.course == "small-bump"
    assert result.phase_label == STILL_ACUTE_LABEL


def test_stopping_regular_use_is_a_full_withdrawal() -> None:
    assert forecast(TYPICAL, at(1)).course == "withdrawal"
    # A lapse within days of stopping, while still adapted, is not small either.
    assert forecast(TYPICAL, at(50), doses=_lapse(15.0, 2)).course == "withdrawal"


def _phase_times_every_hour(
    doses: tuple[tuple[float, float], ...], k: float, r: float, params: ModelParams
) -> tuple[tuple[float, float, float, float], float]:
    """The boundaries from the gap at every hour of the 30 days (what the stepping that
    stops early must reproduce), computed in closed form after the last dose."""
    c, a, t = 1.0, 1.0, doses[0][0]
    for when, amount in doses:
        dt = when - t
        if dt > 0:
            ek, er = math.exp(-k * dt), math.exp(-r * dt)
            a, c, t = a * er + c * r / (r - k) * (ek - er), c * ek, when
        c += amount
    q = r / (r - k)
    acute = [max(0.0, a * math.exp(-r * h) + c * q * (math.exp(-k * h) - math.exp(-r * h))
                 - c * math.exp(-k * h)) for h in range(24 * 30 + 1)]
    peak = max(acute)
    root = 1 / params.gap_exponent
    onset = next(h for h, g in enumerate(acute) if g >= peak * params.onset_fraction ** root)
    peak_gap = peak * params.peak_fraction ** root
    start = next(h for h, g in enumerate(acute) if g >= peak_gap)
    end_peak = max(h for h, g in enumerate(acute) if g >= peak_gap)
    top = acute.index(peak)
    end = next((h for h in range(top, len(acute))
                if acute[h] < peak * params.acute_end_fraction ** root), len(acute) - 1)
    return (onset, start, end_peak, end), peak


@settings(max_examples=200, deadline=None)
@given(
    count=st.integers(1, 60), spacing=st.sampled_from([4.0, 8.0, 24.0]),
    amount=st.floats(0.05, 0.6), half_life=st.floats(2, 60), tau=st.floats(5, 200),
    onset=st.floats(0.05, 0.5), peak=st.floats(0.5, 0.95), end=st.floats(0.1, 0.95),
)
def test_phase_boundaries_stop_early_without_changing_them(
    count: int, spacing: float, amount: float, half_life: float, tau: float, onset: float,
    peak: float, end: float,
) -> None:
    params = dataclasses.replace(DEFAULTS, onset_fraction=onset, peak_fraction=peak,
                                 acute_end_fraction=end)
    doses = tuple((-(count - 1 - i) * spacing, amount) for i in range(count))
    k, r = math.log(2) / half_life, 1 / tau
    if abs(r - k) < 1e-6:
        return
    times, top = _phase_times(doses, k, r, params)
    expected, expected_top = _phase_times_every_hour(doses, k, r, params)
    assert top == pytest.approx(expected_top, rel=1e-9)
    # Closed form and stepping round differently: a boundary may move by an hour on a tie.
    got = (times.onset_h, times.peak_start_h, times.peak_end_h, times.acute_end_h)
    assert all(abs(g - e) <= 1 for g, e in zip(got, expected, strict=True)), (got, expected)


@pytest.mark.parametrize("hours", [6, 30, 60, 200])
def test_without_the_curve_the_phase_and_flags_are_the_same(hours: int) -> None:
    now = LAST + timedelta(hours=hours)
    seen = [Observation(LAST + timedelta(hours=h), total)
            for h, total in ((4, 3), (26, 30), (50, 41), (150, 35)) if h <= hours]
    full = forecast(TYPICAL, now, observed=seen)
    short = forecast(TYPICAL, now, observed=seen, curve=False)
    assert short.points == () and full.points
    assert (short.phase, short.flags, short.model_phase, short.course, short.phase_times) == (
        full.phase, full.flags, full.model_phase, full.course, full.phase_times)
    assert short.expected_now == pytest.approx(full.expected_now, rel=1e-9)
