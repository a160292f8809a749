"""Invariants of every taper plan, over random valid requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import (
    LINEAR_STRATEGIES,
    SEVEN_OH_MIN_DOSES,
    STRATEGIES,
    TaperPlan,
    TaperRequest,
    adapt_plan,
    parse_taper_request,
    plan_taper,
)
from kratom_recovery.care.taper_holds import CheckinSummary

PRODUCT_UNITS = [("leaf", "g"), ("capsules", "g"), ("extract", "g"), ("extract", "mg"),
                 ("7-oh", "mg"), ("7-oh", "tablets"), ("other", "tablets")]
PRECISIONS = {"g": [0.05, 0.1, 0.25, 0.5, 1.0], "mg": [0.5, 1.0, 2.5, 5.0],
              "tablets": [0.125, 0.25, 0.5, 1.0]}


def exact(value: float) -> Fraction:
    return Fraction(Decimal(repr(value)))


@st.composite
def requests(draw: st.DrawFn) -> TaperRequest:
    product, unit = draw(st.sampled_from(PRODUCT_UNITS))
    precision = draw(st.sampled_from(PRECISIONS[unit]))
    units = draw(st.integers(min_value=1, max_value=400))
    # an amount on the grid, or a little above it (then rounded down)
    amount = float(units * exact(precision)) + draw(st.sampled_from([0.0, precision / 3]))
    data: dict[str, Any] = {
        "product": product, "unit": unit, "amount_per_day": round(amount, 6),
        "precision": precision,
        "doses_per_day": draw(st.integers(min_value=1, max_value=24)),
        "strategy": draw(st.sampled_from(STRATEGIES)),
        "rate_percent": draw(st.floats(min_value=0.5, max_value=99.5).map(lambda r: round(r, 2))),
        "step_days": draw(st.integers(min_value=1, max_value=90)),
        "start": draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))),
    }
    if draw(st.booleans()):
        data["jump_off"] = round(amount * draw(st.floats(min_value=0, max_value=0.9)), 3)
    try:
        return parse_taper_request(data)
    except InvalidInput:
        assume(False)
        raise


def planned(req: TaperRequest) -> TaperPlan:
    try:
        return plan_taper(req)
    except InvalidInput as error:  # runaway guard: only for plans longer than the limit
        assert error.field == "rate_percent"
        assume(False)
        raise


@settings(max_examples=100, deadline=None)
@given(requests())
def test_plan_invariants(req: TaperRequest) -> None:
    plan = planned(req)
    precision = exact(req.precision)
    rate = exact(req.rate_percent) / 100
    steps = plan.steps
    start_units = steps[0].daily_units

    # starts at the requested amount, rounded down to the grid
    assert 0 <= exact(req.amount_per_day) - start_units * precision < precision
    # ends at zero, and only the last step is zero: it terminates
    assert steps[-1].daily_units == 0
    assert all(s.daily_units > 0 for s in steps[:-1])
    assert len(steps) <= start_units + 1

    for before, after in pairwise(steps):
        cut = before.daily_units - after.daily_units
        assert cut >= 1  # never increases, never stalls
        jump = before.daily_units * precision <= exact(req.jump_off)
        if jump:
            assert after.daily_units == 0
            continue
        if req.product == "7-oh":  # never one unit a day: it cannot be split into two doses
            assert after.daily_units == 0 or after.daily_units >= SEVEN_OH_MIN_DOSES
            if after.daily_units == 0:
                continue
        # rate respected: within the rate's share (rounded to the grid), or one unit at the tail
        linear = req.strategy in LINEAR_STRATEGIES
        share = start_units * rate if linear else before.daily_units * rate
        allowed = share + 1 if linear else share
        assert cut <= allowed or cut == 1
        # contiguous dates, one step length each
        assert after.start == before.end + timedelta(days=1)
        assert before.days == req.step_days

    for step in steps:
        assert sum(step.dose_units) == step.daily_units
        assert len(step.dose_units) == req.doses_per_day
        assert max(step.dose_units) - min(step.dose_units) <= 1
        assert step.daily_amount == float(step.daily_units * precision)
    assert plan.total_days == (plan.end_date - plan.start).days == req.step_days * (len(steps) - 1)


@st.composite
def checkin_lists(draw: st.DrawFn) -> list[CheckinSummary]:
    offsets = draw(st.lists(st.integers(min_value=0, max_value=120), max_size=30))
    return [
        CheckinSummary(
            datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=o),
            draw(st.none() | st.integers(min_value=0, max_value=64)),
            draw(st.none() | st.integers(min_value=0, max_value=10)),
        )
        for o in offsets
    ]


@settings(max_examples=50, deadline=None)
@given(requests(), checkin_lists(), st.integers(min_value=0, max_value=150))
def test_adaptive_only_slows_down(
    req: TaperRequest, checkins: list[CheckinSummary], today_offset: int
) -> None:
    req = TaperRequest(**{**req.__dict__, "start": date(2026, 1, 1)})
    fixed = planned(req)
    today = date(2026, 1, 1) + timedelta(days=today_offset)
    adapted = adapt_plan(req, checkins, today)
    assert [s.daily_units for s in adapted.steps] == [s.daily_units for s in fixed.steps]
    for a, f in zip(adapted.steps, fixed.steps, strict=True):
        assert a.start >= f.start
    assert adapted.end_date == fixed.end_date + timedelta(days=sum(h.days for h in adapted.holds))
    for before, after in pairwise(adapted.steps):
        assert after.start == before.end + timedelta(days=1)
    for hold in adapted.holds:
        assert hold.start <= today and hold.reason
    if all((c.sows_total or 0) < 11 and (c.craving or 0) < 7 for c in checkins):
        assert adapted.steps == fixed.steps and adapted.holds == ()
