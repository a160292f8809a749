"""Taper plans: fixed schedules, adaptive holds, adherence and exports.

There are no controlled trials of kratom tapering. The schedules here follow the
nearest published patterns and say so:

- CDC 2022 opioid guideline [ref:cdc-opioids-2022] [V-2nd]: after a year or more of
  use taper about 10% a month or slower; after shorter use about 10% a week; pause or slow the
  taper when withdrawal is significant.
- Kratom community practice [ref:community-taper] [V-2nd, non-clinical]:
  weigh on a 0.1 g scale and cut 5–10% every 5–7 days. That range never draws a pace warning;
  faster plans do.

All arithmetic happens in whole multiples of the measuring precision ("units"), so doses add up
exactly to the day's amount and nothing drifts. A step never cuts more than the rate asks for,
rounded to the grid (see `_next_units`); when the rate would cut less than one unit, the step
cuts exactly one unit so every plan reaches zero. Adaptive plans only ever hold (slow down),
never speed up (our design rule).

Medication plans (kind="medication") are entered by a clinician: name, free-text unit, amount,
rate and step length are all required. The system ships no dosing defaults for medicines. The
medicine's class adds its cautions (care/taper_cautions.py), and a plan with a cut over 25% a
step is saved only with `confirm_large_cuts` (`checked_plan`).

Adaptive plans wait for a check-in: after a hold, or after a severe SOWS, the next step goes
down only when a check-in falls in the window before it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.profile import (
    MAX_DOSES_PER_DAY,
    MAX_YEARS_OF_USE,
    PRODUCTS,
    check_amount,
    check_choice,
    check_number,
    parse_date,
)
from kratom_recovery.care.text import check_characters

# typing.TYPE_CHECKING without importing typing, which costs the command line's start-up
# (`kratom-recovery taper`); mypy treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Final, TypedDict

    from kratom_recovery.care.taper_holds import CheckinSummary, Hold, HoldRule

    class StepDict(TypedDict):
        index: int
        start: str
        end: str
        days: int
        daily_amount: float
        unit: str
        doses: list[float]

    class HoldDict(TypedDict):
        step: int
        start: str
        days: int
        reason: str

    class PlanDict(TypedDict):
        kind: str
        name: str
        product: str | None
        strategy: str
        rate_percent: float
        step_days: int
        precision: float
        jump_off: float
        unit: str
        as_needed: str
        start: str
        steps: list[StepDict]
        end_date: str
        total_days: int
        warnings: list[str]
        notes: list[str]
        holds: list[HoldDict]

KINDS: Final = ("kratom", "medication")
# clinical-linear: the opioid-guidance pace as 10% of the *starting* amount each step, so the
# plan has ten steps (about ten months after a year or more of use) instead of years.
STRATEGIES: Final = ("percent", "linear", "clinical", "clinical-linear")
CLINICAL_STRATEGIES: Final = ("clinical", "clinical-linear")
LINEAR_STRATEGIES: Final = ("linear", "clinical-linear")
# Medicines get no "clinical" preset: it would be a dosing default, and we ship none.
MEDICATION_STRATEGIES: Final = ("percent", "linear")

MAX_STEP_DAYS: Final = 90
# Input-sanity limits, not clinical numbers: they stop typing errors and runaway plans.
MAX_PLAN_DAYS: Final = 3650
MAX_MEDICATION_AMOUNT: Final = 100_000.0
MAX_TEXT: Final = 60
MAX_RULE_TEXT: Final = 500

# CDC 2022 [ref:cdc-opioids-2022] [V-2nd]: ~10% per month after >= 1 year of use, ~10% per
# week otherwise. "A month" is read as 30 days (our reading). The CDC text does not say
# whether 10% is of
# the original or the current dose; we apply it to the current dose, the slower reading.
CLINICAL_RATE_PERCENT: Final = 10.0
CLINICAL_LONG_TERM_YEARS: Final = 1.0
CLINICAL_STEP_DAYS_LONG_TERM: Final = 30
CLINICAL_STEP_DAYS_SHORT_TERM: Final = 7

# percent/linear defaults: the community's headline cut of 5% at the slow end of its
# 5–7 day interval ([ref:community-taper] [V-2nd, non-clinical]).
COMMUNITY_RATE_PERCENT: Final = 5.0
COMMUNITY_STEP_DAYS: Final = 7

# Default measuring precision per unit. 0.1 g is the community's scale [ref:community-taper].
# The mg and tablet values are OUR ASSUMPTIONS [ref:assumption:tablet-precision]: a quarter
# tablet is the smallest practical split with a pill cutter; 1 mg is a placeholder the person
# should replace with what they can measure.
DEFAULT_PRECISION: Final[Mapping[str, float]] = {"g": 0.1, "mg": 1.0, "tablets": 0.25}
ASSUMED_PRECISION_UNITS: Final = ("mg", "tablets")

# The pace warning is kratom-specific: a plan faster than the community's range, a cut above
# 10% or more than 10% per 5 days [ref:community-taper], is warned about. The CDC patterns
# [ref:cdc-opioids-2022] are slower still; a plan between the two gets a note naming the
# clinical pattern, read with the same years-of-use rule as the clinical preset
# (`long_term_use`: unknown years count as a year or more).
COMMUNITY_MAX_RATE_PERCENT: Final = 10.0
COMMUNITY_MIN_STEP_DAYS: Final = 5
# percent per day
PACE_LIMIT_COMMUNITY: Final = Fraction(int(COMMUNITY_MAX_RATE_PERCENT), COMMUNITY_MIN_STEP_DAYS)
PACE_LIMIT_LONG_TERM: Final = Fraction(10, 30)  # percent per day
PACE_LIMIT_SHORT_TERM: Final = Fraction(10, 7)  # percent per day

# ASSUMPTION [ref:assumption:plan-months]: a plan running more than 12 months is warned about
# (long plans are hard to keep up); no source gives a length.
LONG_PLAN_MONTHS: Final = 12
LONG_PLAN_DAYS: Final = 365
# ASSUMPTION [ref:assumption:jump-off-1g]: the clinical presets propose stopping when a leaf or
# capsule plan reaches about 1 g a day; the person may give another jump-off, or 0 for none.
SUGGESTED_JUMP_OFF_G: Final = 1.0
JUMP_OFF_PRODUCTS: Final = ("leaf", "capsules")
# ASSUMPTION [ref:assumption:7oh-doses]: 7-OH wears off within hours (half-life about 5.7 h,
# [ref:tanna2022]), so a 7-OH plan keeps at least two doses a day until the final step.
SEVEN_OH_MIN_DOSES: Final = 2

# Products whose plans always carry the medical-supervision warning: concentrates
# ([ref:sharma2025] [ref:fda-7oh-2025]:
# severe 7-OH withdrawal with intubation, precipitated withdrawal at buprenorphine start, FDA's
# potency statement). "other" is included because we cannot tell how strong it is (our choice).
SUPERVISED_PRODUCTS: Final = ("extract", "7-oh", "other")

SUPPORT_NOTE: Final = (
    "This plan supports your care; it does not replace it. Share it with a doctor or "
    "counsellor, and slow down or pause if withdrawal gets hard."
)
SUPERVISION_WARNING: Final = (
    "Concentrated extracts and 7-OH products can cause severe withdrawal, sometimes needing "
    "hospital care. Please taper this product under medical supervision."
)
OTHER_PRODUCT_WARNING: Final = (
    "We cannot tell how strong this product is. Please taper it under medical supervision."
)


@dataclass(frozen=True)
class TaperRequest:
    """A validated taper request. Build it with `parse_taper_request` or `TaperRequest.parse`."""

    kind: str
    name: str
    product: str | None
    amount_per_day: float
    unit: str
    doses_per_day: int
    strategy: str
    rate_percent: float
    step_days: int
    precision: float
    start: date
    jump_off: float = 0.0
    years_of_use: float | None = None
    as_needed: str = ""  # medication only: the clinician's as-needed/symptom rule, free text
    notes: tuple[str, ...] = ()
    confirm_large_cuts: bool = False  # the second confirmation `checked_plan` asks for

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> TaperRequest:
        return parse_taper_request(data)


@dataclass(frozen=True)
class TaperStep:
    """One step: the same daily amount from `start` to `end` (inclusive)."""

    index: int
    start: date
    end: date
    daily_units: int
    dose_units: tuple[int, ...]
    precision: Fraction
    unit: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    # units × precision as (units × numerator) / denominator: int division rounds correctly,
    # so the float is the one float(units * precision) gives, without a Fraction per value.
    @property
    def daily_amount(self) -> float:
        return self.daily_units * self.precision.numerator / self.precision.denominator

    @property
    def doses(self) -> tuple[float, ...]:
        numerator, denominator = self.precision.numerator, self.precision.denominator
        return tuple(u * numerator / denominator for u in self.dose_units)


@dataclass(frozen=True)
class TaperPlan:
    """Steps from the current amount down to zero; the last step is the first day at zero."""

    request: TaperRequest
    steps: tuple[TaperStep, ...]
    warnings: tuple[str, ...]
    notes: tuple[str, ...] = ()
    holds: tuple[Hold, ...] = ()

    @property
    def start(self) -> date:
        return self.steps[0].start

    @property
    def end_date(self) -> date:
        """The first day at zero."""
        return self.steps[-1].start

    @property
    def total_days(self) -> int:
        """Days on which some amount is still taken."""
        return (self.end_date - self.start).days

    @property
    def unit(self) -> str:
        return self.request.unit

    def as_dict(self) -> PlanDict:
        req = self.request
        return {
            "kind": req.kind,
            "name": req.name,
            "product": req.product,
            "strategy": req.strategy,
            "rate_percent": req.rate_percent,
            "step_days": req.step_days,
            "precision": req.precision,
            "jump_off": req.jump_off,
            "unit": req.unit,
            "as_needed": req.as_needed,
            "start": self.start.isoformat(),
            "steps": [
                {
                    "index": s.index,
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                    "days": s.days,
                    "daily_amount": s.daily_amount,
                    "unit": s.unit,
                    "doses": list(s.doses),
                }
                for s in self.steps
            ],
            "end_date": self.end_date.isoformat(),
            "total_days": self.total_days,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "holds": [
                {"step": h.step, "start": h.start.isoformat(), "days": h.days, "reason": h.reason}
                for h in self.holds
            ],
        }


# ---------------------------------------------------------------------------------------------
# Parsing


def exact(value: float) -> Fraction:
    """The decimal the person typed, exactly (0.1 stays 1/10, not its binary neighbour)."""
    return Fraction(Decimal(repr(value)))


def _decimals(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _parse_date(name: str, value: object) -> date:
    return parse_date(name, value)


def _text(name: str, value: object) -> str:
    """A name or a unit: one line (care.text), 1 to MAX_TEXT characters."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_TEXT:
        raise InvalidInput(name, f"must be text of 1–{MAX_TEXT} characters")
    return check_characters(name, value.strip(), multiline=False)


