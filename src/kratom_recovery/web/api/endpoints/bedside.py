"""Bedside records over the API: vital signs, COWS/CIWA-Ar assessments with the time
assessed, lab results, and comfort-medication orders with the doses given, held or refused.
The patient's care team writes them (403 for anyone else's role, 404 off the caseload); the
patient may read their own. POSTs take an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kratom_recovery.care.vitals import VITAL_BY_NAME
from kratom_recovery.web.accounts import idempotency
from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.api.auth import api_user, require_role
from kratom_recovery.web.api.endpoints.patients import (
    ERRORS,
    READERS,
    WRITE_ERRORS,
    IdempotencyHeader,
    PatientId,
    patient_for,
    replay_header,
)
from kratom_recovery.web.api.pagination import Pagination
from kratom_recovery.web.api.schemas import DateTimeText, Line, ResponseOut
from kratom_recovery.web.bedside import actions
from kratom_recovery.web.bedside.models import (
    LabAnalyte,
    LabResult,
    MedicationDose,
    MedicationOrder,
    VitalSigns,
)

router = Router(tags=["bedside"])
MAX_RESULTS = 64  # more than any program's analyte list needs in one sample
# negative | positive | indeterminate (care.labs checks which)
ResultText = Annotated[str, Field(max_length=16, pattern=r"^[a-z]{1,16}$")]


def _bound(name: str) -> Any:
    """A vital's field with its input plausibility bounds stated in the schema."""
    vital = VITAL_BY_NAME[name]
    kind = f"{vital.label} ({vital.unit}); plausibility bounds, not clinical limits"
    return Field(None, ge=vital.low, le=vital.high, description=kind)


class VitalsIn(Schema):
    taken_at: DateTimeText | None = Field(None, description="When taken; default now")
    pulse: int | None = _bound("pulse")
    systolic: int | None = _bound("systolic")
    diastolic: int | None = _bound("diastolic")
    temperature_c: float | None = Field(None, ge=30, le=43,
                                        description="Temperature (°C), one decimal place")
    respiratory_rate: int | None = _bound("respiratory_rate")
    spo2: int | None = _bound("spo2")
    weight_kg: float | None = Field(None, ge=20, le=400,
                                   description="Weight (kg), one decimal place")


class VitalsOut(Schema):
    id: int
    taken_at: datetime
    pulse: int | None
    systolic: int | None
    diastolic: int | None
    temperature_c: float | None
    respiratory_rate: int | None
    spo2: int | None
    weight_kg: float | None
    recorded_at: datetime


class AssessmentIn(Schema):
    answers: dict[str, int] = Field(
        ..., max_length=16, description="Item id -> score. COWS item `resting-pulse` may be "
        "left out when `resting_pulse` is given (it is then scored from the pulse).")
    assessed_at: DateTimeText | None = Field(None, description="When assessed; default now")
    resting_pulse: int | None = Field(None, ge=VITAL_BY_NAME["pulse"].low,
                                      le=VITAL_BY_NAME["pulse"].high,
                                      description="COWS only: per minute")


class LabsIn(Schema):
    collected_at: DateTimeText | None = Field(None, description="When the sample was taken")
    results: dict[str, ResultText | float] = Field(
        ..., max_length=MAX_RESULTS,
        description="Analyte code -> `negative`, `positive`, `indeterminate` or a number "
        "(see GET /lab-analytes)")


class LabOut(Schema):
    id: int
    analyte: str
    name: str
    collected_at: datetime
    value: str | float
    unit: str
    flag: str | None
    low: float | None
    high: float | None


class AnalyteOut(Schema):
    code: str
    name: str
    panel: str
    kind: Literal["qualitative", "quantitative"]
    unit: str
    loinc: str
    code_status: str
    specific_assay: bool
    note: str
    low: float | None
    high: float | None


def lab_out(row: LabResult) -> dict[str, Any]:
    value: str | float = row.value_text if row.value_number is None else float(row.value_number)
    return LabOut(
        id=row.pk, analyte=row.analyte.code, name=row.analyte.name,
        collected_at=row.collected_at, value=value, unit=row.analyte.unit,
        flag=row.flag or None, low=None if row.low is None else float(row.low),
        high=None if row.high is None else float(row.high),
    ).model_dump(mode="json")


