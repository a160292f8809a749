"""MOUD, its referral and naloxone as FHIR R4 resources (plain dicts; `fhir_bundle` and the
discharge document add them).

- A MOUD status is a `MedicationStatement` (started or continuing: active; discussed or
  referred: intended; stopped; declined: not-taken) with the clinician's note and any
  naltrexone caution as notes.
- Its referral is a `ServiceRequest` (to whom as the performer's display, when as authoredOn,
  its state as status: sent or accepted active, first appointment kept completed, missed or
  declined revoked).
- Naloxone offered is a `MedicationRequest` with intent proposal (cancelled when declined),
  prescribed one with intent order, and dispensed a `MedicationDispense` handed over that day.

Medicines are named as text. RxNorm codes are added only where one was verified
(care/medicines.py): none of buprenorphine, methadone, naltrexone or naloxone has one yet, so
they go out as text only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from kratom_recovery.care.fhir_mar import medication_concept
from kratom_recovery.care.fhir_questionnaire import BASE_URL
from kratom_recovery.care.moud import (
    CHECKIN_ANSWERS,
    MEDICATIONS,
    NALOXONE_ACTIONS,
    REFERRAL_STATUSES,
    STATUSES,
)

UuidFor = Callable[[str], str]
MOUD_CATEGORY: Final = f"{BASE_URL}/CodeSystem/moud"
STATEMENT_STATUS: Final = {
    "discussed": "intended", "referred": "intended", "started": "active",
    "continuing": "active", "stopped": "stopped", "declined": "not-taken",
}
REFERRAL_STATUS: Final = {
    "sent": "active", "accepted": "active", "attended": "completed",
    "not-attended": "revoked", "declined": "revoked",
}


@dataclass(frozen=True)
class ExportMoud:
    key: str
    medication: str  # care.moud.MEDICATIONS
    status: str
    on: date
    recorded: datetime
    withdrawal_complete_on: date | None
    referred_to: str
    referred_on: date | None
    referral_status: str
    note: str
    caution: str
    last_checkin: tuple[date, str] | None = None  # (date, care.moud.CHECKIN_ANSWERS key)


@dataclass(frozen=True)
class ExportNaloxone:
    key: str
    action: str  # care.moud.NALOXONE_ACTIONS
    on: date
    recorded: datetime
    note: str


def moud_entries(record: ExportMoud, patient_ref: str,
                 uuid_for: UuidFor) -> list[tuple[str, dict[str, Any]]]:
    """The MedicationStatement, and the ServiceRequest of its referral if there is one."""
    notes = [text for text in (record.note, record.caution) if text]
    if record.withdrawal_complete_on is not None:
        notes.append("Withdrawal recorded complete on "
                     f"{record.withdrawal_complete_on.isoformat()}.")
    if record.last_checkin is not None:
        on, answer = record.last_checkin
        notes.append(f"Last MOUD check-in {on.isoformat()}: {CHECKIN_ANSWERS[answer]}.")
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": STATEMENT_STATUS[record.status],
        "category": {"coding": [{"system": MOUD_CATEGORY, "code": "moud",
                                 "display": "Medication for opioid use disorder"}]},
        "medicationCodeableConcept": medication_concept(record.medication),
        "subject": {"reference": patient_ref},
        "effectiveDateTime": record.on.isoformat(),
        "dateAsserted": record.recorded.isoformat(),
    }
    if record.status == "declined":
        statement["statusReason"] = [{"text": STATUSES["declined"]}]
    if notes:
        statement["note"] = [{"text": text} for text in notes]
    entries = [(uuid_for(f"MedicationStatement/moud/{record.key}"), statement)]
    if record.referral_status:
        referral: dict[str, Any] = {
            "resourceType": "ServiceRequest",
            "status": REFERRAL_STATUS[record.referral_status],
            "intent": "order",
            "category": [{"coding": [{"system": MOUD_CATEGORY, "code": "moud-referral",
                                      "display": "Referral for MOUD"}]}],
            "code": {"text": f"Referral for {MEDICATIONS[record.medication].split(' (')[0]} "
                             "treatment"},
            "subject": {"reference": patient_ref},
            "authoredOn": _iso(record.referred_on),
            "performer": [{"display": record.referred_to}],
            "note": [{"text": REFERRAL_STATUSES[record.referral_status]}],
        }
        entries.append((uuid_for(f"ServiceRequest/moud/{record.key}"), referral))
    return entries


def _iso(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def naloxone_entry(record: ExportNaloxone, patient_ref: str,
                   uuid_for: UuidFor) -> tuple[str, dict[str, Any]]:
    notes = [{"text": record.note}] if record.note else []
    if record.action == "dispensed":
        dispense: dict[str, Any] = {
            "resourceType": "MedicationDispense",
            "status": "completed",
            "medicationCodeableConcept": medication_concept("naloxone"),
            "subject": {"reference": patient_ref},
            "whenHandedOver": record.on.isoformat(),
        }
        if notes:
            dispense["note"] = notes
        return uuid_for(f"MedicationDispense/naloxone/{record.key}"), dispense
    request: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "cancelled" if record.action == "declined" else "active",
        "intent": "order" if record.action == "prescribed" else "proposal",
        "medicationCodeableConcept": medication_concept("naloxone"),
        "subject": {"reference": patient_ref},
        "authoredOn": record.on.isoformat(),
        "note": [{"text": f"Naloxone {NALOXONE_ACTIONS[record.action]}"}, *notes],
    }
    if record.action == "declined":
        request["statusReason"] = {"text": "Declined by the patient"}
    return uuid_for(f"MedicationRequest/naloxone/{record.key}"), request
