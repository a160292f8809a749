"""The discharge and transition summary as a FHIR R4 document: a `Bundle` of type document
whose first entry is a `Composition` typed LOINC 18842-5 "Discharge summary"
[ref:loinc-discharge], then the Patient and the resources its sections point to (the
medicines given as `MedicationAdministration`s, MOUD and naloxone, care/fhir_moud.py).

Each section carries the same words as the printed page as its narrative, so a receiving
system that only shows narratives shows the summary. Sections have titles and no section
codes: we have no verified LOINC section codes, so none is borrowed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from typing import Any, Final

from kratom_recovery.care.discharge import Summary
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bundle import (
    NAMESPACE,
    NOTICE_EXTENSION,
    PSEUDONYM_SYSTEM,
    V3_ACT_CODE,
    ExportPatient,
    entry_uuid,
)
from kratom_recovery.care.fhir_mar import ExportAdministration, administration_entry
from kratom_recovery.care.fhir_moud import (
    ExportMoud,
    ExportNaloxone,
    moud_entries,
    naloxone_entry,
)

LOINC: Final = "http://loinc.org"
DISCHARGE_SUMMARY: Final = "18842-5"  # [ref:loinc-discharge]
XHTML: Final = "http://www.w3.org/1999/xhtml"
TITLE: Final = "Discharge and transition summary"


def _div(lines: Sequence[str]) -> dict[str, str]:
    body = "".join(f"<p>{escape(line)}</p>" for line in lines) or "<p>None recorded.</p>"
    return {"status": "generated", "div": f'<div xmlns="{XHTML}">{body}</div>'}


def _when(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.isoformat()


def course_lines(summary: Summary) -> list[str]:
    stay = summary.stay
    lines = [f"Admitted {stay.admitted.isoformat()}, discharged {stay.discharged.isoformat()} "
             f"({stay.days} days) to {stay.destination}."]
    if summary.cows is not None:
        c = summary.cows
        lines.append(f"Highest COWS {c.total}/{c.max_total} ({c.band}) at {_when(c.at)}, "
                     f"of {c.count} assessments.")
    if summary.sows is not None:
        s = summary.sows
        lines.append(f"Highest SOWS {s.total}/{s.max_total} ({s.band}) at {_when(s.at)}, "
                     f"of {summary.checkins} check-ins.")
    if summary.vitals:
        ranges = "; ".join(f"{v.label} {v.text()}" for v in summary.vitals)
        lines.append(f"Vital signs over {summary.vital_sets} sets: {ranges}.")
    if stay.course_note:
        lines.append(stay.course_note)
    return lines


def medicine_lines(summary: Summary) -> list[str]:
    return [f"{m.description}: given {m.given}× ({m.total})"
            + (f", held {m.held}" if m.held else "") + (f", refused {m.refused}"
                                                      if m.refused else "")
            for m in summary.medicines]


def decision_lines(summary: Summary) -> list[str]:
    lines = [f"{_when(d.at)}: level {d.level} {d.name} ({d.by}): {d.reason}"
             for d in summary.decisions]
    if summary.suggestion:
        lines.append(summary.suggestion)
    return lines


def followup_lines(summary: Summary) -> list[str]:
    return [f"{_when(f.at) if f.has_time else f.at.isoformat()}: {f.text}"
            for f in summary.followups]


def relapse_lines(summary: Summary) -> list[str]:
    plan = summary.relapse
    if plan is None:
        return list(summary.withheld) or ["No relapse plan written."]
    parts = [("Triggers", plan.triggers), ("Warning signs", plan.warning_signs),
             ("What helps", plan.coping_actions), ("People to call", plan.people)]
    lines = [f"{name}: {', '.join(items)}" for name, items in parts if items]
    if plan.naloxone:
        lines.append(f"Naloxone kept: {plan.naloxone}")
    return lines or ["The relapse plan is empty."]


def build_document(summary: Summary, patient: ExportPatient, *, key: str, now: datetime,
                   moud: Sequence[ExportMoud] = (), naloxone: Sequence[ExportNaloxone] = (),
                   administrations: Sequence[ExportAdministration] = (),
                   notice: str = "") -> dict[str, Any]:
    """The document Bundle. `key` names this summary (its ids are stable for it)."""
    if now.tzinfo is None:
        raise InvalidInput("now", "must include a UTC offset")
    pseudonym = patient.pseudonym

    def uuid_for(name: str) -> str:
        return entry_uuid(pseudonym, f"discharge/{key}/{name}")

    patient_ref = uuid_for("Patient")
    patient_resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": pseudonym}]}
    if patient.display_name:
        patient_resource["name"] = [{"text": patient.display_name}]
    given = [d for d in administrations if d.outcome == "given"]
    med_entries = [administration_entry(d, patient_ref, uuid_for) for d in given]
    for _url, resource in med_entries:
        resource.pop("request", None)  # the order itself is in the patient bundle, not here
    moud_refs = [e for record in moud for e in moud_entries(record, patient_ref, uuid_for)]
    moud_refs += [naloxone_entry(kit, patient_ref, uuid_for) for kit in naloxone]

    def section(title: str, lines: Sequence[str],
                entries: Sequence[tuple[str, dict[str, Any]]] = ()) -> dict[str, Any]:
        found: dict[str, Any] = {"title": title, "text": _div(lines)}
        if entries:
            found["entry"] = [{"reference": url} for url, _ in entries]
        return found

    composition: dict[str, Any] = {
        "resourceType": "Composition",
        "identifier": {"system": PSEUDONYM_SYSTEM, "value": str(uuid.uuid5(
            NAMESPACE, f"{pseudonym}/discharge/{key}"))},
        "status": "final",
        "type": {"coding": [{"system": LOINC, "code": DISCHARGE_SUMMARY,
                             "display": "Discharge summary"}], "text": TITLE},
        "subject": {"reference": patient_ref},
        "date": now.isoformat(),
        "author": [{"display": summary.clinician}],
        "title": TITLE,
        "event": [{"period": {"start": summary.stay.admitted.isoformat(),
                              "end": summary.stay.discharged.isoformat()}}],
        "section": [
            section("Course", course_lines(summary)),
            section("Medicines given", medicine_lines(summary), med_entries),
            section("Level-of-care decisions", decision_lines(summary)),
            section("MOUD and naloxone", [*summary.moud, *summary.naloxone], moud_refs),
            section("Follow-up", followup_lines(summary)),
            section("Relapse plan", relapse_lines(summary)),
        ],
    }
    entries = [{"fullUrl": uuid_for("Composition"), "resource": composition},
               {"fullUrl": patient_ref, "resource": patient_resource},
               *({"fullUrl": url, "resource": r} for url, r in [*med_entries, *moud_refs])]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "identifier": {"system": PSEUDONYM_SYSTEM,
                       "value": str(uuid.uuid5(NAMESPACE, f"{pseudonym}/discharge/{key}/"
                                                          "Bundle"))},
        "type": "document",
        "timestamp": now.isoformat(),
        "entry": entries,
    }
    if notice:
        bundle["meta"] = {
            "security": [{"system": V3_ACT_CODE, "code": "42CFRPart2"},
                         {"system": V3_ACT_CODE, "code": "NORDSCLCD"}],
            "extension": [{"url": NOTICE_EXTENSION, "valueString": notice}],
        }
    return bundle