@router.get("/patients/{patient_id}/vitals", response={200: list[VitalsOut], **ERRORS})
@paginate(Pagination)
def list_vitals(request: HttpRequest, patient_id: int = PatientId) -> QuerySet[VitalSigns]:
    """Vital signs, newest first."""
    _, patient = patient_for(request, patient_id, *READERS, read="vitals")
    return VitalSigns.objects.filter(patient=patient).order_by("-taken_at", "-pk")


@router.post("/patients/{patient_id}/vitals", response={201: VitalsOut, **WRITE_ERRORS})
def post_vitals(request: HttpRequest, response: HttpResponse, payload: VitalsIn,
                patient_id: int = PatientId,
                idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """A set of vitals (the care team only). Past a limit the program or the clinician set,
    it raises an alert."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        values = {k: v for k, v in payload.model_dump().items() if k != "taken_at"}
        row = actions.record_vitals(patient, user, values,
                                    taken_at=payload.taken_at or timezone.now(), via="api")
        return 201, VitalsOut.model_validate(row).model_dump(mode="json")

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


@router.post("/patients/{patient_id}/assessments/{instrument_id}",
             response={201: ResponseOut, **WRITE_ERRORS})
def post_assessment(request: HttpRequest, response: HttpResponse, payload: AssessmentIn,
                    instrument_id: Literal["cows", "ciwa-ar"], patient_id: int = PatientId,
                    idempotency_key: str | None = IdempotencyHeader
                    ) -> Status[dict[str, Any]]:
    """A bedside COWS or CIWA-Ar with the time it was assessed (the care team only)."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        stored = actions.record_assessment(
            patient, user, instrument_id, payload.answers,
            assessed_at=payload.assessed_at or timezone.now(),
            resting_pulse=payload.resting_pulse, via="api")
        return 201, ResponseOut.model_validate(stored).model_dump(mode="json")

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


