"""The clinician's suicide-risk assessments and the safety plan over the API.

Ratings are written and read by the care team only (403 for the patient's role: they hold
the clinician's reasons); the plan is read and written by the patient and their care team.
Off the caseload is 404. POSTs take an Idempotency-Key. A plan POST names the version it
started from (`base_version`), so a save over someone else's newer version is refused (422,
field "version") instead of silently replacing it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from kratom_recovery.care.safety_plan import (
    MAX_CONTACTS,
    MAX_FACTOR,
    MAX_FACTORS,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_NAME,
)
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
from kratom_recovery.web.api.pagination import Pagination
from kratom_recovery.web.api.schemas import DateTimeText, Line, Text
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import SafetyPlanVersion, SuicideRiskAssessment
from kratom_recovery.web.safety.plan import actions
from kratom_recovery.web.safety.plan.panels import saved_by_label

router = Router(tags=["safety plan"])
Item = Line(MAX_ITEM)
Factor = Line(MAX_FACTOR)


class RiskAssessmentIn(Schema):
    rating: Literal["low", "moderate", "high"] = Field(
        ..., description="The clinician's own rating; no score or threshold computes it")
    reasons: Text(2000, 1)  # type: ignore[valid-type]
    risk_factors: list[Factor] = Field([], max_length=MAX_FACTORS)  # type: ignore[valid-type]
    protective_factors: list[Factor] = Field([], max_length=MAX_FACTORS)  # type: ignore[valid-type]
    assessed_at: DateTimeText | None = Field(None, description="When assessed; default now")


class RiskAssessmentOut(Schema):
    id: int
    rating: str
    reasons: str
    risk_factors: list[str]
    protective_factors: list[str]
    assessed_at: datetime
    assessed_by: str | None
    recorded_at: datetime


class ContactIn(Schema):
    name: Line(MAX_NAME)  # type: ignore[valid-type]
    phone: Line(40) = ""  # type: ignore[valid-type]


class SectionsIn(Schema):
    """Each section's lines (or people and services with a phone number); blank lines and
    empty rows are dropped, and at least one line is required somewhere."""

    warning_signs: list[Item] = Field([], max_length=MAX_ITEMS)  # type: ignore[valid-type]
    coping: list[Item] = Field([], max_length=MAX_ITEMS)  # type: ignore[valid-type]
    distractions: list[Item] = Field([], max_length=MAX_ITEMS)  # type: ignore[valid-type]
    helpers: list[ContactIn] = Field([], max_length=MAX_CONTACTS)
    professionals: list[ContactIn] = Field([], max_length=MAX_CONTACTS)
    environment: list[Item] = Field([], max_length=MAX_ITEMS)  # type: ignore[valid-type]
    reasons: list[Item] = Field([], max_length=MAX_ITEMS)  # type: ignore[valid-type]


class SafetyPlanIn(Schema):
    base_version: int | None = Field(None, ge=0, description="The version this edit started "
                                     "from (0 for a first plan); omit to save over any")
    sections: SectionsIn


class SafetyPlanOut(Schema):
    version: int = Field(..., description="0: no plan yet")
    saved_at: datetime | None
    saved_by: str | None = Field(None, description='"patient", or the care team member\'s '
                                 "name")
    sections: dict[str, list[Any]]


def assessment_out(row: SuicideRiskAssessment) -> dict[str, Any]:
    by = row.assessed_by.display_name if row.assessed_by is not None else None
    return RiskAssessmentOut(
        id=row.pk, rating=row.rating, reasons=row.reasons, risk_factors=row.risk_factors,
        protective_factors=row.protective_factors, assessed_at=row.assessed_at,
        assessed_by=by, recorded_at=row.recorded_at,
    ).model_dump(mode="json")


def plan_out(plan: SafetyPlanVersion | None, patient: Patient) -> dict[str, Any]:
    if plan is None:
        return SafetyPlanOut(version=0, saved_at=None, saved_by=None,
                             sections={}).model_dump(mode="json")
    return SafetyPlanOut(version=plan.version, saved_at=plan.saved_at,
                         saved_by=saved_by_label(plan, patient) or None,
                         sections=plan.sections).model_dump(mode="json")


@router.get("/patients/{patient_id}/risk-assessments",
            response={200: list[RiskAssessmentOut], **ERRORS})
@paginate(Pagination)
def list_risk_assessments(request: HttpRequest, patient_id: int = PatientId
                          ) -> list[dict[str, Any]]:
    """The clinician's suicide-risk ratings, newest first (the care team only)."""
    _, patient = patient_for(request, patient_id, Role.CLINICIAN, read="risk-assessments")
    rows: QuerySet[SuicideRiskAssessment] = (SuicideRiskAssessment.objects
                                             .filter(patient=patient)
                                             .select_related("assessed_by"))
    return [assessment_out(row) for row in rows]


@router.post("/patients/{patient_id}/risk-assessments",
             response={201: RiskAssessmentOut, **WRITE_ERRORS})
def post_risk_assessment(request: HttpRequest, response: HttpResponse,
                         payload: RiskAssessmentIn, patient_id: int = PatientId,
                         idempotency_key: str | None = IdempotencyHeader
                         ) -> Status[dict[str, Any]]:
    """A rating with reasons (the care team only). A high rating opens a warning alert."""
    user, patient = patient_for(request, patient_id, Role.CLINICIAN)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        row = actions.record_risk_assessment(
            patient, user, rating=payload.rating, reasons=payload.reasons,
            risk_factors=payload.risk_factors, protective_factors=payload.protective_factors,
            assessed_at=payload.assessed_at, via="api")
        return 201, assessment_out(row)

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


@router.get("/patients/{patient_id}/safety-plan", response={200: SafetyPlanOut, **ERRORS})
def get_safety_plan(request: HttpRequest, patient_id: int = PatientId) -> dict[str, Any]:
    """The plan in force (version 0 and no sections when there is none yet)."""
    _, patient = patient_for(request, patient_id, *READERS, read="safety-plan")
    return plan_out(actions.current_plan(patient), patient)


@router.post("/patients/{patient_id}/safety-plan",
             response={200: SafetyPlanOut, 201: SafetyPlanOut, **WRITE_ERRORS})
def post_safety_plan(request: HttpRequest, response: HttpResponse, payload: SafetyPlanIn,
                     patient_id: int = PatientId,
                     idempotency_key: str | None = IdempotencyHeader
                     ) -> Status[dict[str, Any]]:
    """Save the plan as a new version (201), by the patient or their care team; the same
    content as the plan in force writes nothing (200)."""
    user, patient = patient_for(request, patient_id, *READERS)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        before = actions.current_plan(patient)
        row = actions.save_safety_plan(patient, user, payload.sections.model_dump(mode="json"),
                                       base_version=payload.base_version, via="api")
        created = before is None or row.pk != before.pk
        return (201 if created else 200), plan_out(row, patient)

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)
