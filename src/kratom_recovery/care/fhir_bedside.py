"""Bedside vital signs and laboratory results as FHIR R4 `Observation`s (plain dicts).

Vitals follow the FHIR vital-signs profiles: a panel (85353-1) whose members are the single
measurements, blood pressure as one Observation (85354-9) with systolic and diastolic
components, category `vital-signs`, UCUM units [ref:loinc-vitals]. Lab results take category
`laboratory`, the analyte's LOINC code where the program has one (the recalled codes are
UNVERIFIED, [ref:loinc-labs]) beside our own analyte code, and an interpretation flag when
the result is outside the program's range or positive.

`fhir_bundle.build_bundle` adds these to the patient bundle; ids come from its `entry_uuid`
(passed in as `uuid_for`), so exporting twice gives the same bundle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.fhir_questionnaire import BASE_URL
from kratom_recovery.care.labs import PANELS
from kratom_recovery.care.vitals import (
    BP_PANEL_LOINC,
    PANEL_LOINC,
    PULSE_OXIMETRY_LOINC,
    VITAL_BY_NAME,
)

LOINC: Final = "http://loinc.org"
UCUM_SYSTEM: Final = "http://unitsofmeasure.org"
CATEGORY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
ANALYTE_SYSTEM: Final = f"{BASE_URL}/CodeSystem/lab-analytes"
RESULT_SYSTEM: Final = f"{BASE_URL}/CodeSystem/lab-qualitative-results"
PROFILE: Final = "http://hl7.org/fhir/StructureDefinition/"
# The FHIR R4 vital-signs profile of each measurement.
PROFILES: Final[Mapping[str, str]] = {
    "panel": "vitalspanel", "pulse": "heartrate", "bp": "bp", "temperature_c": "bodytemp",
    "respiratory_rate": "resprate", "spo2": "oxygensat", "weight_kg": "bodyweight",
}
FLAG_CODES: Final[Mapping[str, tuple[str, str]]] = {
    "high": ("H", "High"), "low": ("L", "Low"), "positive": ("POS", "Positive"),
}

UuidFor = Callable[[str], str]


@dataclass(frozen=True)
class ExportVitals:
    """One set of vitals: measured values by `care.vitals` name, when they were taken."""

    key: str
    taken_at: datetime
    values: Mapping[str, float]


@dataclass(frozen=True)
class ExportLab:
    """One lab result. `value` is a number or one of `care.labs.QUALITATIVE_RESULTS`."""

    key: str
    analyte: str
    name: str
    panel: str
    loinc: str
    unit: str
    value: float | str
    flag: str | None
    low: float | None
    high: float | None
    collected_at: datetime


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY_SYSTEM, "code": code, "display": display}]}]


def _quantity(value: float, unit: str, ucum: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM_SYSTEM, "code": ucum}


def _vital(kind: str, code: dict[str, Any], taken: str, patient_ref: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "meta": {"profile": [PROFILE + PROFILES[kind]]},
        "status": "final",
        "category": _category("vital-signs", "Vital Signs"),
        "code": code,
        "subject": {"reference": patient_ref},
        "effectiveDateTime": taken,
    }


def _coding(code: str, display: str) -> dict[str, Any]:
    return {"system": LOINC, "code": code, "display": display}


def vitals_entries(vitals: ExportVitals, patient_ref: str,
                   uuid_for: UuidFor) -> list[tuple[str, dict[str, Any]]]:
    """The panel and one Observation per measurement (blood pressure as one)."""
    taken = vitals.taken_at.isoformat()
    members: list[tuple[str, dict[str, Any]]] = []
    values = vitals.values
    for name, value in values.items():
        if name in ("systolic", "diastolic"):
            continue
        vital = VITAL_BY_NAME[name]
        codings = [_coding(vital.loinc, vital.display)]
        if name == "spo2":
            codings.append(_coding(PULSE_OXIMETRY_LOINC, "Oxygen saturation by pulse oximetry"))
        resource = _vital(name, {"coding": codings, "text": vital.label}, taken, patient_ref)
        resource["valueQuantity"] = _quantity(value, vital.unit, vital.ucum)
        members.append((uuid_for(f"Observation/vitals/{vitals.key}/{name}"), resource))
    if "systolic" in values and "diastolic" in values:
        resource = _vital("bp", {"coding": [_coding(BP_PANEL_LOINC, "Blood pressure panel")],
                                 "text": "Blood pressure"}, taken, patient_ref)
        resource["component"] = [
            {"code": {"coding": [_coding(VITAL_BY_NAME[part].loinc,
                                         VITAL_BY_NAME[part].display)]},
             "valueQuantity": _quantity(values[part], "mmHg", VITAL_BY_NAME[part].ucum)}
            for part in ("systolic", "diastolic")
        ]
        members.append((uuid_for(f"Observation/vitals/{vitals.key}/bp"), resource))
    panel = _vital("panel", {"coding": [_coding(PANEL_LOINC, "Vital signs panel")],
                             "text": "Vital signs"}, taken, patient_ref)
    panel["hasMember"] = [{"reference": url} for url, _ in members]
    return [(uuid_for(f"Observation/vitals/{vitals.key}"), panel), *members]


def lab_entry(lab: ExportLab, patient_ref: str,
              uuid_for: UuidFor) -> tuple[str, dict[str, Any]]:
    """One result as a laboratory Observation."""
    codings = [{"system": ANALYTE_SYSTEM, "code": lab.analyte, "display": lab.name}]
    if lab.loinc:
        codings.insert(0, {"system": LOINC, "code": lab.loinc, "display": lab.name})
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("laboratory", "Laboratory"),
        "code": {"coding": codings, "text": f"{lab.name} ({PANELS.get(lab.panel, lab.panel)})"},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": lab.collected_at.isoformat(),
    }
    if isinstance(lab.value, str):
        resource["valueCodeableConcept"] = {
            "coding": [{"system": RESULT_SYSTEM, "code": lab.value,
                        "display": lab.value.capitalize()}],
            "text": lab.value.capitalize(),
        }
    else:
        quantity: dict[str, Any] = {"value": lab.value}
        if lab.unit:
            quantity.update(unit=lab.unit, system=UCUM_SYSTEM, code=lab.unit)
        resource["valueQuantity"] = quantity
        if lab.low is not None or lab.high is not None:
            limits: dict[str, Any] = {"text": "The program's range"}
            for end, value in (("low", lab.low), ("high", lab.high)):
                if value is not None:
                    limits[end] = {k: v for k, v in quantity.items() if k != "value"} | {
                        "value": value}
            resource["referenceRange"] = [limits]
    if lab.flag is not None and lab.flag in FLAG_CODES:
        code, display = FLAG_CODES[lab.flag]
        resource["interpretation"] = [{"coding": [
            {"system": INTERPRETATION_SYSTEM, "code": code, "display": display}]}]
    return uuid_for(f"Observation/lab/{lab.key}"), resource
