"""Comfort-medication orders and the administration record (MAR) during supervised withdrawal.

Nothing here is a dose, a threshold or an interval: the clinician enters every one of them on
the order (the drug from the coded medicine table, dose, unit, route, schedule or as-needed
condition, the maximum per 24 hours, the hold parameters and the window in which vitals and
COWS count as current). This module checks what was typed, and when a nurse records a dose as
given it checks the order's own limits against the latest readings: a dose past the 24-hour
maximum, a hold parameter met, a COWS condition not met, or no current reading is refused with
the parameter named, so the nurse records it as held instead. The input bounds only catch
typing errors [ref:assumption:bedside-input-bounds].
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from kratom_recovery.care.bedside import check_interval
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.medicines import NAMES
from kratom_recovery.care.vitals import VITAL_BY_NAME, VitalsReading, check_value

Kind = Literal["scheduled", "prn"]

UNITS: Final = ("mg", "mcg", "g", "mL", "tablet", "capsule", "patch", "spray", "unit")
ROUTES: Final[Mapping[str, str]] = {
    "oral": "by mouth", "sublingual": "under the tongue", "buccal": "buccal",
    "transdermal": "skin patch", "topical": "on the skin", "intranasal": "nasal",
    "intramuscular": "into a muscle", "intravenous": "into a vein",
    "subcutaneous": "under the skin", "rectal": "rectal",
}
OUTCOMES: Final[Mapping[str, str]] = {
    "given": "given", "held": "held", "refused": "refused by the patient"}
COMPARATORS: Final[Mapping[str, str]] = {"<": "below", "<=": "at or below", ">": "above",
                                         ">=": "at or above"}
HOLD_VITALS: Final = ("pulse", "systolic", "diastolic", "respiratory_rate", "spo2",
                      "temperature_c")
MAX_HOLD_RULES: Final = 6
MAX_TIMES: Final = 8
# Typing-error bounds, not clinical ones [ref:assumption:bedside-input-bounds].
AMOUNT_MAX: Final = Decimal(100000)
WINDOW_MIN_MINUTES: Final = 5
WINDOW_MAX_MINUTES: Final = 24 * 60
COWS_MAX: Final = 48
TEXT_MAX: Final = 200
TIME_RE: Final = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY: Final = timedelta(hours=24)

_GENERIC_BY_NAME: Final[Mapping[str, str]] = {n.name.lower(): n.generic for n in NAMES}
_RXCUI: Final[Mapping[str, str]] = {n.generic: n.rxcui for n in NAMES
                                    if n.rxcui and n.name == n.generic}


@dataclass(frozen=True)
class HoldRule:
    """Hold the dose when the vital compares so to the value (e.g. systolic < 90)."""

    vital: str
    comparator: str
    value: Decimal

    def met_by(self, measured: Decimal) -> bool:
        return {"<": measured < self.value, "<=": measured <= self.value,
                ">": measured > self.value, ">=": measured >= self.value}[self.comparator]

    def describe(self) -> str:
        vital = VITAL_BY_NAME[self.vital]
        return f"{vital.label} {self.comparator} {self.value:f} {vital.unit}"

    def as_dict(self) -> dict[str, str]:
        return {"vital": self.vital, "comparator": self.comparator, "value": f"{self.value:f}"}


@dataclass(frozen=True)
class OrderSpec:
    """A checked order, everything entered by the clinician."""

    generic: str
    dose: Decimal
    unit: str
    route: str
    kind: Kind
    times: tuple[str, ...]
    interval_minutes: int | None
    indication: str
    cows_at_least: int | None
    max_per_24h: Decimal
    hold_rules: tuple[HoldRule, ...]
    window_minutes: int

    def dose_text(self) -> str:
        return f"{self.dose.normalize():f} {self.unit}"

    def describe(self) -> str:
        """The order in one line, as a nurse reads it."""
        parts = [f"{self.generic} {self.dose:f} {self.unit} {ROUTES[self.route]}"]
        if self.kind == "scheduled":
            if self.times:
                parts.append("at " + ", ".join(self.times))
        else:
            parts.append("as needed for " + self.indication)
            if self.cows_at_least is not None:
                parts.append(f"if COWS ≥ {self.cows_at_least}")
        if self.interval_minutes:
            parts.append(("every" if self.kind == "scheduled" else "at most every")
                         + f" {self.interval_minutes} min")
        parts.append(f"max {self.max_per_24h:f} {self.unit} per 24 h")
        if self.hold_rules:
            parts.append("hold if " + " or ".join(r.describe() for r in self.hold_rules))
        return "; ".join(parts)


def resolve_medicine(raw: object) -> str:
    """The recognised generic for a name from the medicine table (generic, brand or street)."""
    name = str(raw or "").strip().lower()
    generic = _GENERIC_BY_NAME.get(name)
    if generic is None:
        raise InvalidInput("medicine", f"choose a medicine from the list (got {raw!r})")
    return generic


def rxcui_for(generic: str) -> str | None:
    """The generic's RxNorm code where one was verified (care/medicines.py), else None."""
    return _RXCUI.get(generic)


