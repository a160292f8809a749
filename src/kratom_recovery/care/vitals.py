"""Vital signs at the bedside: what each one is, how it is coded, and which typed values are
plausible at all.

`VITALS` is data. The `low`/`high` bounds are **input plausibility bounds**, there to catch a
typing error (a pulse of 1200, a temperature in °F): they are not clinical thresholds and say
nothing about what is normal [ref:assumption:bedside-input-bounds]. Clinical limits (when a
reading should alert someone) are never built in: the program sets them (program settings:
`pulse_limit`, `fever_c`) or the clinician sets them per patient (`VitalLimits`).

Codes and units are the FHIR vital-signs value set with UCUM units [ref:loinc-vitals].
The COWS resting-pulse bands are from the published form [ref:wesson-ling2003].
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from kratom_recovery.care.errors import InvalidInput


@dataclass(frozen=True)
class Vital:
    """One vital sign: its field name, how it is shown, its code and plausible range."""

    name: str
    label: str
    unit: str  # as shown
    ucum: str  # UCUM code [ref:loinc-vitals]
    loinc: str  # LOINC code [ref:loinc-vitals]
    display: str
    low: float  # input plausibility bound, not a clinical threshold
    high: float
    decimals: int = 0


VITALS: Final[tuple[Vital, ...]] = (
    Vital("pulse", "Pulse", "/min", "/min", "8867-4", "Heart rate", 20, 250),
    Vital("systolic", "Blood pressure, systolic", "mmHg", "mm[Hg]", "8480-6",
          "Systolic blood pressure", 50, 260),
    Vital("diastolic", "Blood pressure, diastolic", "mmHg", "mm[Hg]", "8462-4",
          "Diastolic blood pressure", 20, 160),
    Vital("temperature_c", "Temperature", "°C", "Cel", "8310-5", "Body temperature",
          30, 43, decimals=1),
    Vital("respiratory_rate", "Respiratory rate", "/min", "/min", "9279-1",
          "Respiratory rate", 4, 60),
    Vital("spo2", "Oxygen saturation (SpO2)", "%", "%", "2708-6",
          "Oxygen saturation in arterial blood", 50, 100),
    Vital("weight_kg", "Weight", "kg", "kg", "29463-7", "Body weight", 20, 400, decimals=1),
)
VITAL_BY_NAME: Final[Mapping[str, Vital]] = {v.name: v for v in VITALS}
# FHIR grouping codes [ref:loinc-vitals]: the panel, the blood-pressure panel, and the pulse
# oximetry code sent beside 2708-6 (secondary source, so 2708-6 stays first).
PANEL_LOINC: Final = "85353-1"
BP_PANEL_LOINC: Final = "85354-9"
PULSE_OXIMETRY_LOINC: Final = "59408-5"

Trend = Literal["up", "down", "flat"]


@dataclass(frozen=True)
class VitalsReading:
    """One set of vitals taken at one time; any may be missing, not all."""

    pulse: int | None = None
    systolic: int | None = None
    diastolic: int | None = None
    temperature_c: Decimal | None = None
    respiratory_rate: int | None = None
    spo2: int | None = None
    weight_kg: Decimal | None = None

    def values(self) -> dict[str, float]:
        """The measured values by name (missing ones left out)."""
        return {v.name: float(value) for v in VITALS
                if (value := getattr(self, v.name)) is not None}


def describe(vital: Vital) -> str:
    step = "a whole number" if vital.decimals == 0 else f"a number with up to {vital.decimals} " \
        "decimal place"
    return f"{step} from {vital.low:g} to {vital.high:g} {vital.unit}"


def check_value(vital: Vital, raw: object) -> int | Decimal | None:
    """A typed value as the stored type, or None when left blank; InvalidInput names the
    vital and the plausible range otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise InvalidInput(vital.name, f"{vital.label} must be {describe(vital)} (got {raw!r})")
    try:
        number = Decimal(str(raw).strip()) if isinstance(raw, str | int | float | Decimal) \
            else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InvalidInput(vital.name, f"{vital.label} must be {describe(vital)} (got {raw!r})")
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > vital.decimals and number != number.quantize(Decimal(1).scaleb(-vital.decimals)):
        raise InvalidInput(vital.name, f"{vital.label} must be {describe(vital)} (got {raw!r})")
    if not vital.low <= number <= vital.high:
        raise InvalidInput(
            vital.name,
            f"{vital.label} {number:f} {vital.unit} is outside the range this form accepts "
            f"({vital.low:g}–{vital.high:g} {vital.unit}); check the reading and the unit",
        )
    if vital.decimals == 0:
        return int(number)
    return number.quantize(Decimal(1).scaleb(-vital.decimals))


