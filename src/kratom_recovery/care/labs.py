"""Laboratory and toxicology results: the default analyte list a program starts from, and
how a result is checked and flagged.

No reference range ships as a fact. Each analyte's range (quantitative) is entered by the
program; without one, a number is recorded and shown unflagged. A qualitative result is
flagged when it is positive: that is what a screen reports, not a clinical cut-off.

Codes: the liver tests, urine hCG and QTc codes were recalled by a clinical reviewer and are
not yet checked on loinc.org, so they are marked UNVERIFIED [ref:loinc-labs]. Standard urine
drug screens do not detect mitragynine or 7-hydroxymitragynine; they need a specific assay
(LC-MS/MS), for which we found no verified LOINC code, so the program enters the code its
laboratory uses [ref:loinc-labs]. The screen analytes below carry no code for the same
reason: a program fills in its laboratory's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

from kratom_recovery.care.errors import InvalidInput

Kind = Literal["qualitative", "quantitative"]
CodeStatus = Literal["unverified", "program", "none"]
QUALITATIVE_RESULTS: Final = ("negative", "positive", "indeterminate")
PANELS: Final[Mapping[str, str]] = {
    "uds": "Urine drug screen",
    "specific": "Kratom alkaloids (specific assay)",
    "liver": "Liver tests",
    "pregnancy": "Pregnancy test",
    "ecg": "ECG",
}
MAX_RESULT: Final = Decimal("999999.99")  # the stored field's size, not a clinical bound


@dataclass(frozen=True)
class Analyte:
    """One analyte a program tests for. `loinc` is empty where the program must supply the
    code; `code_status` says how far the code was checked."""

    code: str  # our slug, stable
    name: str
    panel: str
    kind: Kind
    unit: str = ""  # UCUM unit for quantitative results
    loinc: str = ""
    code_status: CodeStatus = "none"
    specific_assay: bool = False
    note: str = ""


SPECIFIC_NOTE: Final = ("Standard urine drug screens do not detect this: it needs a specific "
                        "assay (LC-MS/MS). Enter the result only from such a test.")

DEFAULT_ANALYTES: Final[tuple[Analyte, ...]] = (
    # A typical immunoassay panel; the program adds, removes and codes these.
    Analyte("opiates", "Opiates", "uds", "qualitative"),
    Analyte("oxycodone", "Oxycodone", "uds", "qualitative"),
    Analyte("fentanyl", "Fentanyl", "uds", "qualitative"),
    Analyte("buprenorphine", "Buprenorphine", "uds", "qualitative"),
    Analyte("methadone", "Methadone", "uds", "qualitative"),
    Analyte("benzodiazepines", "Benzodiazepines", "uds", "qualitative"),
    Analyte("cocaine", "Cocaine", "uds", "qualitative"),
    Analyte("amphetamines", "Amphetamines", "uds", "qualitative"),
    Analyte("cannabinoids", "Cannabinoids (THC)", "uds", "qualitative"),
    Analyte("mitragynine", "Kratom (mitragynine)", "specific", "qualitative",
            code_status="program", specific_assay=True, note=SPECIFIC_NOTE),
    Analyte("7-oh-mitragynine", "7-hydroxymitragynine (7-OH)", "specific", "qualitative",
            code_status="program", specific_assay=True, note=SPECIFIC_NOTE),
    Analyte("alt", "ALT", "liver", "quantitative", "U/L", "1742-6", "unverified"),
    Analyte("ast", "AST", "liver", "quantitative", "U/L", "1920-8", "unverified"),
    Analyte("alp", "Alkaline phosphatase", "liver", "quantitative", "U/L", "6768-6",
            "unverified"),
    Analyte("bilirubin", "Bilirubin, total", "liver", "quantitative", "mg/dL", "1975-2",
            "unverified"),
    Analyte("hcg-urine", "Pregnancy test (urine hCG)", "pregnancy", "qualitative",
            loinc="2106-3", code_status="unverified"),
    Analyte("qtc", "QTc interval", "ecg", "quantitative", "ms", "8636-3", "unverified"),
)

Flag = Literal["high", "low", "positive"]


def check_result(analyte: Analyte, raw: object) -> str | Decimal | None:
    """A typed result: one of QUALITATIVE_RESULTS, or a number for a quantitative analyte.
    None when left blank (not tested)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if analyte.kind == "qualitative":
        text = str(raw).strip().lower()
        if text not in QUALITATIVE_RESULTS:
            raise InvalidInput(analyte.code, f"{analyte.name} must be one of "
                               f"{', '.join(QUALITATIVE_RESULTS)} (got {raw!r})")
        return text
    if isinstance(raw, bool):
        number = None
    else:
        try:
            number = Decimal(str(raw).strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or not 0 <= number <= MAX_RESULT:
        raise InvalidInput(analyte.code, f"{analyte.name} must be a number from 0 to "
                           f"{MAX_RESULT} {analyte.unit} (got {raw!r})")
    return number.quantize(Decimal("0.01"))


def check_range(analyte: Analyte, low: object, high: object) -> tuple[Decimal | None,
                                                                    Decimal | None]:
    """The program's range for a quantitative analyte (either end may be blank)."""
    ends: list[Decimal | None] = []
    for name, raw in (("low", low), ("high", high)):
        value = check_result(Analyte(name, f"{analyte.name} {name} limit", analyte.panel,
                                     "quantitative", analyte.unit), raw)
        assert not isinstance(value, str)
        ends.append(value)
    if (low_v := ends[0]) is not None and (high_v := ends[1]) is not None and low_v >= high_v:
        raise InvalidInput("low", f"the low limit of {analyte.name} must be below the high one")
    if analyte.kind == "qualitative" and any(e is not None for e in ends):
        raise InvalidInput("low", f"{analyte.name} is reported as negative or positive; it "
                           "has no numeric range")
    return ends[0], ends[1]


def flag_result(value: str | Decimal, low: Decimal | None, high: Decimal | None) -> Flag | None:
    """`positive` for a positive qualitative result; `low`/`high` against the program's range
    for a number (strictly outside it); None otherwise or when no range is set."""
    if isinstance(value, str):
        return "positive" if value == "positive" else None
    if high is not None and value > high:
        return "high"
    if low is not None and value < low:
        return "low"
    return None