def check_amount(field: str, raw: object) -> Decimal:
    """A positive amount with up to three decimals, as typed."""
    text = str(raw if raw is not None else "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    exponent = value.as_tuple().exponent if value.is_finite() else 0
    if (not value.is_finite() or value <= 0 or value > AMOUNT_MAX
            or (isinstance(exponent, int) and exponent < -3)):
        raise InvalidInput(field, f"enter an amount above 0 and up to {AMOUNT_MAX:f}, with "
                           f"at most 3 decimals (got {raw!r})")
    return value.normalize() if value == value.to_integral() else value


def _choice(field: str, raw: object, allowed: Sequence[str]) -> str:
    value = str(raw or "").strip()
    if value not in allowed:
        raise InvalidInput(field, f"choose one of {', '.join(allowed)} (got {raw!r})")
    return value


def _text(field: str, raw: object, required: bool) -> str:
    value = str(raw or "").strip()
    if required and not value:
        raise InvalidInput(field, "enter it")
    if len(value) > TEXT_MAX:
        raise InvalidInput(field, f"use at most {TEXT_MAX} characters")
    return value


def check_times(raw: object) -> tuple[str, ...]:
    """Scheduled clock times, 'HH:MM' separated by commas or spaces, sorted."""
    text = str(raw or "").replace(",", " ")
    times = sorted(set(text.split()))
    if len(times) > MAX_TIMES or not all(TIME_RE.match(t) for t in times):
        raise InvalidInput("times", f"enter up to {MAX_TIMES} times as HH:MM, e.g. 08:00 20:00 "
                           f"(got {raw!r})")
    return tuple(times)


def check_window(raw: object) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not WINDOW_MIN_MINUTES <= int(text) <= WINDOW_MAX_MINUTES:
        raise InvalidInput("window_minutes", f"enter whole minutes from {WINDOW_MIN_MINUTES} "
                           f"to {WINDOW_MAX_MINUTES} (got {raw!r})")
    return int(text)


def check_hold_rules(rows: Sequence[Mapping[str, object]]) -> tuple[HoldRule, ...]:
    """Hold parameters: a vital, a comparator and a value, each in the vital's input range.
    Rows left wholly blank are skipped."""
    rules: list[HoldRule] = []
    for index, row in enumerate(rows):
        vital, comparator, value = (str(row.get(k) or "").strip()
                                    for k in ("vital", "comparator", "value"))
        if not (vital or comparator or value):
            continue
        field = f"hold_{index}"
        if vital not in HOLD_VITALS:
            raise InvalidInput(field, f"choose a vital: {', '.join(HOLD_VITALS)}")
        if comparator not in COMPARATORS:
            raise InvalidInput(field, f"choose a comparison: {' '.join(COMPARATORS)}")
        try:
            checked = check_value(VITAL_BY_NAME[vital], value)
        except InvalidInput as error:
            raise InvalidInput(field, error.message) from None
        if checked is None:
            raise InvalidInput(field, "enter the value to hold at")
        rules.append(HoldRule(vital, comparator, Decimal(checked)))
    if len(rules) > MAX_HOLD_RULES:
        raise InvalidInput("hold", f"enter at most {MAX_HOLD_RULES} hold parameters")
    return tuple(rules)


def check_order(data: Mapping[str, object],
                hold_rows: Sequence[Mapping[str, object]] = ()) -> OrderSpec:
    """Every field of an order as typed; InvalidInput names the first one that is wrong."""
    generic = resolve_medicine(data.get("medicine"))
    dose = check_amount("dose", data.get("dose"))
    unit = _choice("unit", data.get("unit"), UNITS)
    route = _choice("route", data.get("route"), tuple(ROUTES))
    kind: Kind = "prn" if _choice("kind", data.get("kind"), ("scheduled", "prn")) == "prn" \
        else "scheduled"
    times = check_times(data.get("times"))
    try:
        interval = check_interval(data.get("interval_minutes"))
    except InvalidInput as error:
        raise InvalidInput("interval_minutes", error.message) from None
    indication = _text("indication", data.get("indication"), required=kind == "prn")
    cows_raw = str(data.get("cows_at_least") or "").strip()
    cows: int | None = None
    if cows_raw:
        if kind != "prn":
            raise InvalidInput("cows_at_least", "a COWS condition belongs to an as-needed order")
        if not cows_raw.isdigit() or int(cows_raw) > COWS_MAX:
            raise InvalidInput("cows_at_least", f"enter a COWS total from 0 to {COWS_MAX}")
        cows = int(cows_raw)
    if kind == "scheduled":
        if not times and interval is None:
            raise InvalidInput("times", "a scheduled order needs clock times or an interval")
        if times and interval is not None:
            raise InvalidInput("interval_minutes", "enter clock times or an interval, not both")
    elif times:
        raise InvalidInput("times", "an as-needed order has no clock times")
    max_24h = check_amount("max_per_24h", data.get("max_per_24h"))
    if max_24h < dose:
        raise InvalidInput("max_per_24h", "the 24-hour maximum is less than one dose")
    return OrderSpec(
        generic=generic, dose=dose, unit=unit, route=route, kind=kind, times=times,
        interval_minutes=interval, indication=indication, cows_at_least=cows,
        max_per_24h=max_24h, hold_rules=check_hold_rules(hold_rows),
        window_minutes=check_window(data.get("window_minutes")),
    )


@dataclass(frozen=True)
class Context:
    """What the check of a dose reads: the latest vitals and COWS at or before the dose
    time, the amount given in the 24 hours before it, and the last dose given."""

    vitals: tuple[datetime, VitalsReading] | None
    cows: tuple[datetime, int] | None
    given_24h: Decimal
    last_given: datetime | None


def _fmt(when: datetime) -> str:
    return when.strftime("%H:%M")


def check_given(spec: OrderSpec, at: datetime, context: Context) -> None:
    """Refuse a dose recorded as given that the order's own limits forbid, naming the
    parameter. The nurse then records it as held (with the reason) instead."""
    window = timedelta(minutes=spec.window_minutes)
    total = context.given_24h + spec.dose
    if total > spec.max_per_24h:
        raise InvalidInput("max_per_24h", (
            f"this dose would make {total:f} {spec.unit} in the 24 hours to {_fmt(at)}; the "
            f"order's maximum is {spec.max_per_24h:f} {spec.unit} per 24 h. Record it as held."))
    if spec.kind == "prn" and spec.interval_minutes and context.last_given is not None:
        earliest = context.last_given + timedelta(minutes=spec.interval_minutes)
        if at < earliest:
            raise InvalidInput("interval_minutes", (
                f"the last dose was at {_fmt(context.last_given)}; the order allows one every "
                f"{spec.interval_minutes} min, so not before {_fmt(earliest)}."))
    if spec.hold_rules:
        names = ", ".join(sorted({VITAL_BY_NAME[r.vital].label for r in spec.hold_rules}))
        if context.vitals is None or at - context.vitals[0] > window:
            raise InvalidInput("vitals", (
                f"the order has hold parameters ({names}) and there are no vitals in the "
                f"{spec.window_minutes} min before {_fmt(at)}. Take vitals first."))
        taken, reading = context.vitals
        for rule in spec.hold_rules:
            measured = getattr(reading, rule.vital)
            if measured is None:
                raise InvalidInput(f"hold:{rule.vital}", (
                    f"the order holds on {VITAL_BY_NAME[rule.vital].label}, which the vitals "
                    f"at {_fmt(taken)} do not include. Take it first."))
            if rule.met_by(Decimal(measured)):
                raise InvalidInput(f"hold:{rule.vital}", (
                    f"hold parameter met: {rule.describe()} (measured {measured} at "
                    f"{_fmt(taken)}). Record the dose as held."))
    if spec.cows_at_least is not None:
        if context.cows is None or at - context.cows[0] > window:
            raise InvalidInput("cows_at_least", (
                f"the order is for COWS ≥ {spec.cows_at_least} and there is no COWS in the "
                f"{spec.window_minutes} min before {_fmt(at)}. Rate COWS first."))
        if context.cows[1] < spec.cows_at_least:
            raise InvalidInput("cows_at_least", (
                f"COWS at {_fmt(context.cows[0])} was {context.cows[1]}; the order is for "
                f"COWS ≥ {spec.cows_at_least}. Record the dose as held."))


def nearest(times: Sequence[tuple[datetime, int]], at: datetime, window_minutes: int
            ) -> tuple[tuple[datetime, int] | None, tuple[datetime, int] | None]:
    """The COWS nearest before and after a dose, each within the order's window."""
    window = timedelta(minutes=window_minutes)
    before = [t for t in times if at - window <= t[0] <= at]
    after = [t for t in times if at < t[0] <= at + window]
    return (max(before, key=lambda t: t[0]) if before else None,
            min(after, key=lambda t: t[0]) if after else None)
