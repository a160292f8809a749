"""Who am I, the instrument registry, and the pure planning tools (taper, triage).

These read no patient records; they still need a token so the API has one rule.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from kratom_recovery.care import instruments, taper, taper_holds, triage
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_questionnaire import questionnaire
from kratom_recovery.care.instruments import INSTRUMENTS, Instrument
from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.api.auth import api_user
from kratom_recovery.web.api.endpoints.patients import ERRORS, WRITE_ERRORS
from kratom_recovery.web.api.schemas import (
    InstrumentSummary,
    MeOut,
    ScoreIn,
    Slug,
    TaperIn,
    TriageIn,
)
from kratom_recovery.web.patients.models import Patient

router = Router()


@router.get("/me", response={200: MeOut, 401: ERRORS[401]}, tags=["me"])
def me(request: HttpRequest) -> MeOut:
    """The token's user: role, and the patient id for a patient."""
    user = api_user(request)
    patient_id = Patient.objects.filter(user=user).values_list("pk", flat=True).first()
    return MeOut(id=user.pk, username=user.username, display_name=str(user),
                 role=user.role, patient_id=patient_id)  # type: ignore[arg-type]


def instrument_or_404(instrument_id: str) -> Instrument:
    if instrument_id not in INSTRUMENTS:
        raise Http404
    return INSTRUMENTS[instrument_id]


def summary(instrument: Instrument) -> InstrumentSummary:
    return InstrumentSummary(
        id=instrument.id, version=instrument.version, name=instrument.name,
        short_name=instrument.short_name, respondent=instrument.respondent,
        description=instrument.description, items=len(instrument.items),
        min_total=instrument.min_total, max_total=instrument.max_total,
    )


def definition(instrument: Instrument) -> dict[str, Any]:
    data = dataclasses.asdict(instrument)
    for item, raw in zip(data["items"], instrument.items, strict=True):
        item["kind"] = raw.kind
    data["min_total"] = instrument.min_total
    data["max_total"] = instrument.max_total
    return data


@router.get("/instruments", response={200: list[InstrumentSummary], 401: ERRORS[401]},
            tags=["instruments"])
def list_instruments(request: HttpRequest) -> list[InstrumentSummary]:
    return [summary(i) for i in INSTRUMENTS.values()]


@router.get("/instruments/{instrument_id}", response={200: dict, **ERRORS},
            tags=["instruments"])
def get_instrument(request: HttpRequest, instrument_id: Slug) -> dict[str, Any]:
    """The full definition: items with their answer options, bands, flags, source."""
    return definition(instrument_or_404(instrument_id))


@router.get("/instruments/{instrument_id}/questionnaire", response={200: dict, **ERRORS},
            tags=["instruments"])
def get_questionnaire(request: HttpRequest, instrument_id: Slug) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire (SDC)."""
    return questionnaire(instrument_or_404(instrument_id))


@router.post("/instruments/{instrument_id}/score", response={200: dict, **WRITE_ERRORS},
             tags=["instruments"])
def score(request: HttpRequest, instrument_id: Slug, payload: ScoreIn) -> dict[str, Any]:
    """Score answers (published item order) without storing anything. A clinician-only
    scoring option (sud's medically_supervised) is refused from anyone else."""
    instrument = instrument_or_404(instrument_id)
    user = api_user(request)
    for option in instrument.options:
        if option.clinician_only and payload.options.get(option.name) and (
                user.role != Role.CLINICIAN):
            raise InvalidInput(f"options.{option.name}",
                               "is for clinicians only: it is a clinical judgement that the "
                               "substance was taken solely under medical supervision")
    return instruments.score(instrument.id, payload.answers, **payload.options).as_dict()


@router.post("/taper/plan", response={200: dict, 401: ERRORS[401], 422: WRITE_ERRORS[422]},
             tags=["tools"])
def taper_plan(request: HttpRequest, payload: TaperIn) -> dict[str, Any]:
    """A taper plan to zero (docs/taper.md); with `checkins` (and `today`), holds apply."""
    data = payload.model_dump(exclude={"checkins", "today"})
    request_ = taper.parse_taper_request(data)
    fixed = taper.checked_plan(request_)  # 422 on unconfirmed large cuts in a medicine plan
    if payload.checkins is None:
        return dict(fixed.as_dict())
    today = payload.today or timezone.now().date()
    checkins = [taper_holds.CheckinSummary(time=c.time, sows_total=c.sows_total, craving=c.craving)
                for c in payload.checkins]
    return dict(taper.adapt_plan(request_, checkins, today).as_dict())


@router.post("/triage", response={200: dict, 401: ERRORS[401], 422: WRITE_ERRORS[422]},
             tags=["tools"])
def triage_now(request: HttpRequest, payload: TriageIn) -> dict[str, Any]:
    """Safety flags, a suggested level of care and resources for a profile and answers
    (the same as `kratom-recovery triage`; docs/profile.md). Nothing is stored."""
    return triage.triage_document(payload.model_dump(), now=timezone.now()).as_dict()
