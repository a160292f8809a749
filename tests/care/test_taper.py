"""Taper planner: strategies, rounding, warnings, validation, adaptive holds, exports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import (
    DEFAULT_PRECISION,
    STRATEGIES,
    SUPERVISION_WARNING,
    SUPPORT_NOTE,
    TaperRequest,
    adapt_plan,
    amount_on,
    parse_taper_request,
    plan_taper,
    split_doses,
    to_ics,
    to_json,
    to_table,
)
from kratom_recovery.care.taper_adherence import adherence
from kratom_recovery.care.taper_cautions import CAUTION_BY_CLASS
from kratom_recovery.care.taper_holds import CheckinSummary, HoldRule

START = date(2026, 12, 1)


def request(**overrides: Any) -> TaperRequest:
    data: dict[str, Any] = {
        "product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
        "strategy": "percent", "rate_percent": 10, "step_days": 7, "start": "2026-12-01",
    }
    data.update(overrides)
    return parse_taper_request({k: v for k, v in data.items() if v is not None})


def daily(plan: Any) -> list[float]:
    return [s.daily_amount for s in plan.steps]


# --- strategies and rounding -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # percent: cut floor(10% of current) units, never more than 10%.
        ({"amount_per_day": 2, "jump_off": 1.5},
         [2.0, 1.8, 1.7, 1.6, 1.5, 0.0]),
        # tail: 10% of 0.9 g is under 0.1 g, so each step cuts exactly 0.1 g.
        ({"amount_per_day": 1.2},
         [1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]),
        # linear: ceil(start × (1 − k × 25%)) → 4, 3, 2, 1, 0 g.
        ({"strategy": "linear", "amount_per_day": 4, "rate_percent": 25, "precision": 1},
         [4.0, 3.0, 2.0, 1.0, 0.0]),
        # linear with carry-over: 3 tablets, 20% of start = 0.6 tablet a step at 0.25 precision.
        ({"product": "7-oh", "unit": "tablets", "amount_per_day": 3, "strategy": "linear",
          "rate_percent": 20},
         [3.0, 2.5, 2.0, 1.25, 0.75, 0.0]),
        # start not on the grid is rounded down, never up.
        ({"amount_per_day": 0.37, "rate_percent": 50}, [0.3, 0.2, 0.1, 0.0]),
    ],
)
def test_daily_amounts(overrides: dict[str, Any], expected: list[float]) -> None:
    assert daily(plan_taper(request(**overrides))) == expected


@pytest.mark.parametrize(
    ("years", "rate", "step_days"),
    [(None, 10, 30), (5, 10, 30), (1, 10, 30), (0.5, 10, 7)],
)
def test_clinical_defaults(years: float | None, rate: float, step_days: int) -> None:
    req = request(strategy="clinical", rate_percent=None, step_days=None, years_of_use=years)
    assert (req.rate_percent, req.step_days) == (rate, step_days)
    plan = plan_taper(req)
    assert {s.days for s in plan.steps[:-1]} == {step_days}
    assert (years is None) == any("Years of use were not given" in n for n in plan.notes)


def test_percent_defaults_come_from_community_practice() -> None:
    req = request(rate_percent=None, step_days=None, precision=None)
    assert (req.rate_percent, req.step_days, req.precision) == (5, 7, 0.1)


def test_clinical_rate_and_step_can_be_overridden() -> None:
    req = request(strategy="clinical", rate_percent=5, step_days=14)
    assert (req.rate_percent, req.step_days) == (5, 14)


@pytest.mark.parametrize(
    ("units", "doses", "expected"),
    [(10, 3, (4, 3, 3)), (2, 3, (1, 1, 0)), (0, 2, (0, 0)), (24, 24, (1,) * 24)],
)
def test_split_doses(units: int, doses: int, expected: tuple[int, ...]) -> None:
    assert split_doses(units, doses) == expected
    assert sum(split_doses(units, doses)) == units


def test_doses_add_up_and_dates_are_contiguous() -> None:
    plan = plan_taper(request(amount_per_day=7.3, doses_per_day=3))
    for step in plan.steps:
        assert sum(step.dose_units) == step.daily_units
        assert round(sum(step.doses), 6) == step.daily_amount
    for before, after in pairwise(plan.steps):
        assert after.start == before.end + timedelta(days=1)
    last = plan.steps[-1]
    assert last.daily_units == 0 and last.start == last.end == plan.end_date
    assert plan.total_days == 7 * (len(plan.steps) - 1)


def test_notes_explain_tail_and_jump_off() -> None:
    tail = plan_taper(request(amount_per_day=1.2))
    assert any("each step cuts exactly 0.1 g" in n for n in tail.notes)
    jump = plan_taper(request(amount_per_day=2, jump_off=1.5))
    assert any("jump-off" in n for n in jump.notes)
    assert not any("jump-off" in n for n in tail.notes)


# --- warnings ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("overrides", "supervised", "too_fast"),
    [
        ({}, False, False),                                          # 10%/7 d
        ({"rate_percent": 11}, False, True),                         # a cut above 10%
        ({"rate_percent": 10, "step_days": 5}, False, False),        # community's upper bound
        ({"rate_percent": 10, "step_days": 4}, False, True),         # just past it
        ({"rate_percent": 5, "step_days": 2}, False, True),          # 2.5% a day
        ({"years_of_use": 3}, False, False),                         # kratom range, any years
        ({"years_of_use": 3, "step_days": 30}, False, False),
        ({"strategy": "clinical", "rate_percent": None, "step_days": None}, False, False),
        ({"product": "extract", "unit": "g"}, True, False),
        ({"product": "7-oh", "unit": "mg", "amount_per_day": 60}, True, False),
        ({"product": "7-oh", "unit": "tablets", "rate_percent": 30}, True, True),
    ],
)
def test_warnings(overrides: dict[str, Any], supervised: bool, too_fast: bool) -> None:
    plan = plan_taper(request(**overrides))
    assert plan.warnings[0] == SUPPORT_NOTE
    assert (SUPERVISION_WARNING in plan.warnings) == supervised
    assert any("faster than" in w for w in plan.warnings) == too_fast


def test_assumed_precision_is_labelled() -> None:
    plan = plan_taper(request(product="7-oh", unit="tablets", amount_per_day=4))
    assert plan.request.precision == 0.25
    assert any("our assumption" in n for n in plan.notes)
    assert not any("our assumption" in n for n in plan_taper(request()).notes)


def test_medication_plan_has_no_kratom_warnings_or_defaults() -> None:
    med = {
        "kind": "medication", "name": "Clonidine", "unit": "mcg", "amount_per_day": 300,
        "doses_per_day": 3, "strategy": "percent", "rate_percent": 25, "step_days": 3,
        "precision": 25, "start": "2026-12-01",
    }
    plan = plan_taper(parse_taper_request(med))
    # Clonidine is an alpha-2 agonist, and 300 → 225 → … → 75 → 50 → 25 cuts over 25% a step.
    assert plan.warnings[:2] == (SUPPORT_NOTE, CAUTION_BY_CLASS["alpha2-agonist"].text)
    assert "more than 25%" in plan.warnings[2] and len(plan.warnings) == 3
    assert not any("faster than" in w for w in plan.warnings)  # the clinician sets the pace
    assert plan.request.product is None and plan.unit == "mcg"
    assert daily(plan)[0] == 300 and daily(plan)[-1] == 0
    for missing in ("rate_percent", "step_days", "precision", "name"):
        with pytest.raises(InvalidInput) as caught:
            parse_taper_request({k: v for k, v in med.items() if k != missing})
        assert caught.value.field == missing
    with pytest.raises(InvalidInput) as caught:
        parse_taper_request({**med, "strategy": "clinical"})
    assert caught.value.field == "strategy"
    with pytest.raises(InvalidInput) as caught:
        parse_taper_request({**med, "product": "leaf"})
    assert caught.value.field == "product"
    rule = "Extra 0.1 mg if SOWS is 11 or more, at most twice a day."
    with_rule = plan_taper(parse_taper_request({**med, "as_needed": rule}))
    assert with_rule.as_dict()["as_needed"] == rule
    assert rule in str(Calendar.from_ical(to_ics(with_rule, "Clonidine")).walk("VEVENT")[0]
                       ["description"])
    with pytest.raises(InvalidInput) as caught:
        request(as_needed=rule)  # kratom plans have no as-needed rule
    assert caught.value.field == "as_needed"


def test_docs_cover_strategies_and_thresholds() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "taper.md").read_text(encoding="utf-8")
    for strategy in STRATEGIES:
        assert f"`{strategy}`" in docs
    rule = HoldRule()
    assert f"SOWS total < {rule.sows_at}" in docs
    assert f"Craving < {rule.craving_at} of 10" in docs and "our own assumption" in docs
    assert f"{rule.window_days} days before it" in docs
    for unit, precision in DEFAULT_PRECISION.items():
        assert f"| {unit}" in docs and f"| {precision:g} " in docs


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_per_day": 0}, "amount_per_day"),
        ({"amount_per_day": -3}, "amount_per_day"),
        ({"amount_per_day": 300}, "amount_per_day"),
        ({"amount_per_day": "lots"}, "amount_per_day"),
        ({"unit": "tablets"}, "unit"),                          # leaf is weighed
        ({"product": "7-oh", "unit": "g"}, "unit"),
        ({"product": "tea"}, "product"),
        ({"product": None}, "product"),
        ({"rate_percent": 0}, "rate_percent"),
        ({"rate_percent": -5}, "rate_percent"),
        ({"rate_percent": 100}, "rate_percent"),
        ({"step_days": 0}, "step_days"),
        ({"step_days": 91}, "step_days"),
        ({"step_days": 2.5}, "step_days"),
        ({"precision": 0}, "precision"),
        ({"precision": 11}, "precision"),
        ({"precision": 0.0000001}, "precision"),
        ({"jump_off": 10}, "jump_off"),
        ({"jump_off": -1}, "jump_off"),
        ({"doses_per_day": 0}, "doses_per_day"),
        ({"doses_per_day": 25}, "doses_per_day"),
        ({"strategy": "fast"}, "strategy"),
        ({"start": "1/12/2026"}, "start"),
        ({"years_of_use": -1}, "years_of_use"),
        ({"kind": "herb"}, "kind"),
        ({"product": "7-oh", "unit": "mg", "amount_per_day": 0.5}, "precision"),
    ],
)
def test_invalid_input_names_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        request(**overrides)
    assert caught.value.field == field


def test_runaway_plan_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan_taper(request(amount_per_day=250, precision=0.001, rate_percent=0.01, step_days=90))
    assert caught.value.field == "rate_percent"


# --- adaptive holds ----------------------------------------------------------------------------

def checkins_daily(first: date, last: date, sows: int, craving: int) -> list[CheckinSummary]:
    days = (last - first).days + 1
    return [
        CheckinSummary(datetime(d.year, d.month, d.day, 9, tzinfo=UTC), sows, craving)
        for d in (first + timedelta(days=i) for i in range(days))
    ]


def test_calm_checkins_give_the_fixed_plan() -> None:
    req = request()
    fixed = plan_taper(req)
    calm = checkins_daily(START, START + timedelta(days=60), sows=10, craving=6)
    adapted = adapt_plan(req, calm, today=START + timedelta(days=60))
    assert adapted.steps == fixed.steps and adapted.holds == ()
    assert adapt_plan(req, [], today=START + timedelta(days=60)).steps == fixed.steps


@pytest.mark.parametrize(
    ("sows", "craving", "reason"),
    [(11, 0, "SOWS total of 11"), (4, 7, "craving reached 7"), (30, 9, "SOWS total of 30")],
)
def test_high_symptoms_hold_the_step(sows: int, craving: int, reason: str) -> None:
    req = request()
    fixed = plan_taper(req)
    # A bad day on Dec 6 falls in the 3 days before step 2 (Dec 8): step 1 is extended. A calm
    # check-in before the new date (Dec 15) lets the step go ahead after the hold.
    bad = [CheckinSummary(datetime(2026, 12, 6, 20, tzinfo=UTC), sows, craving),
           CheckinSummary(datetime(2026, 12, 13, 20, tzinfo=UTC), 3, 1)]
    today = date(2026, 12, 20)
    plan = adapt_plan(req, bad, today=today)
    assert [(h.step, h.start, h.days) for h in plan.holds] == [(0, date(2026, 12, 8), 7)]
    assert reason in plan.holds[0].reason
    assert plan.steps[0].end == date(2026, 12, 14)
    assert plan.steps[1].start == date(2026, 12, 15)
    assert plan.end_date == fixed.end_date + timedelta(days=7)
    assert daily(plan) == daily(fixed)
    assert any("move later" in n for n in plan.notes)


def test_checkins_outside_window_or_after_step_do_not_hold() -> None:
    req = request()
    fixed = plan_taper(req)
    early = CheckinSummary(datetime(2026, 12, 4, 20, tzinfo=UTC), 15, 9)  # 4 days before
    on_day = CheckinSummary(datetime(2026, 12, 8, 8, tzinfo=UTC), 15, 9)  # step already began
    plan = adapt_plan(req, [early, on_day], today=date(2026, 12, 20))
    assert plan.steps == fixed.steps


def test_future_boundaries_are_not_held() -> None:
    bad = [CheckinSummary(datetime(2026, 12, 6, 20, tzinfo=UTC), 30, 9)]
    plan = adapt_plan(request(), bad, today=date(2026, 12, 7))
    assert plan.holds == ()


def test_repeated_holds_and_hold_length() -> None:
    req = request()
    bad = checkins_daily(date(2026, 12, 5), date(2026, 12, 20), sows=15, craving=2)
    plan = adapt_plan(req, bad, today=date(2026, 12, 25), rule=HoldRule(hold_days=3))
    # Boundaries Dec 8, 11, 14, 17, 20 have bad days before them; Dec 23 looks at 20–22: Dec 20
    # was bad, so it holds too; Dec 26 is after today.
    assert [h.start for h in plan.holds] == [date(2026, 12, d) for d in (8, 11, 14, 17, 20, 23)]
    assert plan.steps[1].start == date(2026, 12, 26)
    assert any("held 6 times" in w for w in plan.warnings)


# --- amount_on and adherence ---------------------------------------------------------------------

def test_amount_on() -> None:
    plan = plan_taper(request(amount_per_day=2, jump_off=1.5))
    assert amount_on(plan, START) == 2.0
    assert amount_on(plan, START + timedelta(days=7)) == 1.8
    assert amount_on(plan, plan.end_date) == 0.0
    assert amount_on(plan, plan.end_date + timedelta(days=100)) == 0.0
    with pytest.raises(InvalidInput):
        amount_on(plan, START - timedelta(days=1))


def test_adherence() -> None:
    plan = plan_taper(request(amount_per_day=2, jump_off=1.5))
    taken = [
        (START, 1.0), (START, 1.0),                  # two doses, exactly the plan
        (START + timedelta(days=7), 2.0),            # planned 1.8 → 0.2 over
        (START + timedelta(days=8), 1.5),            # under
        (plan.end_date, 0.3),                        # planned zero
    ]
    report = adherence(plan, taken)
    rows = [(d.date, d.planned, d.taken, d.over_by) for d in report.days]
    assert rows == [
        (START, 2.0, 2.0, 0.0),
        (START + timedelta(days=7), 1.8, 2.0, 0.2),
        (START + timedelta(days=8), 1.8, 1.5, 0.0),
        (plan.end_date, 0.0, 0.3, 0.3),
    ]
    assert (report.days_recorded, report.days_within_plan, report.days_over) == (4, 2, 2)
    assert report.total_over == 0.5
    with pytest.raises(InvalidInput):
        adherence(plan, [(START, -1.0)])
    with pytest.raises(InvalidInput):
        adherence(plan, [(START - timedelta(days=1), 1.0)])


# --- exports -----------------------------------------------------------------------------------

def test_json_export_shape() -> None:
    plan = plan_taper(request(amount_per_day=2, jump_off=1.5))
    data = json.loads(to_json(plan))
    assert data["steps"][0] == {
        "index": 0, "start": "2026-12-01", "end": "2026-12-07", "days": 7,
        "daily_amount": 2.0, "unit": "g", "doses": [1.0, 1.0],
    }
    assert data["end_date"] == plan.end_date.isoformat()
    assert data["total_days"] == 35
    assert data["warnings"][0] == SUPPORT_NOTE and data["holds"] == []


def test_table_lists_every_step_and_the_safety_note() -> None:
    plan = plan_taper(request(amount_per_day=2, jump_off=1.5))
    text = to_table(plan)
    assert len([line for line in text.splitlines() if line[:1].isdigit()]) == len(plan.steps)
    for step in plan.steps:
        assert step.start.isoformat() in text
    assert "1.0 + 1.0" in text and "0.9 + 0.9" in text
    assert SUPPORT_NOTE in text


def test_ics_round_trip() -> None:
    plan = plan_taper(request(amount_per_day=2, jump_off=1.5, product="extract"))
    cal = Calendar.from_ical(to_ics(plan, "Kratom"))
    events = cal.walk("VEVENT")
    assert len(events) == len(plan.steps)
    for event, step in zip(events, plan.steps, strict=True):
        assert event.decoded("dtstart") == step.start
        assert event.decoded("dtend") == step.end + timedelta(days=1)
        description = str(event["description"])
        assert SUPPORT_NOTE in description and SUPERVISION_WARNING in description
    assert str(events[1]["summary"]) == "Kratom taper step 2: 1.8 g a day"
    assert "0.9 + 0.9" in str(events[1]["description"])
    assert "zero" in str(events[-1]["summary"])
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_ics_uids_are_stable_across_holds() -> None:
    req = request()
    bad = [CheckinSummary(datetime(2026, 12, 6, 20, tzinfo=UTC), 30, 9)]
    held = adapt_plan(req, bad, today=date(2026, 12, 20))

    def uids(ics: bytes) -> list[str]:
        return [str(e["uid"]) for e in Calendar.from_ical(ics).walk("VEVENT")]

    assert uids(to_ics(held, "Kratom")) == uids(to_ics(plan_taper(req), "Kratom"))
    assert to_ics(held, "Kratom") == to_ics(held, "Kratom")
    assert "Held 7 days" in str(Calendar.from_ical(to_ics(held, "Kratom")).walk("VEVENT")[0]
                                ["description"])