def _given(data: Mapping[str, Any], key: str) -> bool:
    return data.get(key) not in (None, "")


def parse_taper_request(data: Mapping[str, Any]) -> TaperRequest:
    """Validate a taper request; raise InvalidInput naming the field.

    Keys: kind (kratom|medication, default kratom), product (kratom only), name (medication
    only), amount_per_day, unit, doses_per_day, strategy, rate_percent, step_days, precision,
    jump_off, start (ISO date), years_of_use, as_needed (medication only),
    confirm_large_cuts (true/false). Kratom requests may leave rate, step length and precision
    to the defaults above; medication requests must give them.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput("taper", "must be a JSON object")
    kind = check_choice("kind", data.get("kind") or "kratom", KINDS)
    medication = kind == "medication"
    required = ["amount_per_day", "unit", "doses_per_day", "strategy", "start"]
    required += (
        ["name", "rate_percent", "step_days", "precision"] if medication else ["product"]
    )
    for key in required:
        if not _given(data, key):
            why = " for a medication plan (no defaults for medicines)" if medication else ""
            raise InvalidInput(key, f"is required{why}")
    notes: list[str] = []

    if medication:
        if _given(data, "product"):
            raise InvalidInput("product", "is only for kratom plans; leave it out for medicines")
        name = _text("name", data["name"])
        product = None
        unit = _text("unit", data["unit"])
        amount = check_number(
            "amount_per_day", data["amount_per_day"], low=0, high=MAX_MEDICATION_AMOUNT,
            low_inclusive=False,
        )
        strategy = check_choice("strategy", data["strategy"], MEDICATION_STRATEGIES)
        as_needed = ""
        if _given(data, "as_needed"):
            as_needed = data["as_needed"]
            if not isinstance(as_needed, str) or len(as_needed.strip()) > MAX_RULE_TEXT:
                raise InvalidInput("as_needed", f"must be text of at most {MAX_RULE_TEXT} "
                                   "characters")
            as_needed = check_characters("as_needed", as_needed.strip(), multiline=True)
    else:
        if _given(data, "as_needed"):
            raise InvalidInput("as_needed", "is only for medication plans")
        as_needed = ""
        name = "Kratom" if not _given(data, "name") else _text("name", data["name"])
        product = check_choice("product", data["product"], PRODUCTS)
        unit = check_choice("unit", data["unit"], tuple(DEFAULT_PRECISION))
        amount = check_amount(product, unit, data["amount_per_day"])
        strategy = check_choice("strategy", data["strategy"], STRATEGIES)

    doses = int(check_number("doses_per_day", data["doses_per_day"], low=1,
                             high=MAX_DOSES_PER_DAY, integer=True))
    years = (
        check_number("years_of_use", data["years_of_use"], low=0, high=MAX_YEARS_OF_USE)
        if _given(data, "years_of_use") else None
    )

    if product == "7-oh" and doses < SEVEN_OH_MIN_DOSES:
        raise InvalidInput(
            "doses_per_day", f"a 7-OH plan keeps at least {SEVEN_OH_MIN_DOSES} doses a day "
            "until the last step (7-OH wears off within hours; our assumption, so ask your "
            "clinician)"
        )
    if strategy in CLINICAL_STRATEGIES:
        default_rate = CLINICAL_RATE_PERCENT
        long_term = long_term_use(years)
        default_days = CLINICAL_STEP_DAYS_LONG_TERM if long_term else CLINICAL_STEP_DAYS_SHORT_TERM
        if years is None and not _given(data, "step_days"):
            notes.append(
                "Years of use were not given, so the clinical plan uses the slower pattern "
                "for a year or more of use (about 10% a month)."
            )
    else:
        default_rate, default_days = COMMUNITY_RATE_PERCENT, COMMUNITY_STEP_DAYS
    raw_rate = data["rate_percent"] if _given(data, "rate_percent") else default_rate
    try:
        rate = check_number("rate_percent", raw_rate, low=0, high=100, low_inclusive=False)
    except InvalidInput:
        rate = 100.0
    if rate >= 100:
        raise InvalidInput("rate_percent", f"must be a number above 0 and below 100 "
                           f"(got {raw_rate!r})")
    step_days = int(check_number(
        "step_days", data["step_days"] if _given(data, "step_days") else default_days,
        low=1, high=MAX_STEP_DAYS, integer=True,
    ))

    if _given(data, "precision"):
        precision = check_number("precision", data["precision"], low=0, high=amount,
                                 low_inclusive=False)
    else:
        precision = DEFAULT_PRECISION[unit]
        if precision > amount:
            raise InvalidInput(
                "precision", f"the default {precision:g} {unit} is more than the daily amount; "
                "give a smaller measuring precision"
            )
        if unit in ASSUMED_PRECISION_UNITS:
            notes.append(
                f"Measuring precision {precision:g} {unit} is our assumption, not from a "
                "source; set it to the smallest amount you can really measure."
            )
    if _decimals(precision) > 6:
        raise InvalidInput("precision", "may have at most 6 decimal places")

    if product == "7-oh" and precision * SEVEN_OH_MIN_DOSES > amount:
        raise InvalidInput(
            "precision", f"a 7-OH plan keeps at least {SEVEN_OH_MIN_DOSES} doses a day: give a "
            f"measuring precision of at most {amount / SEVEN_OH_MIN_DOSES:g} {unit}"
        )

    jump_off = 0.0
    if _given(data, "jump_off"):
        jump_off = check_number("jump_off", data["jump_off"], low=0, high=amount)
        if jump_off >= amount:
            raise InvalidInput("jump_off", f"must be below the daily amount {amount:g} {unit}")
    elif (strategy in CLINICAL_STRATEGIES and unit == "g" and product in JUMP_OFF_PRODUCTS
          and amount > SUGGESTED_JUMP_OFF_G):
        jump_off = SUGGESTED_JUMP_OFF_G
        notes.append(
            f"The plan proposes stopping when it reaches about {SUGGESTED_JUMP_OFF_G:g} g a day "
            "(a jump-off point; our assumption, not from a study). Enter another jump-off "
            "amount, or 0 to taper all the way down."
        )

    confirm = data.get("confirm_large_cuts", False)
    if confirm in (None, ""):
        confirm = False
    if not isinstance(confirm, bool):
        raise InvalidInput("confirm_large_cuts", f"must be true or false (got {confirm!r})")

    return TaperRequest(
        kind=kind, name=name, product=product, amount_per_day=amount, unit=unit,
        doses_per_day=doses, strategy=strategy, rate_percent=rate, step_days=step_days,
        precision=precision, start=_parse_date("start", data["start"]), jump_off=jump_off,
        years_of_use=years, as_needed=as_needed, notes=tuple(notes),
        confirm_large_cuts=confirm,
    )


def long_term_use(years: float | None) -> bool:
    """A year or more of use, the CDC's slower pattern; unknown years count as long-term
    (the slower reading). The clinical preset and the pace note both ask this."""
    return years is None or years >= CLINICAL_LONG_TERM_YEARS


# ---------------------------------------------------------------------------------------------
# Planning


def _next_units(
    rate: Fraction, linear: bool, start_units: int, current: int, step: int
) -> tuple[int, bool]:
    """The next step's amount in units, and whether the one-unit tail rule set it.

    percent/clinical: target = current × (1 − rate); linear: target = start × (1 − step × rate).
    The target is rounded UP to the grid, so a cut is never larger than the rate asks for
    (percent) or than its share plus one unit (linear, whose grid points carry over). When
    rounding would leave the amount unchanged, cut exactly one unit so the plan terminates.
    With rate = p/q the target is a/q for a whole a, and ceil(a/q) is -(-a // q): exact, in
    whole numbers (a Fraction a step costs the command line's start-up).
    """
    p, q = rate.numerator, rate.denominator
    scaled = start_units * (q - step * p) if linear else current * (q - p)
    nxt = max(0, -(-scaled // q))
    if nxt >= current:
        return current - 1, True
    return nxt, False


def schedule_units(req: TaperRequest) -> tuple[list[int], list[str]]:
    """Daily amounts in precision units, from the start to zero, plus notes on how."""
    precision = exact(req.precision)
    exact_start = exact(req.amount_per_day)
    start_units = math.floor(exact_start / precision)
    notes: list[str] = []
    decimals = _decimals(req.precision)
    if start_units * precision != exact_start:
        notes.append(
            f"The starting amount was rounded down to {float(start_units * precision):.{decimals}f}"
            f" {req.unit} to match the measuring precision of {req.precision:g} {req.unit}."
        )
    # current × precision <= jump-off, for a whole number current, is current <= this.
    jump_off_units = math.floor(exact(req.jump_off) / precision)
    rate = exact(req.rate_percent) / 100
    linear = req.strategy in LINEAR_STRATEGIES
    amounts = [start_units]
    tail_from: int | None = None
    current = start_units
    while current > 0:
        if current <= jump_off_units:
            nxt = 0
            notes.append(
                f"At {float(current * precision):.{decimals}f} {req.unit}, at or below the "
                f"jump-off amount of {req.jump_off:g} {req.unit}, the next step is zero."
            )
        else:
            nxt, tail = _next_units(rate, linear, start_units, current, len(amounts))
            if tail and tail_from is None:
                tail_from = current
            if req.product == "7-oh" and 0 < nxt < SEVEN_OH_MIN_DOSES:
                nxt = 0
                notes.append(
                    f"At {float(current * precision):.{decimals}f} {req.unit} the next step is "
                    f"zero: a 7-OH plan keeps at least {SEVEN_OH_MIN_DOSES} doses a day until "
                    "its last step, and a smaller amount cannot be split into two."
                )
        amounts.append(nxt)
        current = nxt
        if (len(amounts) - 1) * req.step_days > MAX_PLAN_DAYS:
            raise InvalidInput(
                "rate_percent",
                f"this plan would last more than {MAX_PLAN_DAYS // 365} years; use a larger "
                "rate, shorter steps, a coarser measuring precision or a jump-off amount",
            )
    if tail_from is not None:
        notes.append(
            f"From {float(tail_from * precision):.{decimals}f} {req.unit} on, "
            f"{req.rate_percent:g}% is less than the measuring precision, so each step cuts "
            f"exactly {req.precision:g} {req.unit}."
        )
    return amounts, notes


def split_doses(daily_units: int, doses: int) -> tuple[int, ...]:
    """Share a day's units over its doses; earlier doses take any remainder (sum is exact)."""
    base, extra = divmod(daily_units, doses)
    return tuple(base + (1 if i < extra else 0) for i in range(doses))


def _clinical_pattern(years: float | None) -> str:
    if years is None:
        return "about 10% a month when years of use are not known, as for a year or more"
    if long_term_use(years):
        return "about 10% a month after a year or more of use"
    return "about 10% a week after less than a year of use"


def pace_check(req: TaperRequest) -> tuple[list[str], list[str]]:
    """(warnings, notes) on the pace of a kratom plan; medicines get none (the clinician's).

    Warning: a cut above 10% or faster than 10% per 5 days, outside the range people who
    tapered kratom describe [ref:community-taper]. Note: inside that range but faster than the
    opioid-guidance pattern for the person's years of use [ref:cdc-opioids-2022].
    """
    if req.kind == "medication":
        return [], []
    pace = exact(req.rate_percent) / req.step_days
    clinical = _clinical_pattern(req.years_of_use)
    if req.rate_percent > COMMUNITY_MAX_RATE_PERCENT or pace > PACE_LIMIT_COMMUNITY:
        return [
            f"This pace ({req.rate_percent:g}% every {req.step_days} days) is faster than "
            "people who tapered kratom describe (cuts of 5–10% every 5–7 days), and opioid "
            f"guidance, the nearest clinical pattern, is slower still ({clinical}). Faster "
            "kratom tapers bring more withdrawal; please plan this one with a clinician."
        ], []
    limit = PACE_LIMIT_LONG_TERM if long_term_use(req.years_of_use) else PACE_LIMIT_SHORT_TERM
    if pace <= limit:
        return [], []
    return [], [
        f"This pace is within what people who tapered kratom describe. Opioid guidance, the "
        f"nearest clinical pattern, is slower ({clinical}); the clinical patterns follow it."
    ]


def _warnings(req: TaperRequest, amounts: Sequence[int]) -> list[str]:
    warnings = [SUPPORT_NOTE]
    if req.product in SUPERVISED_PRODUCTS:
        warnings.append(OTHER_PRODUCT_WARNING if req.product == "other" else SUPERVISION_WARNING)
    if req.kind == "medication" or req.product == "7-oh":
        # Here, not at the top: a kratom plan needs neither the cautions nor the medicine table.
        from kratom_recovery.care.taper_cautions import (
            large_cut_text,
            large_cuts,
            medicine_cautions,
        )

        if req.kind == "medication":
            warnings += [c.text for c in medicine_cautions(req.name)]
        cuts = large_cuts(amounts)
        if cuts:
            warnings.append(large_cut_text(cuts))
    return warnings + pace_check(req)[0]


def _long_plan_warning(plan_days: int) -> list[str]:
    """[ref:assumption:plan-months]: more than 12 months is hard to keep up."""
    if plan_days <= LONG_PLAN_DAYS:
        return []
    months = round(plan_days / (LONG_PLAN_DAYS / LONG_PLAN_MONTHS))
    return [
        f"This plan runs about {months} months, more than {LONG_PLAN_MONTHS} (our assumption "
        "for a plan people can keep up). A jump-off point, or the clinical pattern that cuts "
        "10% of the starting amount each step, makes it shorter; talk it over with your care "
        "team."
    ]


def _notes(req: TaperRequest) -> list[str]:
    notes = list(req.notes) + pace_check(req)[1]
    if req.kind == "medication":
        notes.append(
            "Medication schedule entered by a clinician; this system supplies no dosing "
            "defaults for medicines."
        )
        if req.as_needed:
            notes.append(f"As needed (clinician's rule): {req.as_needed}")
    if req.strategy == "linear":
        notes.append(
            "Each step cuts the same amount, so late steps are a larger share of what is left."
        )
    return notes


def _build(
    req: TaperRequest,
    checkins: Sequence[CheckinSummary] | None,
    today: date | None,
    rule: HoldRule | None,
) -> TaperPlan:
    amounts, schedule_notes = schedule_units(req)
    precision = exact(req.precision)
    by_day: dict[date, list[CheckinSummary]] = {}
    for checkin in checkins or ():
        by_day.setdefault(checkin.time.date(), []).append(checkin)

    steps: list[TaperStep] = []
    holds: list[Hold] = []
    warnings = _warnings(req, amounts)
    notes = _notes(req) + schedule_notes
    day = req.start
    wait_for_checkin = False  # set by a hold or a severe score, cleared when a step goes ahead
    for index, units in enumerate(amounts):
        last = index == len(amounts) - 1
        length = 1 if last else req.step_days
        if checkins is not None and today is not None and rule is not None and not last:
            from kratom_recovery.care.taper_holds import hold_step  # adaptive plans only

            length, held, wait_for_checkin = hold_step(
                rule, by_day, index=index, day=day, length=length, today=today,
                step_days=req.step_days, waiting=wait_for_checkin,
            )
            holds += held
            if len(held) >= 2:
                warnings.append(
                    f"Step {index + 1} has been held {len(held)} times. Please talk with your "
                    "care team about how the taper is going."
                )
        steps.append(
            TaperStep(
                index=index, start=day, end=day + timedelta(days=length - 1), daily_units=units,
                dose_units=split_doses(units, req.doses_per_day), precision=precision,
                unit=req.unit,
            )
        )
        day += timedelta(days=length)
    if checkins is not None and today is not None and steps[-1].start > today:
        notes.append(
            f"Dates after {today.isoformat()} assume each step goes ahead; they move later if "
            "check-ins call for a hold."
        )
    if req.kind == "kratom":
        warnings += _long_plan_warning((steps[-1].start - steps[0].start).days)
    return TaperPlan(request=req, steps=tuple(steps), warnings=tuple(warnings),
                     notes=tuple(notes), holds=tuple(holds))


class LargeCutsUnconfirmed(InvalidInput):
    """`checked_plan`'s refusal; `warning` is the large-cut warning alone, for a form that
    shows it beside its confirm box."""

    def __init__(self, warning: str) -> None:
        from kratom_recovery.care.taper_cautions import MAX_CUT_PERCENT

        super().__init__("confirm_large_cuts", warning + f" To save a plan with cuts over "
                         f"{MAX_CUT_PERCENT}% a step, confirm the large cuts "
                         "(confirm_large_cuts).")
        self.warning = warning


def plan_taper(req: TaperRequest) -> TaperPlan:
    """The fixed plan: every step goes ahead on its date."""
    return _build(req, None, None, None)


def checked_plan(req: TaperRequest) -> TaperPlan:
    """The fixed plan, refused when a medicine taper cuts more than 25% in a step and the
    request has no `confirm_large_cuts` (the second confirmation every surface asks for)."""
    plan = plan_taper(req)
    if req.kind == "medication" and not req.confirm_large_cuts:
        from kratom_recovery.care.taper_cautions import large_cut_text, large_cuts

        cuts = large_cuts([s.daily_units for s in plan.steps])
        if cuts:
            raise LargeCutsUnconfirmed(large_cut_text(cuts))
    return plan


def adapt_plan(
    req: TaperRequest,
    checkins: Sequence[CheckinSummary],
    today: date,
    rule: HoldRule | None = None,
) -> TaperPlan:
    """The plan with holds: a step due on or before `today` goes ahead only if the check-ins
    in the `rule.window_days` days before it stayed under both thresholds (highest value
    counts); otherwise the current step is extended by the hold length and checked again.
    `rule` defaults to `taper_holds.DEFAULT_HOLD_RULE`.

    Only check-ins before a step's date decide it, so re-planning later never moves a step
    that already started. No check-ins means no reason to hold. Amounts are those of the fixed
    plan: a plan is never sped up and never stepped back up (our design rule).
    """
    from kratom_recovery.care.taper_holds import DEFAULT_HOLD_RULE  # adaptive plans only

    return _build(req, checkins, today, DEFAULT_HOLD_RULE if rule is None else rule)


def amount_on(plan: TaperPlan, day: date) -> float:
    """The planned daily amount on `day` (zero from the end date on)."""
    if day < plan.start:
        raise InvalidInput("day", f"is before the plan starts on {plan.start.isoformat()}")
    for step in plan.steps:
        if step.start <= day <= step.end:
            return step.daily_amount
    return 0.0


# ---------------------------------------------------------------------------------------------
# Exports


def _doses_text(step: TaperStep, places: int) -> str:
    """The doses at the precision's decimal places (`_decimals`, worked out once a plan)."""
    if step.daily_units == 0:
        return "none"
    return " + ".join(f"{d:.{places}f}" for d in step.doses)


def to_json(plan: TaperPlan) -> str:
    import json  # here, not at the top: the table and calendar outputs start faster

    return json.dumps(plan.as_dict(), indent=2, ensure_ascii=False)


def to_table(plan: TaperPlan) -> str:
    """A plain-text table with the warnings, notes and holds under it."""
    unit = plan.unit
    places = _decimals(plan.request.precision)
    header = ("Step", "From", "To", "Days", f"Per day ({unit})", f"Doses ({unit})")
    rows = [
        (
            str(s.index + 1), s.start.isoformat(), s.end.isoformat(),
            str(s.days) if s.daily_units else "-", f"{s.daily_amount:.{places}f}",
            _doses_text(s, places),
        )
        for s in plan.steps
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(f"{plan.request.name} taper: {plan.total_days} days, zero from "
                 f"{plan.end_date.isoformat()}.")
    for hold in plan.holds:
        lines.append(f"Hold: step {hold.step + 1} extended {hold.days} days from "
                     f"{hold.start.isoformat()}. {hold.reason}")
    lines += [f"Warning: {w}" for w in plan.warnings]
    lines += [f"Note: {n}" for n in plan.notes]
    return "\n".join(lines) + "\n"


def _uid(plan: TaperPlan, name: str, index: int) -> str:
    """Stable across re-plans: same person's plan name, start and step number → same UID, so a
    calendar updates a held step in place instead of adding a duplicate."""
    import hashlib  # here, not at the top: loading OpenSSL slows every other command's start

    key = f"{name}|{plan.request.kind}|{plan.start.isoformat()}|{index}"
    return f"taper-{hashlib.sha256(key.encode()).hexdigest()[:24]}@kratom-recovery"


def to_ics(plan: TaperPlan, name: str, *, stamp: datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per step.

    `stamp` is DTSTAMP (when the file was made); it defaults to the plan start at midnight
    UTC so that the same plan gives the same bytes.
    """
    from icalendar import Calendar, Event  # imported here: only exports need it

    dtstamp = stamp or datetime.combine(plan.start, time(0), tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", "-//kratom-recovery//taper//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{name} taper")
    safety = "\n".join(plan.warnings)
    places = _decimals(plan.request.precision)
    for step in plan.steps:
        event = Event()
        event.add("uid", _uid(plan, name, step.index))
        event.add("dtstamp", dtstamp)
        event.add("dtstart", step.start)
        event.add("dtend", step.end + timedelta(days=1))
        amount = f"{step.daily_amount:.{places}f} {plan.unit}"
        if step.daily_units:
            event.add("summary", f"{name} taper step {step.index + 1}: {amount} a day")
            split = (f"Split into {plan.request.doses_per_day} doses: "
                     f"{_doses_text(step, places)} {plan.unit}.")
        else:
            event.add("summary", f"{name} taper: first day at zero")
            split = "No doses from today."
        held = [h for h in plan.holds if h.step == step.index]
        lines = [f"{amount} a day.", split]
        if plan.request.as_needed and step.daily_units:
            lines.append(f"As needed (clinician's rule): {plan.request.as_needed}")
        lines += [f"Held {h.days} days from {h.start.isoformat()}: {h.reason}" for h in held]
        event.add("description", "\n".join([*lines, "", safety]))
        cal.add_component(event)
    return bytes(cal.to_ical())


__all__ = [
    "LargeCutsUnconfirmed",
    "TaperPlan",
    "TaperRequest",
    "TaperStep",
    "adapt_plan",
    "amount_on",
    "checked_plan",
    "parse_taper_request",
    "plan_taper",
    "split_doses",
    "to_ics",
    "to_json",
    "to_table",
]
