"""The pure MAR core: every order field is entered and checked, and a dose recorded as given
is refused by the order's own 24-hour maximum, hold parameters and COWS condition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from kratom_recovery.care import mar
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.vitals import VitalsReading

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def order(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "medicine": "Catapres", "dose": "0.1", "unit": "mg", "route": "oral", "kind": "prn",
        "indication": "restlessness", "cows_at_least": "8", "max_per_24h": "0.3",
        "window_minutes": "60", "interval_minutes": "120",
    }
    return base | overrides


HOLD = [{"vital": "systolic", "comparator": "<", "value": "90"},
        {"vital": "pulse", "comparator": "<", "value": "55"}]


def test_order_resolves_the_generic_and_keeps_every_entry() -> None:
    spec = mar.check_order(order(), HOLD)
    assert spec.generic == "clonidine"
    assert (spec.dose, spec.max_per_24h, spec.cows_at_least) == (Decimal("0.1"),
                                                                 Decimal("0.3"), 8)
    assert [r.describe() for r in spec.hold_rules] == ["Blood pressure, systolic < 90 mmHg",
                                                       "Pulse < 55 /min"]
    assert "hold if" in spec.describe() and "if COWS ≥ 8" in spec.describe()


@pytest.mark.parametrize(("field", "overrides"), [
    ("medicine", {"medicine": "not-a-medicine"}),
    ("dose", {"dose": "0"}),
    ("dose", {"dose": "1.2345"}),
    ("dose", {"dose": ""}),
    ("unit", {"unit": "drops"}),
    ("route", {"route": ""}),
    ("kind", {"kind": "sometimes"}),
    ("indication", {"indication": ""}),
    ("cows_at_least", {"cows_at_least": "49"}),
    ("max_per_24h", {"max_per_24h": "0.05"}),
    ("max_per_24h", {"max_per_24h": ""}),
    ("window_minutes", {"window_minutes": "4"}),
    ("window_minutes", {"window_minutes": "1441"}),
    ("window_minutes", {"window_minutes": ""}),
    ("times", {"times": "08:00"}),
    ("interval_minutes", {"interval_minutes": "14"}),
    ("times", {"kind": "scheduled", "cows_at_least": "", "interval_minutes": ""}),
    ("times", {"kind": "scheduled", "cows_at_least": "", "times": "25:00",
               "interval_minutes": ""}),
    ("cows_at_least", {"kind": "scheduled", "times": "08:00"}),
])
def test_order_refusals_name_the_field(field: str, overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as caught:
        mar.check_order(order(**overrides))
    assert caught.value.field == field


def test_window_bounds_are_inclusive() -> None:
    for ok in (mar.WINDOW_MIN_MINUTES, mar.WINDOW_MAX_MINUTES):
        assert mar.check_order(order(window_minutes=str(ok))).window_minutes == ok


@pytest.mark.parametrize(("row", "field"), [
    ({"vital": "mood", "comparator": "<", "value": "1"}, "hold_0"),
    ({"vital": "pulse", "comparator": "=", "value": "50"}, "hold_0"),
    ({"vital": "pulse", "comparator": "<", "value": "251"}, "hold_0"),
    ({"vital": "pulse", "comparator": "<", "value": ""}, "hold_0"),
])
def test_hold_rows_are_checked(row: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        mar.check_order(order(), [row])
    assert caught.value.field == field
    assert mar.check_order(order(), [{"vital": "", "comparator": "", "value": ""}]
                           ).hold_rules == ()


def context(*, systolic: int | None = 120, pulse: int | None = 80, vitals_age: int = 10,
            cows: int | None = 10, given: str = "0", last: datetime | None = None
            ) -> mar.Context:
    return mar.Context(
        vitals=(NOW - timedelta(minutes=vitals_age),
                VitalsReading(pulse=pulse, systolic=systolic)),
        cows=None if cows is None else (NOW - timedelta(minutes=5), cows),
        given_24h=Decimal(given), last_given=last,
    )


def test_a_dose_within_every_limit_passes() -> None:
    mar.check_given(mar.check_order(order(), HOLD), NOW, context(given="0.2"))


@pytest.mark.parametrize(("ctx", "field", "names"), [
    (context(given="0.25"), "max_per_24h", "0.3 mg per 24 h"),
    (context(systolic=89), "hold:systolic", "systolic < 90 mmHg"),
    (context(pulse=54), "hold:pulse", "Pulse < 55"),
    (context(pulse=None), "hold:pulse", "do not include"),
    (context(vitals_age=61), "vitals", "no vitals in the 60 min"),
    (context(cows=7), "cows_at_least", "COWS ≥ 8"),
    (context(cows=None), "cows_at_least", "no COWS"),
    (context(last=NOW - timedelta(minutes=119)), "interval_minutes", "every 120 min"),
])
def test_a_dose_past_a_limit_is_refused_naming_it(ctx: mar.Context, field: str,
                                                  names: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        mar.check_given(mar.check_order(order(), HOLD), NOW, ctx)
    assert caught.value.field == field and names in caught.value.message


def test_hold_values_at_the_edge() -> None:
    spec = mar.check_order(order(), HOLD)
    mar.check_given(spec, NOW, context(systolic=90, pulse=55))  # "< 90" does not hold 90
    mar.check_given(spec, NOW, context(vitals_age=60, last=NOW - timedelta(minutes=120)))


def test_nearest_cows_before_and_after_within_the_window() -> None:
    series = [(NOW - timedelta(minutes=m), t) for m, t in ((90, 3), (30, 12), (10, 11),
                                                           (-20, 6), (-70, 2))]
    before, after = mar.nearest(series, NOW, 60)
    assert before == (NOW - timedelta(minutes=10), 11)
    assert after == (NOW + timedelta(minutes=20), 6)
    assert mar.nearest(series, NOW, 5) == (None, None)
