"""A person's kratom-use profile: the shared vocabulary of onboarding, timeline, taper and triage.

The vocabularies below are the ones onboarding stores and `kratom-recovery triage` reads
(docs/profile.md). Numeric bounds are input-sanity limits, not clinical thresholds: they
reject typing errors (150 tablets a day, 2,000 g a day) while admitting the highest
documented use (cases above 40 g/day, [ref:weiss-douglas2021]).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.text import check_characters

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see care/taper.py)
if TYPE_CHECKING:
    from typing import Any, Final

PRODUCTS: Final = ("leaf", "capsules", "extract", "7-oh", "other")
UNITS: Final = ("g", "mg", "tablets")
OTHER_SUBSTANCES: Final = (
    "alcohol",
    "benzodiazepines",
    "opioids",
    "gabapentinoids",
    "other-sedatives",
    "stimulants",
    "cannabis",
    "nicotine",
)
CONDITIONS: Final = (
    "chronic-pain",
    "depression",
    "anxiety",
    "bipolar",
    "ptsd",
    "psychosis",
    "seizures",
    "heart-disease",
    "liver-disease",
    "pregnancy",
    "opioid-use-disorder-history",
    "other-sud-history",
)
SUPPORT_LEVELS: Final = ("none", "some", "strong")
GOALS: Final = ("taper", "stop")
# Used only to choose the AUDIT-C cut-off (care/instruments/audit_c.py); optional.
SEXES: Final = ("female", "male")

# Physical dependence on alcohol or benzodiazepines, asked separately because AUDIT-C measures
# risky drinking, not dependence [ref:bush1998]. Our own wording; the web form shows `text`.
DEPENDENCE_QUESTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("daily-drinking", "I drink alcohol every day or nearly every day."),
    ("daily-benzodiazepines",
     "I take a benzodiazepine (such as Xanax, Klonopin or Valium) every day or nearly every "
     "day, prescribed or not."),
    ("morning-use",
     "I drink or take a benzodiazepine in the morning to steady my nerves or stop the shakes."),
    ("past-withdrawal",
     "I have had shakes, sweats, or seen or heard things that were not there when I cut down "
     "or stopped alcohol or a benzodiazepine."),
    ("past-withdrawal-seizure",
     "I have had a seizure when I cut down or stopped alcohol or a benzodiazepine."),
)
DEPENDENCE_SIGNS: Final = tuple(q[0] for q in DEPENDENCE_QUESTIONS)

# Which units make sense for which product: leaf and capsules are weighed in grams;
# concentrates are labelled in mg or counted as tablets (7-OH products come as tablets,
# gummies and shots [ref:fda-7oh-2025]).
UNITS_FOR_PRODUCT: Final[Mapping[str, tuple[str, ...]]] = {
    "leaf": ("g",),
    "capsules": ("g",),
    "extract": ("g", "mg", "tablets"),
    "7-oh": ("mg", "tablets"),
    "other": UNITS,
}

# Largest amount per day accepted per unit (sanity limits, see module docstring).
MAX_AMOUNT_PER_DAY: Final[Mapping[str, float]] = {"g": 250.0, "mg": 5000.0, "tablets": 60.0}
MAX_DOSES_PER_DAY: Final = 24
MAX_YEARS_OF_USE: Final = 60.0
MAX_PREVIOUS_ATTEMPTS: Final = 100
MAX_MEDICATIONS: Final = 30
MAX_TEXT: Final = 200
# Date-times accepted from outside (parse_datetime): a shape, an offset and a time range.
# The patterns are compiled on first use (re caches them), not by every command at start-up.
DATETIME_PATTERN: Final = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"
)
DATETIME_EXAMPLE: Final = "2026-11-20T08:00:00+00:00"
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)  # no record of ours is older
MAX_UTC_OFFSET: Final = timedelta(hours=14)  # Line Islands, +14:00; the most west is -12:00
FUTURE_SLACK: Final = timedelta(days=1)  # clocks that run ahead; a day keeps typos out
DATE_PATTERN: Final = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
LATEST_DATE: Final = date(2099, 12, 31)
# Decimal places the database keeps (UseProfile.amount_per_day, UseEvent.amount: 2;
# years_of_use: 1); more are refused rather than rounded away.
AMOUNT_DECIMALS: Final = 2
YEARS_DECIMALS: Final = 1


@dataclass(frozen=True)
class UseProfile:
    """What a person told us about their kratom use and their risks."""

    product: str
    amount_per_day: float
    unit: str
    doses_per_day: int
    years_of_use: float
    last_dose: datetime | None = None
    other_substances: frozenset[str] = frozenset()
    medications: tuple[str, ...] = ()
    conditions: frozenset[str] = frozenset()
    age: int | None = None
    support: str = "some"
    previous_attempts: int = 0
    goal: str = "taper"
    dependence: frozenset[str] = frozenset()  # DEPENDENCE_SIGNS answered yes
    sex: str | None = None  # SEXES; only picks the AUDIT-C cut-off


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(name, f"must be one of {', '.join(allowed)} (got {value!r})")
    return value


def decimal_places(value: object) -> int:
    """How many decimals `value` was written with (0.10 -> 1, 1e-3 -> 3, 15 -> 0)."""
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        exponent = Decimal(text).normalize().as_tuple().exponent
    except ArithmeticError:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_number(
    name: str, value: object, *, low: float, high: float, integer: bool = False,
    low_inclusive: bool = True, decimals: int | None = None,
) -> float:
    """A finite number within [low, high] (or (low, high] when low_inclusive is False).

    `decimals` refuses more decimal places than are stored: rounding 0.001 to the stored
    two places would silently turn it into 0."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(name, f"must be a number (got {value!r})")
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(name, f"must be a number (got {value!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise InvalidInput(name, "must be a finite number")
    if integer and not number.is_integer():
        raise InvalidInput(name, f"must be a whole number (got {value!r})")
    if decimals is not None and decimal_places(value) > decimals:
        places = "a whole number" if decimals == 0 else (
            f"at most {decimals} decimal place{'s' if decimals > 1 else ''}")
        raise InvalidInput(name, f"must have {places} (got {value!r})")
    too_low = number < low if low_inclusive else number <= low
    if too_low or number > high:
        lower = "from" if low_inclusive else "above"
        raise InvalidInput(name, f"must be {lower} {low:g} up to {high:g} (got {value!r})")
    return number


def check_set(name: str, value: object, allowed: tuple[str, ...]) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise InvalidInput(name, "must be a list")
    unknown = sorted(str(v) for v in value if v not in allowed)
    if unknown:
        raise InvalidInput(
            name, f"unknown value {unknown[0]!r}; allowed: {', '.join(allowed)}"
        )
    return frozenset(str(v) for v in value)


def check_amount(product: str, unit: str, amount: object) -> float:
    if unit not in UNITS_FOR_PRODUCT[product]:
        raise InvalidInput(
            "unit",
            f"{unit!r} does not fit product {product!r}; use "
            f"{' or '.join(UNITS_FOR_PRODUCT[product])}",
        )
    return check_number(
        "amount_per_day", amount, low=0, high=MAX_AMOUNT_PER_DAY[unit], low_inclusive=False,
        decimals=AMOUNT_DECIMALS,
    )


def _datetime_text(name: str, value: str) -> datetime:
    if not re.fullmatch(DATETIME_PATTERN, value):
        raise InvalidInput(
            name, f"must be an ISO 8601 date-time with a UTC offset, such as "
            f"{DATETIME_EXAMPLE} or 2026-11-20T08:00:00Z (got {value[:40]!r})"
        )
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # the shape fits but the calendar does not (month 13, 24:00)
        raise InvalidInput(name, f"is not a real date and time (got {value[:40]!r})") from None


def parse_datetime(
    name: str, value: object, *, now: datetime | None = None, latest: datetime | None = None
) -> datetime:
    """The one reader of date-times from outside (API, forms, CLI files; docs/api.md).

    Text must be ISO 8601 with an explicit UTC offset (`DATETIME_PATTERN`); numbers are
    refused, never read as Unix time. The offset must be within ±14:00, the largest in use
    (PostgreSQL refuses ±16:00 and beyond). The moment must lie from 2000-01-01T00:00:00Z
    up to one day after now (`now`, else the clock), or up to `latest` when given, and not
    after `now` when `now` is given (a dose taken "tomorrow" is a typing error).
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        moment = _datetime_text(name, value.strip())
    else:
        kind = "a number" if isinstance(value, int | float) else type(value).__name__
        raise InvalidInput(name, f"must be ISO 8601 date-time text such as "
                           f"{DATETIME_EXAMPLE}, not {kind}")
    offset = moment.utcoffset()
    if offset is None:
        raise InvalidInput(name, "must include a UTC offset, e.g. +00:00 or Z")
    if abs(offset) > MAX_UTC_OFFSET:
        raise InvalidInput(name, "the UTC offset must be within -14:00 and +14:00")
    if moment < EARLIEST:
        raise InvalidInput(name, "must not be before 2000-01-01T00:00:00Z")
    if now is not None and moment > now:
        raise InvalidInput(name, "cannot be in the future")
    upper = latest or (now or datetime.now(UTC)) + FUTURE_SLACK
    if moment > upper:
        raise InvalidInput(name, "must not be more than one day after now"
                           if latest is None else f"must not be after {upper.isoformat()}")
    return moment


def parse_date(name: str, value: object) -> date:
    """A calendar date as ISO 8601 text (2026-12-01), from 2000-01-01 to 2099-12-31.

    Numbers are refused, never read as Unix time; the range keeps plans built from the
    date far from the end of the calendar."""
    if isinstance(value, datetime):
        raise InvalidInput(name, "must be a date such as 2026-12-01, not a date-time")
    if isinstance(value, str) and re.fullmatch(DATE_PATTERN, value.strip()):
        text = value.strip()
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise InvalidInput(name, f"is not a real date (got {text!r})") from None
    if not isinstance(value, date):
        shown = value[:40] if isinstance(value, str) else value
        raise InvalidInput(name, f"must be a date such as 2026-12-01 (got {shown!r})")
    if not EARLIEST.date() <= value <= LATEST_DATE:
        raise InvalidInput(name, "must be from 2000-01-01 to 2099-12-31")
    return value


# Fields docs/profile.md gives as numbers; the whole numbers among them.
NUMBER_FIELDS: Final = ("amount_per_day", "years_of_use")
WHOLE_NUMBER_FIELDS: Final = ("doses_per_day", "age", "previous_attempts")


def check_json_numbers(data: Mapping[str, Any]) -> None:
    """JSON numbers where the format says number, as the API's schema insists: "15" is text.
    (Web forms read text and convert it; they call parse_profile without `strict`.)"""
    for name in (*NUMBER_FIELDS, *WHOLE_NUMBER_FIELDS):
        value = data.get(name)
        whole = name in WHOLE_NUMBER_FIELDS
        kind = "a whole number" if whole else "a number"
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(name, f"must be {kind}, not {type(value).__name__} "
                               f"(got {value!r})")
        if whole and not isinstance(value, int):
            raise InvalidInput(name, f"must be {kind}, without a decimal point (got {value!r})")


def parse_profile(data: Mapping[str, Any], *, now: datetime | None = None,
                  strict: bool = False) -> UseProfile:
    """Validate a JSON-like profile (docs/profile.md); raise InvalidInput naming the field.

    `strict` (JSON files) refuses text where a number is documented (check_json_numbers)."""
    if not isinstance(data, Mapping):
        raise InvalidInput("profile", "must be a JSON object")
    if strict:
        check_json_numbers(data)
    for required in ("product", "amount_per_day", "unit", "doses_per_day", "years_of_use"):
        if data.get(required) in (None, ""):
            raise InvalidInput(required, "is required")
    product = check_choice("product", data["product"], PRODUCTS)
    unit = check_choice("unit", data["unit"], UNITS)
    amount = check_amount(product, unit, data["amount_per_day"])
    doses = int(
        check_number("doses_per_day", data["doses_per_day"], low=1, high=MAX_DOSES_PER_DAY,
                     integer=True)
    )
    years = check_number("years_of_use", data["years_of_use"], low=0, high=MAX_YEARS_OF_USE,
                         decimals=YEARS_DECIMALS)
    last_dose = data.get("last_dose")
    medications = data.get("medications") or []
    if isinstance(medications, str) or not isinstance(medications, list | tuple):
        raise InvalidInput("medications", "must be a list of names")
    if len(medications) > MAX_MEDICATIONS:
        raise InvalidInput("medications", f"at most {MAX_MEDICATIONS} entries")
    for index, medicine in enumerate(medications):
        if not isinstance(medicine, str) or not medicine.strip() or len(medicine) > MAX_TEXT:
            raise InvalidInput("medications", f"each entry must be text of 1–{MAX_TEXT} characters")
        check_characters(f"medications.{index}", medicine.strip(), multiline=False)
    age = data.get("age")
    return UseProfile(
        product=product,
        amount_per_day=amount,
        unit=unit,
        doses_per_day=doses,
        years_of_use=years,
        last_dose=None if last_dose in (None, "") else parse_datetime("last_dose", last_dose,
                                                                     now=now),
        other_substances=check_set(
            "other_substances", data.get("other_substances"), OTHER_SUBSTANCES
        ),
        medications=tuple(m.strip() for m in medications),
        conditions=check_set("conditions", data.get("conditions"), CONDITIONS),
        age=None if age in (None, "") else int(check_number("age", age, low=12, high=120,
                                                            integer=True)),
        support=check_choice("support", data.get("support", "some"), SUPPORT_LEVELS),
        previous_attempts=int(
            check_number("previous_attempts", data.get("previous_attempts", 0), low=0,
                         high=MAX_PREVIOUS_ATTEMPTS, integer=True)
        ),
        goal=check_choice("goal", data.get("goal", "taper"), GOALS),
        dependence=check_set("dependence", data.get("dependence"), DEPENDENCE_SIGNS),
        sex=None if data.get("sex") in (None, "") else check_choice("sex", data["sex"], SEXES),
    )
