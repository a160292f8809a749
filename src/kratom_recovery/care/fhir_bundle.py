"""One patient's records as a FHIR R4 `Bundle` (type collection), and back again.

Plain dataclasses in, plain dicts out, so the clinical core needs no FHIR library or Django;
tests validate every resource with fhir.resources (R4B models). The layout follows [ref:hl7-sdc]'s
recommended export: each QuestionnaireResponse plus a derived survey `Observation` of its
total (`derivedFrom` the response), the taper and follow-ups as `CarePlan`s, open alerts as
`Flag`s, secure messages as `Communication`s (named exports only). Totals use LOINC where
LOINC has a code (PHQ-9 44261-6, GAD-7 70274-6, [ref:loinc]) and our local code system
otherwise: there is no LOINC code for COWS or SOWS [ref:loinc], so none is ever borrowed
for them.

Every entry's fullUrl is a `urn:uuid:` made with uuid5 from the patient's pseudonym and a key
naming the record, so exporting the same records twice gives the same bundle (reproducible,
diffable), while two patients never share an id.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bedside import ExportLab, ExportVitals, lab_entry, vitals_entries
from kratom_recovery.care.fhir_mar import (
    ExportAdministration,
    ExportMedicationOrder,
    administration_entry,
    request_entry,
)
from kratom_recovery.care.fhir_moud import (
    ExportMoud,
    ExportNaloxone,
    moud_entries,
    naloxone_entry,
)
from kratom_recovery.care.fhir_questionnaire import (
    BASE_URL,
    UCUM,
    questionnaire,
    questionnaire_response,
    score_questionnaire_response,
)
from kratom_recovery.care.fhir_safety_plan import (
    ExportRiskAssessment,
    ExportSafetyPlan,
    care_plan_entry,
    risk_assessment_entry,
)
from kratom_recovery.care.instruments import INSTRUMENTS, get_instrument
from kratom_recovery.care.instruments.base import (
    LOCAL_ITEM_SYSTEM,
    LOINC_SYSTEM,
    Instrument,
    score_answers,
)

PSEUDONYM_SYSTEM: Final = f"{BASE_URL}/sid/patient-pseudonym"
BAND_SYSTEM: Final = f"{BASE_URL}/CodeSystem/instrument-bands"
ALERT_RULE_SYSTEM: Final = f"{BASE_URL}/CodeSystem/alert-rules"
CARE_PLAN_SYSTEM: Final = f"{BASE_URL}/CodeSystem/care-plans"
ALERT_SEVERITY: Final = f"{BASE_URL}/StructureDefinition/alert-severity"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/flag-category"
COMMUNICATION_CATEGORY: Final = f"{BASE_URL}/CodeSystem/communication-category"
EXPORT_TAGS: Final = f"{BASE_URL}/CodeSystem/export-tags"
NOTICE_EXTENSION: Final = f"{BASE_URL}/StructureDefinition/redisclosure-notice"
# HL7 v3 ActCode: 42CFRPart2 (privacy law) and NORDSCLCD (no re-disclosure without consent).
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# Namespace for the deterministic entry ids: derived from our base URL, fixed forever.
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, BASE_URL)
# Dose units as UCUM: grams and milligrams are plain units, tablets an annotation.
UCUM_DOSE: Final[Mapping[str, str]] = {"g": "g", "mg": "mg", "tablets": "{tablet}"}
# Follow-up state (care.followup.STATES) -> CarePlan.activity.detail.status. FHIR has no
# "missed"; "stopped" with a statusReason says it plainly.
FOLLOWUP_STATUS: Final[Mapping[str, str]] = {
    "done": "completed",
    "due": "scheduled",
    "upcoming": "not-started",
    "missed": "stopped",
}
TAPER_STATUS: Final = ("draft", "active", "on-hold", "revoked", "completed")


@dataclass(frozen=True)
class ExportPatient:
    """Who the bundle is about. `pseudonym` is random and stable for the patient; the
    display name and birth year are left out of pseudonymous exports."""

    pseudonym: str
    display_name: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class ExportResponse:
    """A stored, scored instrument. `answers` are in published item order (None = an
    unanswered optional item). `key` names the record (e.g. its database id) for its uuid."""

    instrument_id: str
    version: str
    answers: tuple[int | None, ...]
    authored: datetime
    total: int
    band: str | None
    key: str = ""

    @property
    def record_key(self) -> str:
        return self.key or f"{self.instrument_id}@{self.authored.isoformat()}"


@dataclass(frozen=True)
class ExportTaperStep:
    """One step of a taper: `daily_amount` from `start` to `end` (both inclusive)."""

    index: int
    start: date
    end: date
    daily_amount: float
    unit: str
    doses: tuple[float, ...] = ()


@dataclass(frozen=True)
class ExportTaper:
    key: str
    name: str
    status: str  # one of TAPER_STATUS (FHIR CarePlan.status)
    steps: tuple[ExportTaperStep, ...]
    product: str | None = None  # what is tapered, as text ("kratom (leaf)", a medicine)
    created: datetime | None = None


@dataclass(frozen=True)
class ExportFollowUp:
    """One follow-up of the schedule (care.followup) with its state on the export day."""

    day: int
    due: date
    last_day: date
    instruments: tuple[str, ...]
    state: str  # done | due | missed | upcoming


@dataclass(frozen=True)
class ExportAlert:
    key: str
    rule: str
    severity: str
    message: str
    created_at: datetime
    open: bool


@dataclass(frozen=True)
class ExportMessage:
    """A secure message between the patient and their care team. `sender` names the care
    team member who wrote it (empty for the patient's own)."""

    key: str
    from_patient: bool
    sender: str
    body: str
    sent: datetime
    received: datetime | None = None  # when the other side first read it


@dataclass(frozen=True)
class ExportData:
    patient: ExportPatient
    responses: tuple[ExportResponse, ...] = ()
    tapers: tuple[ExportTaper, ...] = ()
    followups: tuple[ExportFollowUp, ...] = ()
    alerts: tuple[ExportAlert, ...] = ()
    messages: tuple[ExportMessage, ...] = ()
    vitals: tuple[ExportVitals, ...] = ()  # bedside vital signs (care/fhir_bedside.py)
    labs: tuple[ExportLab, ...] = ()
    medication_orders: tuple[ExportMedicationOrder, ...] = ()  # care/fhir_mar.py
    administrations: tuple[ExportAdministration, ...] = ()
    moud: tuple[ExportMoud, ...] = ()  # MOUD statuses and referrals (care/fhir_moud.py)
    naloxone: tuple[ExportNaloxone, ...] = ()
    safety_plan: ExportSafetyPlan | None = None  # care/fhir_safety_plan.py
    risk_assessments: tuple[ExportRiskAssessment, ...] = ()
    # Why some records are left out (the patient's sharing consent), and a notice that must
    # travel with the record (42 CFR Part 2 re-disclosure); both go in Bundle.meta.
    withheld: str = ""
    notice: str = ""


@dataclass(frozen=True)
class ImportedObservation:
    instrument_id: str
    code: tuple[str, str]  # (system, code)
    value: int
    effective: datetime
    band: str | None
    derived_from: str


@dataclass(frozen=True)
class ImportedData:
    """What `import_bundle` reads back: responses are re-scored, not trusted."""

    pseudonym: str
    display_name: str | None
    responses: tuple[ExportResponse, ...]
    observations: tuple[ImportedObservation, ...]
    care_plans: tuple[dict[str, Any], ...] = field(default=())
    flags: tuple[dict[str, Any], ...] = field(default=())


def taper_steps_from_plan(plan: Mapping[str, Any]) -> tuple[ExportTaperStep, ...]:
    """Steps from a `care.taper.TaperPlan.as_dict()` (or the same shape stored as JSON)."""
    try:
        return tuple(
            ExportTaperStep(
                index=int(step["index"]),
                start=date.fromisoformat(str(step["start"])),
                end=date.fromisoformat(str(step["end"])),
                daily_amount=float(step["daily_amount"]),
                unit=str(step["unit"]),
                doses=tuple(float(d) for d in step.get("doses") or ()),
            )
            for step in plan["steps"]
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InvalidInput("plan", f"is not a taper plan with steps ({error})") from None


def entry_uuid(pseudonym: str, key: str) -> str:
    """`urn:uuid:` for one record of one patient: the same inputs always give the same id."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{pseudonym}/{key}')}"


def total_coding(instrument: Instrument) -> dict[str, str]:
    """LOINC total where LOINC has one [ref:loinc], else our local code: never a borrowed one."""
    display = f"{instrument.short_name} total score"
    if instrument.loinc_total:
        return {"system": LOINC_SYSTEM, "code": instrument.loinc_total, "display": display}
    return {"system": LOCAL_ITEM_SYSTEM, "code": f"{instrument.id}-total", "display": display}


def _patient(patient: ExportPatient, pseudonymous: bool) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": PSEUDONYM_SYSTEM, "value": patient.pseudonym}],
    }
    if not pseudonymous:
        if patient.display_name:
            resource["name"] = [{"text": patient.display_name}]
        if patient.birth_year is not None:
            resource["birthDate"] = f"{patient.birth_year:04d}"
    return resource


def _observation(
    instrument: Instrument, response: ExportResponse, patient_ref: str, response_ref: str
) -> dict[str, Any]:
    coding = total_coding(instrument)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": {"coding": [coding], "text": coding["display"]},
        "subject": {"reference": patient_ref},
        "effectiveDateTime": response.authored.isoformat(),
        "valueInteger": response.total,
        "derivedFrom": [{"reference": response_ref}],
    }
    band = instrument.band_for(response.total)
    if band is not None:
        # The band is our label for a range of totals (docs/instruments.md), so it is a local
        # code, not one of HL7's interpretation codes (which mean high/low/abnormal).
        resource["interpretation"] = [
            {
                "coding": [
                    {
                        "system": BAND_SYSTEM,
                        "code": f"{instrument.id}-{band.id}",
                        "display": band.label,
                    }
                ],
                "text": band.label,
            }
        ]
    return resource


def _step_status(step: ExportTaperStep, today: date) -> str:
    if step.end < today:
        return "completed"
    if step.start <= today:
        return "in-progress"
    return "not-started"


def _amount(value: float) -> str:
    return f"{value:g}"


def _taper_plan(taper: ExportTaper, patient_ref: str, today: date) -> dict[str, Any]:
    if taper.status not in TAPER_STATUS:
        raise InvalidInput("status", f"taper status must be one of {', '.join(TAPER_STATUS)}")
    if not taper.steps:
        raise InvalidInput("steps", "a taper needs at least one step")
    product = {"text": taper.product or "kratom"}
    activities = []
    for step in taper.steps:
        doses = ", ".join(_amount(d) for d in step.doses)
        description = f"Step {step.index}: {_amount(step.daily_amount)} {step.unit} a day"
        if step.doses:
            description += f" in {len(step.doses)} doses ({doses} {step.unit})"
        detail: dict[str, Any] = {
            "kind": "MedicationRequest",
            "code": {"text": f"Taper step {step.index}"},
            "status": _step_status(step, today),
            "scheduledPeriod": {"start": step.start.isoformat(), "end": step.end.isoformat()},
            "productCodeableConcept": product,
            "description": description,
        }
        if step.unit in UCUM_DOSE:
            detail["dailyAmount"] = {
                "value": step.daily_amount,
                "unit": step.unit,
                "system": UCUM,
                "code": UCUM_DOSE[step.unit],
            }
        activities.append({"detail": detail})
    resource: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": taper.status,
        "intent": "plan",
        "category": [
            {"coding": [{"system": CARE_PLAN_SYSTEM, "code": "taper", "display": "Taper"}]}
        ],
        "title": taper.name,
        "subject": {"reference": patient_ref},
        "period": {
            "start": taper.steps[0].start.isoformat(),
            "end": taper.steps[-1].end.isoformat(),
        },
        "activity": activities,
    }
    if taper.created is not None:
        resource["created"] = taper.created.isoformat()
    return resource


def _followup_plan(
    followups: Sequence[ExportFollowUp], patient_ref: str
) -> dict[str, Any]:
    activities = []
    for item in followups:
        if item.state not in FOLLOWUP_STATUS:
            raise InvalidInput(
                "state", f"follow-up state must be one of {', '.join(FOLLOWUP_STATUS)}"
            )
        names = ", ".join(item.instruments) or "check-in"
        detail: dict[str, Any] = {
            "kind": "Task",
            "code": {"text": f"Follow-up day {item.day}"},
            "status": FOLLOWUP_STATUS[item.state],
            "scheduledPeriod": {"start": item.due.isoformat(), "end": item.last_day.isoformat()},
            "description": f"Follow-up {item.day} days after the anchor date: {names}",
        }
        if item.state == "missed":
            detail["statusReason"] = {"text": "Missed: not done within its window"}
        activities.append({"detail": detail})
    done = all(item.state in ("done", "missed") for item in followups)
    return {
        "resourceType": "CarePlan",
        "status": "completed" if done else "active",
        "intent": "plan",
        "category": [
            {"coding": [{"system": CARE_PLAN_SYSTEM, "code": "follow-up",
                         "display": "Follow-up"}]}
        ],
        "title": "Follow-up schedule",
        "subject": {"reference": patient_ref},
        "period": {
            "start": followups[0].due.isoformat(),
            "end": max(f.last_day for f in followups).isoformat(),
        },
        "activity": activities,
    }


def _flag(alert: ExportAlert, patient_ref: str) -> dict[str, Any]:
    return {
        "resourceType": "Flag",
        "extension": [{"url": ALERT_SEVERITY, "valueCode": alert.severity}],
        "status": "active",
        "category": [
            {"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}
        ],
        "code": {
            "coding": [{"system": ALERT_RULE_SYSTEM, "code": alert.rule}],
            "text": alert.message,
        },
        "subject": {"reference": patient_ref},
        "period": {"start": alert.created_at.isoformat()},
    }


def _communication(message: ExportMessage, patient_ref: str) -> dict[str, Any]:
    """A message as a completed `Communication`; the care team side is named by display only
    (there is no Practitioner resource in the bundle)."""
    patient = {"reference": patient_ref}
    team = {"display": f"Care team: {message.sender}" if message.sender else "Care team"}
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "status": "completed",
        "category": [{"coding": [{"system": COMMUNICATION_CATEGORY, "code": "secure-message"}],
                      "text": "Secure message"}],
        "subject": patient,
        "sent": message.sent.isoformat(),
        "sender": patient if message.from_patient else team,
        "recipient": [team if message.from_patient else patient],
        "payload": [{"contentString": message.body}],
    }
    if message.received is not None:
        resource["received"] = message.received.isoformat()
    return resource


def _entry(full_url: str, resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": full_url, "resource": resource}


def build_bundle(
    data: ExportData,
    *,
    now: datetime,
    pseudonymous: bool = True,
    include_questionnaires: bool = False,
) -> dict[str, Any]:
    """The patient's records as a FHIR R4 collection Bundle.

    `now` (timezone-aware) stamps the bundle and decides which taper steps are done; with the
    same records and `now` the output is identical. Responses are re-scored from their answers
    and refused if the stored total disagrees, so an export never carries a wrong total.
    """
    if now.tzinfo is None:
        raise InvalidInput("now", "must include a UTC offset")
    pseudonym = data.patient.pseudonym
    if not pseudonym:
        raise InvalidInput("pseudonym", "is required")
    patient_ref = entry_uuid(pseudonym, "Patient")
    entries = [_entry(patient_ref, _patient(data.patient, pseudonymous))]
    used: dict[str, Instrument] = {}
    for response in sorted(data.responses, key=lambda r: (r.authored, r.record_key)):
        instrument = get_instrument(response.instrument_id)
        if response.version != instrument.version:
            raise InvalidInput(
                "version",
                f"{instrument.id} response {response.record_key} was scored under version "
                f"{response.version}; this export writes version {instrument.version}",
            )
        score = score_answers(instrument, list(response.answers))
        if score.total != response.total:
            raise InvalidInput(
                "total",
                f"{response.instrument_id} response {response.record_key} states "
                f"{response.total} but its answers add up to {score.total}",
            )
        used[instrument.id] = instrument
        response_ref = entry_uuid(pseudonym, f"QuestionnaireResponse/{response.record_key}")
        qr = questionnaire_response(instrument, score, response.authored, patient_ref)
        entries.append(_entry(response_ref, qr))
        entries.append(
            _entry(
                entry_uuid(pseudonym, f"Observation/{response.record_key}"),
                _observation(instrument, response, patient_ref, response_ref),
            )
        )
    def uuid_for(key: str) -> str:
        return entry_uuid(pseudonym, key)

    for vitals in sorted(data.vitals, key=lambda v: (v.taken_at, v.key)):
        entries += [_entry(url, r) for url, r in vitals_entries(vitals, patient_ref, uuid_for)]
    for lab in sorted(data.labs, key=lambda r: (r.collected_at, r.key)):
        entries.append(_entry(*lab_entry(lab, patient_ref, uuid_for)))
    for order in sorted(data.medication_orders, key=lambda o: (o.authored, o.key)):
        entries.append(_entry(*request_entry(order, patient_ref, uuid_for)))
    for dose in sorted(data.administrations, key=lambda d: (d.at, d.key)):
        entries.append(_entry(*administration_entry(dose, patient_ref, uuid_for)))
    for record in sorted(data.moud, key=lambda m: (m.recorded, m.key)):
        if pseudonymous:  # free text may name people: none in a pseudonymous bundle
            record = replace(record, note="")
        entries += [_entry(url, r) for url, r in moud_entries(record, patient_ref, uuid_for)]
    for kit in sorted(data.naloxone, key=lambda n: (n.on, n.key)):
        kit = replace(kit, note="") if pseudonymous else kit
        entries.append(_entry(*naloxone_entry(kit, patient_ref, uuid_for)))
    for rating in sorted(data.risk_assessments, key=lambda r: (r.assessed_at, r.key)):
        entries.append(_entry(*risk_assessment_entry(rating, patient_ref, uuid_for,
                                                     pseudonymous=pseudonymous)))
    if data.safety_plan is not None:
        entries.append(_entry(*care_plan_entry(data.safety_plan, patient_ref, uuid_for,
                                               pseudonymous=pseudonymous)))
    today = now.date()
    for taper in data.tapers:
        entries.append(
            _entry(entry_uuid(pseudonym, f"CarePlan/taper/{taper.key}"),
                   _taper_plan(taper, patient_ref, today))
        )
    if data.followups:
        entries.append(
            _entry(entry_uuid(pseudonym, "CarePlan/follow-up"),
                   _followup_plan(data.followups, patient_ref))
        )
    for alert in data.alerts:
        if alert.open:
            entries.append(
                _entry(entry_uuid(pseudonym, f"Flag/{alert.key}"), _flag(alert, patient_ref))
            )
    if not pseudonymous:  # free text between people names people: never in a pseudonymous one
        for message in sorted(data.messages, key=lambda m: (m.sent, m.key)):
            entries.append(_entry(entry_uuid(pseudonym, f"Communication/{message.key}"),
                                  _communication(message, patient_ref)))
    if include_questionnaires:
        for instrument_id in sorted(used):
            resource = questionnaire(used[instrument_id])
            entries.append(_entry(resource["url"], resource))
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "identifier": {"system": PSEUDONYM_SYSTEM,
                       "value": str(uuid.uuid5(NAMESPACE, f"{pseudonym}/Bundle"))},
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": entries,
    }
    if meta := _bundle_meta(data):
        bundle["meta"] = meta
    return bundle


def _bundle_meta(data: ExportData) -> dict[str, Any]:
    """A tag saying what the patient's consent left out; the Part 2 security labels (covered
    by 42 CFR Part 2, no re-disclosure without consent) and the notice's text."""
    meta: dict[str, Any] = {}
    if data.withheld:
        meta["tag"] = [{"system": EXPORT_TAGS, "code": "withheld-by-consent",
                        "display": data.withheld}]
    if data.notice:
        meta["security"] = [{"system": V3_ACT_CODE, "code": "42CFRPart2"},
                            {"system": V3_ACT_CODE, "code": "NORDSCLCD"}]
        meta["extension"] = [{"url": NOTICE_EXTENSION, "valueString": data.notice}]
    return meta


# ---------------------------------------------------------------------------------------------
# Reading a bundle back


def _resources(bundle: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise InvalidInput("resourceType", "must be Bundle")
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        raise InvalidInput("entry", "must be a list of entries")
    found = []
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping) or not isinstance(resource.get("resourceType"), str):
            raise InvalidInput("entry", f"entry {number} has no resource")
        found.append((str(entry.get("fullUrl") or ""), resource))
    return found


def _datetime(field_name: str, value: object) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(field_name, f"{value!r} is not an ISO date-time") from None
    if moment.tzinfo is None:
        raise InvalidInput(field_name, "must include a UTC offset")
    return moment


def _instrument_for_total(coding: Mapping[str, Any]) -> Instrument | None:
    for instrument in INSTRUMENTS.values():
        expected = total_coding(instrument)
        if (coding.get("system"), coding.get("code")) == (expected["system"], expected["code"]):
            return instrument
    return None


def import_bundle(bundle: Mapping[str, Any]) -> ImportedData:
    """Read a bundle made by `build_bundle` (or shaped like one) back into plain data.

    Each QuestionnaireResponse is scored again from its answers (a stated total that disagrees
    is refused), so what comes in is as trustworthy as what we score ourselves.
    """
    resources = _resources(bundle)
    patients = [r for _, r in resources if r["resourceType"] == "Patient"]
    if len(patients) != 1:
        raise InvalidInput(
            "Patient", f"a bundle must hold exactly one Patient (found {len(patients)})"
        )
    patient = patients[0]
    pseudonym = next(
        (
            str(i.get("value"))
            for i in patient.get("identifier") or []
            if isinstance(i, Mapping) and i.get("system") == PSEUDONYM_SYSTEM and i.get("value")
        ),
        None,
    )
    if pseudonym is None:
        raise InvalidInput("Patient.identifier", f"needs a pseudonym ({PSEUDONYM_SYSTEM})")
    names = [n.get("text") for n in patient.get("name") or [] if isinstance(n, Mapping)]
    responses = []
    for full_url, resource in resources:
        if resource["resourceType"] != "QuestionnaireResponse":
            continue
        score = score_questionnaire_response(resource)
        responses.append(
            ExportResponse(
                instrument_id=score.instrument,
                version=score.version,
                answers=tuple(item.value for item in score.items),
                authored=_datetime("authored", resource.get("authored")),
                total=score.total,
                band=score.band.id if score.band else None,
                key=full_url,
            )
        )
    observations = []
    for _, resource in resources:
        if resource["resourceType"] != "Observation":
            continue
        codings = (resource.get("code") or {}).get("coding") or []
        instrument = next(
            (i for c in codings if isinstance(c, Mapping) and (i := _instrument_for_total(c))),
            None,
        )
        if instrument is None:
            continue  # not one of our totals; leave it alone
        value = resource.get("valueInteger")
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput("valueInteger", f"{instrument.id} total must be a whole number")
        band = next(
            (
                str(c["code"]).removeprefix(f"{instrument.id}-")
                for i in resource.get("interpretation") or []
                for c in (i.get("coding") or [])
                if isinstance(c, Mapping) and c.get("system") == BAND_SYSTEM
            ),
            None,
        )
        derived = [d.get("reference") for d in resource.get("derivedFrom") or []]
        code = total_coding(instrument)
        observations.append(
            ImportedObservation(
                instrument_id=instrument.id,
                code=(code["system"], code["code"]),
                value=value,
                effective=_datetime("effectiveDateTime", resource.get("effectiveDateTime")),
                band=band,
                derived_from=str(derived[0]) if derived else "",
            )
        )
    by_url = {r.key: r for r in responses}
    for observation in observations:
        source = by_url.get(observation.derived_from)
        if source is not None and source.total != observation.value:
            raise InvalidInput(
                "Observation",
                f"{observation.instrument_id} total {observation.value} disagrees with the "
                f"response it is derived from ({source.total})",
            )
    return ImportedData(
        pseudonym=pseudonym,
        display_name=str(names[0]) if names and names[0] else None,
        responses=tuple(responses),
        observations=tuple(observations),
        care_plans=tuple(dict(r) for _, r in resources if r["resourceType"] == "CarePlan"),
        flags=tuple(dict(r) for _, r in resources if r["resourceType"] == "Flag"),
    )


__all__ = [
    "ExportAlert",
    "ExportData",
    "ExportFollowUp",
    "ExportPatient",
    "ExportResponse",
    "ExportTaper",
    "ExportTaperStep",
    "ImportedData",
    "ImportedObservation",
    "build_bundle",
    "entry_uuid",
    "import_bundle",
    "taper_steps_from_plan",
    "total_coding",
]
