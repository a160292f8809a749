"""Patients and their records. Object access goes through patients.access (404 for records
that are not yours), roles are checked first (403), and every read by someone other than
the patient is audited with via="api"."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params import functions as params

from kratom_recovery.care import instruments
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import INSTRUMENTS
from kratom_recovery.web.accounts import idempotency
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.api.auth import api_user, require_role
from kratom_recovery.web.api.errors import (
    Conflict,
    ErrorOut,
    Forbidden,
    ValidationErrorOut,
)
from kratom_recovery.web.api.pagination import Pagination
from kratom_recovery.web.api.schemas import (
    MAX_ID,
    CheckinIn,
    CheckinOut,
    PatientOut,
    ProfileIn,
    ProfileOut,
    QuestionnaireIn,
    ResponseOut,
    Slug,
    UseIn,
    UseOut,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.exports.actions import fhir_export
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.access import get_patient_for, visible_patients
from kratom_recovery.web.patients.forecasting import patient_forecast
from kratom_recovery.web.patients.inputs import CheckinInput
from kratom_recovery.web.patients.models import (
    CheckIn,
    InstrumentResponse,
    Patient,
    UseEvent,
    UseProfile,
)
from kratom_recovery.web.patients.queries import with_care_team
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.safety.engine import current_safety
from kratom_recovery.web.tapers.plans import current_versions

router = Router(tags=["patients"])

PatientId: Any = params.Path(..., ge=1, le=MAX_ID)
IdempotencyHeader: Any = params.Header(
    None, alias="Idempotency-Key", max_length=255,
    description="Any unique string (e.g. a UUID): a retry with the same key and body "
    "returns the first response and writes nothing twice.",
)
READERS = (Role.PATIENT, Role.CLINICIAN)
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 422: ValidationErrorOut}
# Stand-alone questionnaires and who fills them in: weekly PHQ-9/GAD-7 and the AUDIT-C
# alcohol screen by the patient, COWS by the clinician (it is observer-rated). Daily
# instruments go in check-ins.
QUESTIONNAIRES: dict[str, str] = {"phq9": Role.PATIENT, "gad7": Role.PATIENT,
                                  "audit-c": Role.PATIENT, "cows": Role.CLINICIAN}


def patient_for(request: HttpRequest, patient_id: int, *roles: str,
                read: str | None = None) -> tuple[User, Patient]:
    """The user and the patient they may reach with one of `roles`; audits a read."""
    user = api_user(request)
    require_role(user, *roles)
    patient = get_patient_for(user, patient_id)
    if read is not None:
        audit.record(user, patient, "read", read, via="api")
    return user, patient


def checkins_shared_with(user: User, patient: Patient) -> bool:
    """Whether `user` may see the patient's check-in scores: the patient always, their
    clinician unless the patient stopped sharing check-ins (recovery.consent), as on the web
    chart and in the FHIR export."""
    return user.pk == patient.user_id or clinician_may_see(patient, "checkins")


def patient_out(patient: Patient) -> PatientOut:
    return PatientOut.model_validate(patient)


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return CheckinOut.model_validate(checkin).model_dump(mode="json")


def check_answers(answers: dict[str, list[Any]], *, keyed: bool = True) -> None:
    """Score each instrument up front so an error says where it is: "answers.sows.anxious"
    in a check-in (keyed by instrument), "answers.interest" in a questionnaire. The core
    names only the item, and item ids repeat across instruments. The action scores again
    when it writes; scoring is pure and cheap."""
    for instrument_id, values in answers.items():
        where = f"answers.{instrument_id}" if keyed else "answers"
        try:
            instruments.score(instrument_id, values)
        except InvalidInput as error:
            field = where if error.field == "answers" else f"{where}.{error.field}"
            raise InvalidInput(field, error.message) from None


def replay_header(response: HttpResponse, replayed: bool) -> None:
    if replayed:
        response["Idempotent-Replayed"] = "true"


# --- patients -------------------------------------------------------------------------------


@router.get("/patients", response={200: list[PatientOut], **ERRORS},
            summary="Patients you may reach")
@paginate(Pagination)
def list_patients(request: HttpRequest) -> QuerySet[Patient]:
    """A clinician's caseload (by name), or just the patient themself. Lists names only,
    like the web caseload, so it is not audited; opening a record is."""
    user = api_user(request)
    require_role(user, *READERS)
    return with_care_team(visible_patients(user)).order_by(
        "user__display_name", "user__username", "pk")


@router.get("/patients/{patient_id}", response={200: PatientOut, **ERRORS})
def get_patient(request: HttpRequest, patient_id: int = PatientId) -> PatientOut:
    _, patient = patient_for(request, patient_id, *READERS, read="patient")
    return patient_out(patient)


# --- profile --------------------------------------------------------------------------------


def profile_out(profile: UseProfile) -> ProfileOut:
    return ProfileOut(
        product=profile.product,
        amount_per_day=float(profile.amount_per_day),
        unit=profile.unit,
        doses_per_day=profile.doses_per_day,
        years_of_use=float(profile.years_of_use),
        last_dose=profile.last_dose,
        other_substances=list(profile.other_substances),
        medications=list(profile.medications),
        conditions=list(profile.conditions),
        age=profile.age,
        support=profile.support,
        previous_attempts=profile.previous_attempts,
        goal=profile.goal,
        dependence=list(profile.dependence),
        sex=profile.sex or None,
        timezone=profile.patient.timezone,
        updated_at=profile.updated_at,
    )


def profile_of(patient: Patient) -> UseProfile:
    try:
        return UseProfile.objects.select_related("patient").get(patient=patient)
    except UseProfile.DoesNotExist:
        raise Conflict("This patient has not completed onboarding yet.") from None


@router.get("/patients/{patient_id}/profile", response={200: ProfileOut, 409: ErrorOut, **ERRORS})
def get_profile(request: HttpRequest, patient_id: int = PatientId) -> ProfileOut:
    _, patient = patient_for(request, patient_id, *READERS, read="profile")
    return profile_out(profile_of(patient))


@router.put("/patients/{patient_id}/profile", response={200: ProfileOut, **WRITE_ERRORS})
def put_profile(request: HttpRequest, payload: ProfileIn,
                patient_id: int = PatientId) -> ProfileOut:
    """Create or replace the patient's own use profile (onboarding)."""
    user, patient = patient_for(request, patient_id, Role.PATIENT)
    profile = actions.complete_onboarding(patient, user, payload.model_dump())
    return profile_out(profile)


