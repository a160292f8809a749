"""Program settings the safety rules read: thresholds a program may adjust, within bounds.

Each setting is data (`SETTINGS`) with a default, the range a program may choose from, and
where the default comes from. Most have no published source and are labelled assumptions
[ref:assumptions]; the bounds keep a typing error from switching a rule off (a COWS threshold of
48 would never fire). A test checks every setting is documented in docs/safety.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Final

from kratom_recovery.care.errors import InvalidInput


@dataclass(frozen=True)
class Setting:
    name: str
    default: float
    low: float
    high: float
    unit: str
    meaning: str
    source: str
    integer: bool = True


SETTINGS: Final[tuple[Setting, ...]] = (
    Setting("cows_review_at", 13, 8, 25, "COWS points",
            "A COWS total at or above this asks for a clinician review and at least "
            "medically managed outpatient care (level 1.7).",
            "13 is where COWS's moderate band starts [ref:wesson-ling2003]; using it as the "
            "review line is a program setting [ref:assumption:cows-review]"),
    Setting("pulse_limit", 120, 100, 150, "beats per minute",
            "A resting pulse above this raises the fast-pulse warning.",
            "COWS scores a resting pulse above 120 highest [ref:wesson-ling2003]; the warning "
            "line is a program setting [ref:assumption:pulse-limit]"),
    Setting("pulse_limit_heart", 100, 80, 120, "beats per minute",
            "The same, for a person with heart disease.",
            "[ref:assumption:heart-pulse]"),
    Setting("fever_c", 38.0, 37.5, 39.0, "°C",
            "A measured temperature at or above this is a fever (hot flushes and sweating are "
            "withdrawal symptoms, not fever).",
            "[ref:assumption:fever-38]", integer=False),
    Setting("lost_tolerance_days", 7, 1, 30, "days",
            "After this many days without kratom, a return to use warns about lost tolerance "
            "for every product (for 7-OH or opioids it always warns).",
            "[ref:assumption:lost-tolerance-days] (lost tolerance after a break: "
            "[ref:cdc-opioids-2022])"),
    Setting("audit_c_men", 4, 3, 6, "AUDIT-C points",
            "AUDIT-C total at or above this is positive for men.",
            "[ref:bush1998]; some studies use 5, so it is a setting"),
    Setting("audit_c_women", 3, 2, 5, "AUDIT-C points",
            "AUDIT-C total at or above this is positive for women, and when sex is not given "
            "(the lower cut-off, so no one is missed).",
            "[ref:bradley2003]; the unknown-sex choice is ours [ref:assumption:audit-c-sex]"),
)
SETTING_BY_NAME: Final[Mapping[str, Setting]] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class ProgramSettings:
    """The settings in force; every value is checked against its bounds when built."""

    cows_review_at: float = 13
    pulse_limit: float = 120
    pulse_limit_heart: float = 100
    fever_c: float = 38.0
    lost_tolerance_days: float = 7
    audit_c_men: float = 4
    audit_c_women: float = 3

    def __post_init__(self) -> None:
        for item in fields(self):
            check_setting(item.name, getattr(self, item.name))


def check_setting(name: str, value: object) -> float:
    setting = SETTING_BY_NAME[name]
    field = f"settings.{name}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, f"must be a number from {setting.low:g} to "
                           f"{setting.high:g} (got {value!r})")
    if value != value or not setting.low <= value <= setting.high:
        raise InvalidInput(field, f"must be from {setting.low:g} to {setting.high:g} "
                           f"{setting.unit} (got {value!r})")
    if setting.integer and not float(value).is_integer():
        raise InvalidInput(field, f"must be a whole number (got {value!r})")
    return float(value)


DEFAULT_SETTINGS: Final = ProgramSettings()


def parse_settings(data: object) -> ProgramSettings:
    """Settings from a JSON-like object; unknown names are refused with the allowed list."""
    if data is None:
        return DEFAULT_SETTINGS
    if isinstance(data, ProgramSettings):
        return data
    if not isinstance(data, Mapping):
        raise InvalidInput("settings", "must be an object of setting name -> number")
    for key in data:
        if key not in SETTING_BY_NAME:
            raise InvalidInput("settings", f"unknown setting {key!r}; allowed: "
                               f"{', '.join(SETTING_BY_NAME)}")
    return ProgramSettings(**{str(k): v for k, v in data.items()})


# Input-sanity limits for measured vital signs (typing errors, not clinical thresholds); the
# daily-extra pulse item uses the same pulse range.
PULSE_MIN: Final = 30
PULSE_MAX: Final = 220
TEMPERATURE_MIN_C: Final = 30.0
TEMPERATURE_MAX_C: Final = 45.0