def check_vitals(data: Mapping[str, object]) -> VitalsReading:
    """A reading from typed values by name: each checked, at least one given, and a blood
    pressure only as a pair with the systolic above the diastolic."""
    unknown = [key for key in data if key not in VITAL_BY_NAME]
    if unknown:
        raise InvalidInput(str(unknown[0]), f"not a vital sign; known: {', '.join(VITAL_BY_NAME)}")
    values = {v.name: check_value(v, data.get(v.name)) for v in VITALS}
    if all(value is None for value in values.values()):
        raise InvalidInput("vitals", "enter at least one vital sign")
    systolic, diastolic = values["systolic"], values["diastolic"]
    if (systolic is None) != (diastolic is None):
        missing = "diastolic" if diastolic is None else "systolic"
        raise InvalidInput(missing, "enter both blood pressure numbers (systolic and diastolic)")
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        raise InvalidInput("diastolic", "the diastolic pressure must be below the systolic")
    return VitalsReading(**values)  # type: ignore[arg-type]


def cows_pulse_score(pulse: int) -> int:
    """COWS item 1 from a resting pulse: 80 or below 0, 81–100 1, 101–120 2, above 120 4
    [ref:wesson-ling2003]."""
    if pulse <= 80:
        return 0
    if pulse <= 100:
        return 1
    if pulse <= 120:
        return 2
    return 4


def trend(values: Sequence[float]) -> Trend | None:
    """Direction of the latest value against the one before (None with fewer than two)."""
    if len(values) < 2:
        return None
    latest, before = values[-1], values[-2]
    if math.isclose(latest, before):
        return "flat"
    return "up" if latest > before else "down"


# --- limits that raise an alert: set by the program or the clinician, never built in -------

LIMIT_NAMES: Final[tuple[tuple[str, str, str], ...]] = (
    # (limit name, vital, direction)
    ("pulse_above", "pulse", "above"),
    ("pulse_below", "pulse", "below"),
    ("systolic_above", "systolic", "above"),
    ("systolic_below", "systolic", "below"),
    ("diastolic_above", "diastolic", "above"),
    ("temperature_above", "temperature_c", "above"),
    ("respiratory_rate_above", "respiratory_rate", "above"),
    ("respiratory_rate_below", "respiratory_rate", "below"),
    ("spo2_below", "spo2", "below"),
)
LIMIT_BY_NAME: Final = {name: (vital, direction) for name, vital, direction in LIMIT_NAMES}


@dataclass(frozen=True)
class Breach:
    """A reading past a limit: which vital, its value, the limit and who set it."""

    vital: str
    value: float
    limit: float
    direction: str  # "above" | "below"
    set_by: str  # "program" | "clinician"

    def describe(self) -> str:
        vital = VITAL_BY_NAME[self.vital]
        return (f"{vital.label} {self.value:g} {vital.unit}, {self.direction} the "
                f"{self.set_by}'s limit of {self.limit:g} {vital.unit}")


def check_limits(data: Mapping[str, object]) -> dict[str, float]:
    """Per-patient limits as typed by a clinician: blank means no limit; each must itself be a
    plausible value of its vital."""
    limits: dict[str, float] = {}
    for key, raw in data.items():
        if key not in LIMIT_BY_NAME:
            raise InvalidInput(str(key), f"not a limit; known: {', '.join(LIMIT_BY_NAME)}")
        vital = VITAL_BY_NAME[LIMIT_BY_NAME[key][0]]
        try:
            value = check_value(vital, raw)
        except InvalidInput as error:
            raise InvalidInput(key, error.message) from None
        if value is not None:
            limits[key] = float(value)
    for pair in ("pulse", "systolic", "respiratory_rate"):
        low, high = limits.get(f"{pair}_below"), limits.get(f"{pair}_above")
        if low is not None and high is not None and low >= high:
            raise InvalidInput(f"{pair}_below", "the lower limit must be below the upper one")
    return limits


def breaches(reading: VitalsReading, *, clinician: Mapping[str, float],
             program: Mapping[str, float]) -> list[Breach]:
    """Each value past a limit. `program` and `clinician` map limit names to values; both
    may be empty (then nothing alerts). Above means strictly above, below strictly below,
    except temperature, where the program's fever line counts at or above it."""
    values = reading.values()
    found: list[Breach] = []
    for set_by, limits in (("program", program), ("clinician", clinician)):
        for name, limit in limits.items():
            vital_name, direction = LIMIT_BY_NAME[name]
            value = values.get(vital_name)
            if value is None:
                continue
            if direction == "above":
                past = value >= limit if vital_name == "temperature_c" and set_by == "program" \
                    else value > limit
            else:
                past = value < limit
            if past:
                found.append(Breach(vital_name, value, limit, direction, set_by))
    return found