# --- check-ins ------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/checkins", response={200: list[CheckinOut], **ERRORS})
@paginate(Pagination)
def list_checkins(request: HttpRequest, patient_id: int = PatientId) -> QuerySet[CheckIn]:
    """Check-ins, newest day first, each with its scored instruments. 403 for a clinician
    the patient does not share their check-ins with."""
    user, patient = patient_for(request, patient_id, *READERS)
    if not checkins_shared_with(user, patient):
        raise Forbidden("This patient does not share their check-ins with their clinician.")
    audit.record(user, patient, "read", "checkins", via="api")
    return CheckIn.objects.filter(patient=patient).order_by("-local_date", "-pk").prefetch_related(
        Prefetch("responses", queryset=InstrumentResponse.objects.order_by("recorded_at", "pk"))
    )


@router.post("/patients/{patient_id}/checkins",
             response={200: CheckinOut, 201: CheckinOut, **WRITE_ERRORS})
def post_checkin(request: HttpRequest, response: HttpResponse, payload: CheckinIn,
                 patient_id: int = PatientId,
                 idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """Today's check-in (201), or an update of today's (200); patients only. Fields left
    out keep today's values; red flags are kept unless named in `withdraw`."""
    user, patient = patient_for(request, patient_id, Role.PATIENT)
    data = payload.model_dump(mode="json", exclude_unset=True)
    entry = CheckinInput.parse(data)

    def write() -> tuple[int, dict[str, Any]]:
        done = actions.write_checkin(patient, user, entry, via="api")
        checkin = done.checkin
        if done.responses is None:  # the current-state row was rebuilt: read them
            checkin = CheckIn.objects.prefetch_related("responses").get(pk=checkin.pk)
        else:  # as the prefetch orders them (InstrumentResponse.Meta)
            checkin._prefetched_objects_cache = {"responses": sorted(  # type: ignore[attr-defined]
                done.responses, key=lambda r: (-r.recorded_at.timestamp(), r.pk))}
        return (201 if done.created else 200), checkin_out(checkin)

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


# --- questionnaires -------------------------------------------------------------------------


@router.post("/patients/{patient_id}/questionnaires/{instrument_id}",
             response={201: ResponseOut, **WRITE_ERRORS})
def post_questionnaire(request: HttpRequest, response: HttpResponse, payload: QuestionnaireIn,
                       instrument_id: Slug, patient_id: int = PatientId,
                       idempotency_key: str | None = IdempotencyHeader
                       ) -> Status[dict[str, Any]]:
    """PHQ-9, GAD-7 or AUDIT-C by the patient; COWS by the patient's clinician."""
    if instrument_id not in INSTRUMENTS:
        raise Http404
    if instrument_id not in QUESTIONNAIRES:
        raise InvalidInput(
            "instrument_id",
            f"{instrument_id} is not recorded on its own; stand-alone questionnaires are "
            f"{', '.join(QUESTIONNAIRES)} (daily instruments go in a check-in)",
        )
    role = QUESTIONNAIRES[instrument_id]
    if api_user(request).role != role:
        raise Forbidden(f"{instrument_id} is filled in by the {role}.")
    user, patient = patient_for(request, patient_id, role)
    data = payload.model_dump(mode="json")
    check_answers({instrument_id: data["answers"]}, keyed=False)

    def write() -> tuple[int, dict[str, Any]]:
        stored = actions.record_questionnaire(patient, user, instrument_id, data["answers"])
        return 201, ResponseOut.model_validate(stored).model_dump(mode="json")

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


# --- uses -----------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/uses", response={200: list[UseOut], **ERRORS})
@paginate(Pagination)
def list_uses(request: HttpRequest, patient_id: int = PatientId) -> QuerySet[UseEvent]:
    _, patient = patient_for(request, patient_id, *READERS, read="uses")
    return UseEvent.objects.filter(patient=patient).order_by("-taken_at", "-pk")


@router.post("/patients/{patient_id}/uses", response={201: UseOut, **WRITE_ERRORS})
def post_use(request: HttpRequest, response: HttpResponse, payload: UseIn,
             patient_id: int = PatientId,
             idempotency_key: str | None = IdempotencyHeader) -> Status[dict[str, Any]]:
    """Log a use; the days-free counter restarts from it, the history stays. Patients only."""
    user, patient = patient_for(request, patient_id, Role.PATIENT)
    data = payload.model_dump(mode="json")

    def write() -> tuple[int, dict[str, Any]]:
        event = actions.log_use(patient, user, taken_at=data["taken_at"],
                                amount=data["amount"], unit=data["unit"], note=data["note"])
        return 201, UseOut.model_validate(event).model_dump(mode="json")

    status, body, replayed = idempotency.run_once(request, user, idempotency_key, data, write)
    replay_header(response, replayed)
    return Status(status, body)


# --- timeline -------------------------------------------------------------------------------


@router.get("/patients/{patient_id}/timeline", response={200: dict, 409: ErrorOut, **ERRORS})
def get_timeline(request: HttpRequest, patient_id: int = PatientId) -> dict[str, Any]:
    """Withdrawal phase now and the expected SOWS curve, updated by the patient's own SOWS
    check-ins (care.timeline.forecast; docs/timeline.md)."""
    user, patient = patient_for(request, patient_id, *READERS, read="timeline")
    profile_of(patient)  # 409 before onboarding
    # The same forecast the web shows (profile, logged doses, check-ins). Without check-in
    # sharing the curve follows the profile and doses only (no scores, no flags).
    result = patient_forecast(patient, timezone.now(),
                              with_checkins=checkins_shared_with(user, patient))
    if result is None:
        raise Conflict("the last dose is not known yet")
    return result[0].as_dict()


@router.get("/patients/{patient_id}/safety", response={200: dict, 409: ErrorOut, **ERRORS},
            summary="Safety flags, level-of-care suggestion and crisis resources")
def get_safety(request: HttpRequest, patient_id: int = PatientId) -> dict[str, Any]:
    """The latest stored evaluation (docs/safety.md): flags with actions, the suggested level
    of care with its reasons and disclaimer, a clinician's recorded decision, resources."""
    _, patient = patient_for(request, patient_id, *READERS, read="safety")
    summary = current_safety(patient)
    if summary is None:
        raise Conflict("nothing has been evaluated yet: complete onboarding or check in")
    return dict(summary)


@router.get("/patients/{patient_id}/tapers", response={200: list[dict[str, Any]], **ERRORS},
            summary="Active taper and medication plans, adapted to recent check-ins")
def get_tapers(request: HttpRequest, patient_id: int = PatientId) -> list[dict[str, Any]]:
    _, patient = patient_for(request, patient_id, *READERS, read="tapers")
    return [
        {"series": str(v.record.series), "kind": v.record.kind, "name": v.record.name,
         "version": v.record.version, "schedule": v.record.schedule, **v.plan.as_dict()}
        for v in current_versions(patient, timezone.now())
    ]


@router.get("/patients/{patient_id}/export/fhir", response={200: dict, **ERRORS},
            summary="FHIR R4 Bundle of the patient's records (docs/export.md)")
def export_fhir(request: HttpRequest, patient_id: int = PatientId,
                pseudonymous: bool = True) -> dict[str, Any]:
    """The patient's own data, or a clinician's export of it (audited as an export)."""
    user, patient = patient_for(request, patient_id, *READERS)
    return fhir_export(patient, user, pseudonymous=pseudonymous, via="api")

