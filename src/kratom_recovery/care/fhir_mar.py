"""Comfort-medication orders as FHIR R4 `MedicationRequest`s and the doses recorded against
them as `MedicationAdministration`s (plain dicts; `fhir_bundle.build_bundle` adds them).

The medicine is the generic from the medicine table as text, with an RxNorm coding only where
the code was verified (care/medicines.py). Units are the order's text units; the 24-hour
maximum is `maxDosePerPeriod` over 24 h (UCUM `h`). Held and refused doses are `not-done`
with the reason as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.mar import ROUTES, OrderSpec, rxcui_for

RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM: Final = "http://unitsofmeasure.org"

UuidFor = Callable[[str], str]


@dataclass(frozen=True)
class ExportMedicationOrder:
    key: str
    spec: OrderSpec
    authored: datetime
    active: bool


@dataclass(frozen=True)
class ExportAdministration:
    key: str
    order_key: str
    generic: str
    route: str
    outcome: str  # care.mar.OUTCOMES
    at: datetime
    dose: float
    unit: str
    reason: str


def medication_concept(generic: str) -> dict[str, Any]:
    """The medicine as text, with an RxNorm coding only where one was verified."""
    concept: dict[str, Any] = {"text": generic}
    code = rxcui_for(generic)
    if code:
        concept["coding"] = [{"system": RXNORM, "code": code, "display": generic}]
    return concept


def request_entry(order: ExportMedicationOrder, patient_ref: str,
                  uuid_for: UuidFor) -> tuple[str, dict[str, Any]]:
    spec = order.spec
    dosage: dict[str, Any] = {
        "text": spec.describe(),
        "route": {"text": ROUTES[spec.route]},
        "doseAndRate": [{"doseQuantity": {"value": float(spec.dose), "unit": spec.unit}}],
        "maxDosePerPeriod": {
            "numerator": {"value": float(spec.max_per_24h), "unit": spec.unit},
            "denominator": {"value": 24, "unit": "h", "system": UCUM, "code": "h"},
        },
    }
    repeat: dict[str, Any] = {}
    if spec.times:
        repeat["timeOfDay"] = [f"{t}:00" for t in spec.times]
    if spec.interval_minutes:
        repeat.update(frequency=1, period=spec.interval_minutes, periodUnit="min")
    if repeat:
        dosage["timing"] = {"repeat": repeat}
    if spec.kind == "prn":
        condition = spec.indication + (f" (COWS ≥ {spec.cows_at_least})"
                                       if spec.cows_at_least is not None else "")
        dosage["asNeededCodeableConcept"] = {"text": condition}
    if spec.hold_rules:
        dosage["additionalInstruction"] = [
            {"text": "Hold if " + " or ".join(r.describe() for r in spec.hold_rules)}]
    resource = {
        "resourceType": "MedicationRequest",
        "status": "active" if order.active else "stopped",
        "intent": "order",
        "medicationCodeableConcept": medication_concept(spec.generic),
        "subject": {"reference": patient_ref},
        "authoredOn": order.authored.isoformat(),
        "dosageInstruction": [dosage],
    }
    return uuid_for(f"MedicationRequest/{order.key}"), resource


def administration_entry(dose: ExportAdministration, patient_ref: str,
                         uuid_for: UuidFor) -> tuple[str, dict[str, Any]]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": "completed" if dose.outcome == "given" else "not-done",
        "medicationCodeableConcept": medication_concept(dose.generic),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": dose.at.isoformat(),
        "request": {"reference": uuid_for(f"MedicationRequest/{dose.order_key}")},
        "dosage": {"route": {"text": ROUTES.get(dose.route, dose.route)},
                   "dose": {"value": dose.dose, "unit": dose.unit}},
    }
    if dose.outcome != "given":
        label = "Held" if dose.outcome == "held" else "Refused by the patient"
        resource["statusReason"] = [{"text": f"{label}: {dose.reason}" if dose.reason
                                     else label}]
    return uuid_for(f"MedicationAdministration/{dose.key}"), resource