@router.get("/patients/{patient_id}/labs", response={200: list[LabOut], **ERRORS})
@paginate(Pagination)
def list_labs(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    """Lab and toxicology results, newest sample first, with the program's range and flag."""
    _, patient = patient_for(request, patient_id, *READERS, read="labs")
    rows = (LabResult.objects.filter(patient=patient).select_related("analyte")
            .order_by("-collected_at", "analyte__position", "pk"))
    return [lab_out(row) for row in rows]


@router.post("/patients/{patient_id}/labs", response={201: list[LabOut], **WRITE_ERRORS})
def post_labs(request: HttpRequest, response: HttpResponse, payload: LabsIn,
              patient_id: int = PatientId,
              idempotency_key: str | None = IdempotencyHeader) -> Status[list[dict[str, Any]]]:
    """Results of one sample (the care team only), flagged against the program's ranges."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        rows = actions.record_labs(patient, user, payload.results,
                                   collected_at=payload.collected_at or timezone.now(),
                                   via="api")
        return 201, {"results": [lab_out(row) for row in rows]}

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body["results"])


@router.get("/lab-analytes", response={200: list[AnalyteOut], **ERRORS})
def list_analytes(request: HttpRequest) -> list[dict[str, Any]]:
    """The analytes this program records, with its codes and ranges (clinicians)."""
    require_role(api_user(request), Role.CLINICIAN, Role.ADMIN)
    return [AnalyteOut(
        code=a.code, name=a.name, panel=a.panel,
        kind="qualitative" if a.kind == "qualitative" else "quantitative", unit=a.unit,
        loinc=a.loinc, code_status=a.code_status, specific_assay=a.specific_assay,
        note=a.note, low=None if a.low is None else float(a.low),
        high=None if a.high is None else float(a.high),
    ).model_dump(mode="json") for a in LabAnalyte.objects.filter(active=True)]


# --- comfort-medication orders and the administration record (MAR) ------------------------


class HoldIn(Schema):
    vital: Literal["pulse", "systolic", "diastolic", "respiratory_rate", "spo2",
                   "temperature_c"]
    comparator: Literal["<", "<=", ">", ">="]
    value: float


class MedicationOrderIn(Schema):
    medicine: Line(80, 1) = Field(  # type: ignore[valid-type]
        ..., description="A name from the medicine table (generic, brand or street); the "
        "generic is stored")
    dose: float = Field(..., gt=0)
    unit: Literal["mg", "mcg", "g", "mL", "tablet", "capsule", "patch", "spray", "unit"]
    route: Literal["oral", "sublingual", "buccal", "transdermal", "topical", "intranasal",
                   "intramuscular", "intravenous", "subcutaneous", "rectal"]
    kind: Literal["scheduled", "prn"]
    times: list[Annotated[str, Field(max_length=5, pattern=r"^\d\d:\d\d$")]] = Field(
        default_factory=list, max_length=8, description="Scheduled: clock times HH:MM")
    interval_minutes: int | None = Field(None, description="Scheduled: every so many "
                                         "minutes; as needed: the shortest time between doses")
    indication: Line(200) = Field("", description="As needed: what for")  # type: ignore[valid-type]
    cows_at_least: int | None = Field(None, ge=0, le=48,
                                      description="As needed: only when COWS is at least")
    max_per_24h: float = Field(..., gt=0, description="In the order's unit")
    hold: list[HoldIn] = Field(default_factory=list, max_length=6)
    window_minutes: int = Field(..., description="Readings count as current this long")


class MedicationOrderOut(Schema):
    id: int
    generic: str
    description: str
    kind: str
    dose: float
    unit: str
    route: str
    max_per_24h: float
    window_minutes: int
    hold: list[dict[str, str]]
    created_at: datetime
    stopped_at: datetime | None


class DoseIn(Schema):
    outcome: Literal["given", "held", "refused"]
    at: DateTimeText | None = Field(None, description="When; default now")
    reason: Line(200) = Field("", description="Required when held")  # type: ignore[valid-type]


class DoseOut(Schema):
    id: int
    order: int
    generic: str
    outcome: str
    at: datetime
    dose: float
    unit: str
    reason: str


def order_out(order: MedicationOrder) -> dict[str, Any]:
    spec = order.spec()
    return MedicationOrderOut(
        id=order.pk, generic=order.generic, description=spec.describe(), kind=order.kind,
        dose=float(order.dose), unit=order.unit, route=order.route,
        max_per_24h=float(order.max_per_24h), window_minutes=order.window_minutes,
        hold=order.hold_rules, created_at=order.created_at, stopped_at=order.stopped_at,
    ).model_dump(mode="json")


def dose_out(dose: MedicationDose) -> dict[str, Any]:
    return DoseOut(id=dose.pk, order=dose.order_id, generic=dose.order.generic,
                   outcome=dose.outcome, at=dose.at, dose=float(dose.dose),
                   unit=dose.order.unit, reason=dose.reason).model_dump(mode="json")


@router.get("/patients/{patient_id}/medication-orders",
            response={200: list[MedicationOrderOut], **ERRORS})
def list_orders(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    """Comfort-medication orders, active first."""
    _, patient = patient_for(request, patient_id, *READERS, read="mar")
    return [order_out(o) for o in MedicationOrder.objects.filter(patient=patient)
            .order_by("stopped_at", "-created_at", "-pk")]


@router.post("/patients/{patient_id}/medication-orders",
             response={201: MedicationOrderOut, **WRITE_ERRORS})
def post_order(request: HttpRequest, response: HttpResponse, payload: MedicationOrderIn,
               patient_id: int = PatientId,
               idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """An order as the clinician enters it (the care team only); no field has a default."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        fields = {k: v for k, v in data.items() if k not in ("hold", "times")}
        fields["times"] = " ".join(payload.times)
        order = actions.create_order(patient, user, fields, data["hold"], via="api")
        return 201, order_out(order)

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


@router.get("/patients/{patient_id}/medication-doses", response={200: list[DoseOut], **ERRORS})
@paginate(Pagination)
def list_doses(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    """The administration record, newest first."""
    _, patient = patient_for(request, patient_id, *READERS, read="mar")
    return [dose_out(d) for d in MedicationDose.objects.filter(patient=patient)
            .select_related("order").order_by("-at", "-pk")]


@router.post("/patients/{patient_id}/medication-orders/{order_id}/doses",
             response={201: DoseOut, **WRITE_ERRORS})
def post_dose(request: HttpRequest, response: HttpResponse, payload: DoseIn, order_id: int,
              patient_id: int = PatientId,
              idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """A dose given, held or refused. A dose the order's 24-hour maximum, hold parameters or
    COWS condition forbid is refused (422, the parameter named) and nothing is written."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    order = MedicationOrder.objects.filter(patient=patient, pk=order_id).first()
    if order is None:
        raise Http404
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        dose = actions.record_dose(order, user, outcome=payload.outcome,
                                   at=payload.at or timezone.now(), reason=payload.reason,
                                   via="api")
        return 201, dose_out(dose)

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)
