"""A person's kratom-use profile: the shared vocabulary of onboarding, timeline, taper and triage.

The vocabularies below are the ones onboarding stores and `kratom-recovery triage` reads
(docs/profile.md). Numeric bounds are input-sanity limits, not clinical thresholds: they
reject typing errors (150 tablets a day, 2,000 g a day) while admitting the highest
documented use (cases above 40 g/day, REF §1.4 and §2.2, Weiss & Douglas 2021).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput

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

# Which units make sense for which product: leaf and capsules are weighed in grams;
# concentrates are labelled in mg or counted as tablets (issue 2, REF §1.5).
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


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidInput(name, f"must be one of {', '.join(allowed)} (got {value!r})")
    return value


def check_number(
    name: str, value: object, *, low: float, high: float, integer: bool = False,
    low_inclusive: bool = True,
) -> float:
    """A finite number within [low, high] (or (low, high] when low_inclusive is False)."""
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
        "amount_per_day", amount, low=0, high=MAX_AMOUNT_PER_DAY[unit], low_inclusive=False
    )


def parse_datetime(name: str, value: object, *, now: datetime | None = None) -> datetime:
    """An ISO 8601 date-time with a UTC offset, not in the future when `now` is given."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput(
                name, f"must be an ISO 8601 date-time such as 2026-11-20T08:00:00+00:00 "
                f"(got {value!r})"
            ) from None
    else:
        raise InvalidInput(name, "must be an ISO 8601 date-time")
    if moment.tzinfo is None:
        raise InvalidInput(name, "must include a UTC offset, e.g. +00:00 or Z")
    if now is not None and moment > now:
        raise InvalidInput(name, "cannot be in the future")
    return moment


def parse_profile(data: Mapping[str, Any], *, now: datetime | None = None) -> UseProfile:
    """Validate a JSON-like profile (docs/profile.md); raise InvalidInput naming the field."""
    if not isinstance(data, Mapping):
        raise InvalidInput("profile", "must be a JSON object")
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
    years = check_number("years_of_use", data["years_of_use"], low=0, high=MAX_YEARS_OF_USE)
    last_dose = data.get("last_dose")
    medications = data.get("medications") or []
    if isinstance(medications, str) or not isinstance(medications, list | tuple):
        raise InvalidInput("medications", "must be a list of names")
    if len(medications) > MAX_MEDICATIONS:
        raise InvalidInput("medications", f"at most {MAX_MEDICATIONS} entries")
    for medicine in medications:
        if not isinstance(medicine, str) or not medicine.strip() or len(medicine) > MAX_TEXT:
            raise InvalidInput("medications", f"each entry must be text of 1–{MAX_TEXT} characters")
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
    )
