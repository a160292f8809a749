"""Taper cautions: medicine classes, large cuts, the 10%-of-start preset, plan length, jump-off,
the pace note, waiting for a check-in after a hold or a severe score, and 7-OH plans.

Each rule has a case that fires it and a near miss that must not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import (
    SUGGESTED_JUMP_OFF_G,
    TaperRequest,
    adapt_plan,
    checked_plan,
    parse_taper_request,
    plan_taper,
)
from kratom_recovery.care.taper_cautions import (
    CAUTION_BY_CLASS,
    MAX_CUT_PERCENT,
    large_cuts,
    medicine_cautions,
)
from kratom_recovery.care.taper_holds import SEVERE_SOWS, CheckinSummary

START = date(2026, 12, 1)


def kratom(**overrides: Any) -> TaperRequest:
    data: dict[str, Any] = {
        "product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
        "strategy": "percent", "rate_percent": 10, "step_days": 7, "start": START.isoformat(),
    }
    data.update(overrides)
    return parse_taper_request({k: v for k, v in data.items() if v is not None})


def medicine(**overrides: Any) -> TaperRequest:
    data: dict[str, Any] = {
        "kind": "medication", "name": "Sertraline", "unit": "mg", "amount_per_day": 100,
        "doses_per_day": 1, "strategy": "percent", "rate_percent": 25, "step_days": 14,
        "precision": 1, "jump_off": 40, "start": START.isoformat(),
    }
    data.update(overrides)
    return parse_taper_request({k: v for k, v in data.items() if v is not None})


def daily(plan: Any) -> list[float]:
    return [s.daily_amount for s in plan.steps]


def at(day: int, sows: int | None, craving: int | None = None) -> CheckinSummary:
    return CheckinSummary(datetime(2026, 12, day, 20, tzinfo=UTC), sows, craving)


# --- medicine classes ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "classes"),
    [
        ("Xanax 1mg", ["benzodiazepine"]),
        ("clonazepam", ["benzodiazepine"]),
        ("Catapres", ["alpha2-agonist"]),
        ("lofexidine", ["alpha2-agonist"]),
        ("Lyrica", ["gabapentinoid"]),
        ("gabapentin 300 mg", ["gabapentinoid"]),
        ("oxycodone", ["opioid"]),
        ("sertraline", []),            # a class with no taper caution here
        ("vitamin D", []),             # not in the medicine table
    ],
)
def test_medicine_class_cautions(name: str, classes: list[str]) -> None:
    assert [c.cls for c in medicine_cautions(name)] == classes
    plan = plan_taper(medicine(name=name, rate_percent=10, jump_off=None, precision=0.5))
    for cls in classes:
        assert CAUTION_BY_CLASS[cls].text in plan.warnings
    assert not any(c.text in plan.warnings for c in CAUTION_BY_CLASS.values()
                   if c.cls not in classes)


def test_cautions_cite_a_source_and_label_what_is_unverified() -> None:
    for caution in CAUTION_BY_CLASS.values():
        assert caution.source.startswith("[ref:")
        if "assumption" in caution.source:
            assert "not from our kratom sources" in caution.text


# --- large cuts: warning and second confirmation -------------------------------------------------

@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ([100, 75, 57, 43, 33, 0], []),          # 25% exactly is not over; the stop never counts
        ([100, 74, 0], [(1, 26.0)]),
        ([4, 3, 2, 1, 0], [(2, 33.3), (3, 50.0)]),
        ([5, 0], []),
    ],
)
def test_large_cuts(amounts: list[int], expected: list[tuple[int, float]]) -> None:
    assert [(c.step, round(c.percent, 1)) for c in large_cuts(amounts)] == expected


def test_medicine_cut_over_25_percent_needs_confirmation() -> None:
    fine = medicine()  # 100 → 75 → 57 → 43 → 33 → 0 mg: no cut over 25%
    assert daily(checked_plan(fine)) == [100, 75, 57, 43, 33, 0]
    assert not any("more than 25%" in w for w in checked_plan(fine).warnings)

    steep = medicine(rate_percent=26)  # 100 → 74: a 26% cut
    assert any("more than 25%" in w for w in plan_taper(steep).warnings)
    with pytest.raises(InvalidInput) as caught:
        checked_plan(steep)
    assert caught.value.field == "confirm_large_cuts"
    assert "confirm_large_cuts" in caught.value.message and "26%" in caught.value.message
    confirmed = medicine(rate_percent=26, confirm_large_cuts=True)
    assert daily(checked_plan(confirmed))[:2] == [100, 74]


def test_kratom_plans_need_no_confirmation() -> None:
    # A leaf plan's tail (0.3 → 0.2 g) cuts a third, but only medicines ask to confirm.
    plan = checked_plan(kratom(amount_per_day=1))
    assert 0.3 in daily(plan) and 0.2 in daily(plan)


@pytest.mark.parametrize("value", ["yes", 1, [True]])
def test_confirm_large_cuts_must_be_a_boolean(value: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        medicine(confirm_large_cuts=value)
    assert caught.value.field == "confirm_large_cuts"


# --- the 10%-of-start preset, plan length and the jump-off ---------------------------------------

def test_clinical_linear_cuts_ten_percent_of_the_start() -> None:
    req = kratom(strategy="clinical-linear", amount_per_day=20, rate_percent=None,
                 step_days=None, years_of_use=3)
    assert (req.rate_percent, req.step_days) == (10, 30)
    plan = plan_taper(req)
    assert daily(plan) == [20.0, 18.0, 16.0, 14.0, 12.0, 10.0, 8.0, 6.0, 4.0, 2.0, 0.0]
    assert plan.total_days == 300
    assert not any("months, more than" in w for w in plan.warnings)
    short = plan_taper(kratom(strategy="clinical-linear", rate_percent=None, step_days=None,
                              years_of_use=0.5))
    assert short.request.step_days == 7


def test_plans_over_twelve_months_are_warned_about() -> None:
    # The current-dose clinical preset from 20 g runs years, even with the 1 g jump-off.
    long = plan_taper(kratom(strategy="clinical", amount_per_day=20, rate_percent=None,
                             step_days=None))
    assert long.total_days > 365
    assert any("months, more than 12" in w for w in long.warnings)
    # 10 equal steps: 36 days each is 360 days (no warning), 37 days is 370 (warning).
    for step_days, warned in ((36, False), (37, True)):
        plan = plan_taper(kratom(strategy="linear", precision=1, step_days=step_days))
        assert plan.total_days == 10 * step_days
        assert any("months, more than 12" in w for w in plan.warnings) == warned


def test_medicine_plans_get_no_plan_length_warning() -> None:
    plan = plan_taper(medicine(rate_percent=1, step_days=30, jump_off=None))
    assert plan.total_days > 365
    assert not any("months, more than" in w for w in plan.warnings)


@pytest.mark.parametrize(
    ("overrides", "jump_off"),
    [
        ({"strategy": "clinical"}, SUGGESTED_JUMP_OFF_G),
        ({"strategy": "clinical-linear", "amount_per_day": 5}, SUGGESTED_JUMP_OFF_G),
        ({"strategy": "clinical", "product": "capsules"}, SUGGESTED_JUMP_OFF_G),
        ({"strategy": "clinical", "jump_off": 0}, 0.0),           # overridden: taper to zero
        ({"strategy": "clinical", "jump_off": 2.5}, 2.5),         # overridden: another point
        ({"strategy": "clinical", "amount_per_day": 1}, 0.0),     # already at about 1 g
        ({"strategy": "clinical", "product": "extract"}, 0.0),    # 1 g of extract is not leaf
        ({"strategy": "percent"}, 0.0),                           # only the clinical presets
    ],
)
def test_suggested_jump_off(overrides: dict[str, Any], jump_off: float) -> None:
    base = {"rate_percent": None, "step_days": None}
    plan = plan_taper(kratom(**{**base, **overrides}))
    assert plan.request.jump_off == jump_off
    suggested = any("proposes stopping" in n for n in plan.notes)
    assert suggested == (jump_off == SUGGESTED_JUMP_OFF_G and "jump_off" not in overrides)
    if jump_off:
        last = daily(plan)[-2]
        assert 0 < last <= jump_off * 1.1 + 0.1  # the last amount before zero is near the point
    else:
        assert daily(plan)[-2] == plan.request.precision
    assert plan.as_dict()["jump_off"] == jump_off


# --- the pace warning agrees with the preset -----------------------------------------------------

@pytest.mark.parametrize("years", [None, 0.5, 3])
@pytest.mark.parametrize(("rate", "days"), [(5, 7), (5, 5), (10, 7), (10, 5), (7.5, 6)])
def test_community_pace_is_never_warned_about(years: float | None, rate: float,
                                              days: int) -> None:
    plan = plan_taper(kratom(rate_percent=rate, step_days=days, years_of_use=years))
    assert not any("faster than" in w for w in plan.warnings)


@pytest.mark.parametrize("years", [None, 0.5, 3])
@pytest.mark.parametrize("strategy", ["clinical", "clinical-linear"])
def test_presets_are_never_warned_about(years: float | None, strategy: str) -> None:
    plan = plan_taper(kratom(strategy=strategy, rate_percent=None, step_days=None,
                             years_of_use=years))
    assert not any("faster than" in w for w in plan.warnings)
    assert not any("Opioid guidance" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("years", "pattern", "note"),
    [
        (None, "about 10% a month when years of use are not known", True),  # as the preset
        (3, "about 10% a month after a year or more", True),
        (0.5, "", False),  # 10% a week is the short-term pattern itself
    ],
)
def test_unknown_years_read_as_the_preset_reads_them(years: float | None, pattern: str,
                                                     note: bool) -> None:
    preset = kratom(strategy="clinical", rate_percent=None, step_days=None, years_of_use=years)
    plan = plan_taper(kratom(years_of_use=years))  # 10% every 7 days
    assert any("Opioid guidance" in n for n in plan.notes) == note
    assert (preset.step_days == 30) == note
    if note:
        assert any(pattern in n for n in plan.notes)
    fast = plan_taper(kratom(rate_percent=20, years_of_use=years))
    warning = next(w for w in fast.warnings if "faster than" in w)
    assert "people who tapered kratom" in warning and "5–10% every 5–7 days" in warning
    if pattern:
        assert pattern in warning


# --- after a hold or a severe score, a step down waits for a check-in ---------------------------

def test_after_a_hold_the_next_step_waits_for_a_checkin() -> None:
    req = kratom()
    # Dec 6 is bad: step 2 (Dec 8) holds to Dec 15. No check-in Dec 12–14: it holds again.
    plan = adapt_plan(req, [at(6, 15)], today=date(2026, 12, 20))
    assert [h.start for h in plan.holds] == [date(2026, 12, 8), date(2026, 12, 15)]
    assert "no check-in" in plan.holds[1].reason and "after a hold" in plan.holds[1].reason
    # Near miss: a calm check-in on Dec 14 lets the step go ahead on Dec 15.
    plan = adapt_plan(req, [at(6, 15), at(14, 4)], today=date(2026, 12, 20))
    assert [h.start for h in plan.holds] == [date(2026, 12, 8)]
    assert plan.steps[1].start == date(2026, 12, 15)
    # Once a step went ahead, the next one needs no check-in again (Dec 22 passes).
    later = adapt_plan(req, [at(6, 15), at(14, 4)], today=date(2026, 12, 28))
    assert len(later.holds) == 1 and later.steps[2].start == date(2026, 12, 22)


@pytest.mark.parametrize(("sows", "held"), [(SEVERE_SOWS, True), (SEVERE_SOWS - 1, False)])
def test_after_a_severe_score_the_next_step_waits_for_a_checkin(sows: int, held: bool) -> None:
    # Dec 3 is outside the window before Dec 8 (Dec 5–7), and there is no check-in in it.
    plan = adapt_plan(kratom(), [at(3, sows)], today=date(2026, 12, 10))
    assert bool(plan.holds) == held
    if held:
        assert "severe withdrawal score" in plan.holds[0].reason
    # With a check-in in the window the step goes ahead either way.
    plan = adapt_plan(kratom(), [at(3, sows), at(6, 5)], today=date(2026, 12, 10))
    assert plan.holds == ()


def test_waiting_for_a_checkin_is_never_in_the_future() -> None:
    plan = adapt_plan(kratom(), [at(6, 15)], today=date(2026, 12, 14))
    assert [h.start for h in plan.holds] == [date(2026, 12, 8)]  # Dec 15 is not here yet


# --- 7-OH plans -----------------------------------------------------------------------------------

def seven_oh(**overrides: Any) -> TaperRequest:
    base: dict[str, Any] = {"product": "7-oh", "unit": "mg", "amount_per_day": 60,
                            "precision": 1, "rate_percent": 10}
    return kratom(**{**base, **overrides})


def test_seven_oh_keeps_two_doses_a_day() -> None:
    with pytest.raises(InvalidInput) as caught:
        seven_oh(doses_per_day=1)
    assert caught.value.field == "doses_per_day" and "at least 2 doses" in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        seven_oh(amount_per_day=1.5)  # 1 mg precision: one unit a day cannot be split
    assert caught.value.field == "precision"
    plan = plan_taper(seven_oh())
    assert daily(plan)[-3:] == [3.0, 2.0, 0.0]  # never a 1 mg day
    for step in plan.steps[:-1]:
        assert len([d for d in step.doses if d > 0]) >= 2
    assert any("at least 2 doses a day" in n for n in plan.notes)
    # Near miss: leaf keeps its one-unit tail down to 0.1 g.
    assert daily(plan_taper(kratom(amount_per_day=1)))[-2] == 0.1


def test_seven_oh_cuts_over_25_percent_are_warned_about() -> None:
    assert any(f"more than {MAX_CUT_PERCENT}%" in w for w in plan_taper(seven_oh()).warnings)
    # Near miss: stopping at 5 mg (a jump-off) keeps every cut under 25%.
    calm = plan_taper(seven_oh(jump_off=5))
    assert not any(f"more than {MAX_CUT_PERCENT}%" in w for w in calm.warnings)
    # Leaf plans with the same tail get no such warning.
    assert not any("more than 25%" in w for w in plan_taper(kratom(amount_per_day=1)).warnings)
