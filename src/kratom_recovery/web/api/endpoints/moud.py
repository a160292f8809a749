"""MOUD and naloxone, and the discharge summary, over the API. The patient's care team
writes them (403 for another role, 404 off the caseload); MOUD and naloxone are readable by
the patient too. POSTs take an Idempotency-Key."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from kratom_recovery.web.accounts import idempotency
from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.api.endpoints.patients import (
    ERRORS,
    READERS,
    WRITE_ERRORS,
    IdempotencyHeader,
    PatientId,
    patient_for,
    replay_header,
)
from kratom_recovery.web.api.schemas import DateText, Line
from kratom_recovery.web.exports import actions as export_actions
from kratom_recovery.web.exports.models import DischargeSummary
from kratom_recovery.web.followup.models import MoudCheckin, MoudRecord, NaloxoneRecord
from kratom_recovery.web.followup.moud import actions, queries

router = Router(tags=["moud"])


class MoudIn(Schema):
    medication: Literal["buprenorphine", "methadone", "naltrexone"]
    status: Literal["discussed", "referred", "started", "continuing", "stopped", "declined"]
    on: DateText = Field(..., description="Since when (the patient's local date)")
    withdrawal_complete_on: DateText | None = Field(
        None, description="Required before naltrexone is started or continuing")
    referred_to: Line(200) = Field("", description="Service or clinician")  # type: ignore[valid-type]
    referred_on: DateText | None = None
    referral_status: Literal["", "sent", "accepted", "attended", "not-attended",
                             "declined"] = ""
    note: Line(500) = ""  # type: ignore[valid-type]


class MoudOut(Schema):
    id: int
    medication: str
    status: str
    on: date
    withdrawal_complete_on: date | None
    referred_to: str
    referred_on: date | None
    referral_status: str
    note: str
    caution: str
    recorded_at: datetime


class NaloxoneIn(Schema):
    action: Literal["offered", "prescribed", "dispensed", "declined"]
    on: DateText
    note: Line(200) = ""  # type: ignore[valid-type]


class NaloxoneOut(Schema):
    id: int
    action: str
    on: date
    note: str
    recorded_at: datetime


class MoudCheckinIn(Schema):
    on: DateText
    answer: Literal["taking", "missing", "stopped", "not-started"]
    note: Line(500) = ""  # type: ignore[valid-type]


class MoudCheckinOut(Schema):
    id: int
    on: date
    answer: str
    note: str


class DischargeIn(Schema):
    admitted_on: DateText
    discharged_on: DateText
    destination: Line(200, 1) = Field(..., description="Where the patient goes next")  # type: ignore[valid-type]
    course_note: Line(800) = ""  # type: ignore[valid-type]


class DischargeOut(Schema):
    id: int
    admitted_on: date
    discharged_on: date
    destination: str
    course_note: str
    written_at: datetime


def _post(request: HttpRequest, response: HttpResponse, patient_id: int,
          idempotency_key: str | None, payload: Schema, writer: Any,
          out: type[Schema]) -> Status[dict[str, Any]]:
    """One idempotent write by the care team: `writer(patient, user, data, via=...)`."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        row = writer(patient, user, payload.model_dump(), via="api")
        return 201, out.model_validate(row).model_dump(mode="json")

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


@router.get("/patients/{patient_id}/moud", response={200: list[MoudOut], **ERRORS})
def list_moud(request: HttpRequest, patient_id: int = PatientId) -> list[MoudRecord]:
    """MOUD statuses, the one in force first."""
    _, patient = patient_for(request, patient_id, *READERS, read="moud")
    return queries.moud_history(patient, 100)


@router.post("/patients/{patient_id}/moud", response={201: MoudOut, **WRITE_ERRORS})
def post_moud(request: HttpRequest, response: HttpResponse, payload: MoudIn,
              patient_id: int = PatientId,
              idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """A MOUD status with its referral. Naltrexone started or continuing before withdrawal is
    recorded complete (after the last logged use) is refused: 422 naming
    `withdrawal_complete_on`, with the reason, and nothing written."""
    return _post(request, response, patient_id, idempotency_key, payload,
                 actions.record_moud, MoudOut)


@router.get("/patients/{patient_id}/naloxone", response={200: list[NaloxoneOut], **ERRORS})
def list_naloxone(request: HttpRequest, patient_id: int = PatientId) -> list[NaloxoneRecord]:
    _, patient = patient_for(request, patient_id, *READERS, read="moud")
    return queries.naloxone_history(patient, 100)


@router.post("/patients/{patient_id}/naloxone", response={201: NaloxoneOut, **WRITE_ERRORS})
def post_naloxone(request: HttpRequest, response: HttpResponse, payload: NaloxoneIn,
                  patient_id: int = PatientId,
                  idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """Naloxone offered, prescribed, dispensed or declined, with the date."""
    return _post(request, response, patient_id, idempotency_key, payload,
                 actions.record_naloxone, NaloxoneOut)


@router.get("/patients/{patient_id}/moud-checkins",
            response={200: list[MoudCheckinOut], **ERRORS})
def list_moud_checkins(request: HttpRequest, patient_id: int = PatientId
                       ) -> list[MoudCheckin]:
    _, patient = patient_for(request, patient_id, *READERS, read="moud")
    return queries.checkin_history(patient, 100)


@router.post("/patients/{patient_id}/moud-checkins",
             response={201: MoudCheckinOut, **WRITE_ERRORS})
def post_moud_checkin(request: HttpRequest, response: HttpResponse, payload: MoudCheckinIn,
                      patient_id: int = PatientId,
                      idempotency_key: str | None = IdempotencyHeader
                      ) -> Status[dict[str, Any]]:
    """A care-team MOUD check-in (it marks the follow-up whose window it falls in)."""
    return _post(request, response, patient_id, idempotency_key, payload,
                 actions.record_moud_checkin, MoudCheckinOut)


@router.get("/patients/{patient_id}/discharge-summaries",
            response={200: list[DischargeOut], **ERRORS})
def list_discharge(request: HttpRequest, patient_id: int = PatientId
                   ) -> list[DischargeSummary]:
    """The patient's discharge summaries, newest first (the care team)."""
    _, patient = patient_for(request, patient_id, Role.CLINICIAN, read="discharge-summaries")
    return list(DischargeSummary.objects.filter(patient=patient))


@router.post("/patients/{patient_id}/discharge-summaries",
             response={201: DischargeOut, **WRITE_ERRORS})
def post_discharge(request: HttpRequest, response: HttpResponse, payload: DischargeIn,
                   patient_id: int = PatientId,
                   idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """A discharge summary for a stay; the rest of it is read from the stay's records."""
    return _post(request, response, patient_id, idempotency_key, payload,
                 export_actions.write_discharge_summary, DischargeOut)


@router.get("/patients/{patient_id}/discharge-summaries/{summary_id}/fhir",
            response={200: dict[str, Any], **ERRORS})
def discharge_fhir(request: HttpRequest, summary_id: int, patient_id: int = PatientId
                   ) -> dict[str, Any]:
    """The summary as a FHIR document Bundle (Composition LOINC 18842-5 first)."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    row = DischargeSummary.objects.filter(patient=patient, pk=summary_id).first()
    if row is None:
        raise Http404
    row.patient = patient
    return export_actions.discharge_document(row, user, via="api")
