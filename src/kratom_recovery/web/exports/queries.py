"""Read side of exports: one patient's records as pure export data, in a bounded number of
queries whatever the number of rows.

The export shows every app's records, so this app sits above the others it reads (tapers,
safety alerts, follow-up, recovery consent) and imports them directly (docs/architecture.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core import serializers
from django.db import models

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_bundle import (
    ExportAlert,
    ExportData,
    ExportFollowUp,
    ExportMessage,
    ExportPatient,
    ExportResponse,
    ExportTaper,
    taper_steps_from_plan,
)
from kratom_recovery.care.research_csv import ResearchCheckIn, ResearchPatient
from kratom_recovery.care.taper import parse_taper_request, plan_taper
from kratom_recovery.web.bedside.queries import (
    export_administrations,
    export_labs,
    export_medication_orders,
    export_vitals,
)
from kratom_recovery.web.common.part2 import REDISCLOSURE_NOTICE
from kratom_recovery.web.followup.models import FollowUpPlan
from kratom_recovery.web.followup.moud.queries import export_moud, export_naloxone
from kratom_recovery.web.followup.plans import rows_for
from kratom_recovery.web.messaging.models import Message
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, Patient
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.safety.models import Alert
from kratom_recovery.web.safety.plan.export import export_risk_assessments, export_safety_plan
from kratom_recovery.web.tapers.models import TaperPlanRecord

WEEKLY = ("phq9", "gad7")
# Fields never put in the patient's own download: secrets (a hash of a calendar token) and
# words the care team wrote for the care team (docs/data-rights.md says how to ask for them).
PERSONAL_EXCLUDED_FIELDS: dict[str, set[str]] = {
    "followup.calendarfeed": {"token_hash"},
    "followup.appointment": {"note"},
    "followup.moudrecord": {"note"},
    "followup.moudcheckin": {"note"},
    "exports.dischargesummary": {"course_note"},
    "safety.alert": {"clinician_message", "acknowledgement_note"},
    "safety.suicideriskassessment": {"reasons", "risk_factors", "protective_factors"},
}
PERSONAL_EXCLUDED_MODELS = {
    "clinic.clinicalnote", "exports.pseudonym", "exports.retainedrecord", "audit.auditentry",
}


def response_to_export(response: InstrumentResponse, patient: Patient) -> ExportResponse:
    return ExportResponse(
        instrument_id=response.instrument,
        version=response.version,
        answers=tuple(response.answers),
        authored=response.recorded_at.astimezone(patient.zone),
        total=response.total,
        band=response.band or None,
        key=f"response-{response.pk}",
    )


def _tapers(patient: Patient, today_local: datetime) -> tuple[ExportTaper, ...]:
    latest: dict[str, TaperPlanRecord] = {}
    for record in TaperPlanRecord.objects.filter(patient=patient).order_by("version"):
        latest[str(record.series)] = record  # the last version of each plan wins
    tapers = []
    for series, record in sorted(latest.items(), key=lambda kv: kv[1].created_at):
        try:
            request = parse_taper_request(record.request)
            steps = taper_steps_from_plan(plan_taper(request).as_dict())
        except InvalidInput:
            continue  # a plan the current planner cannot read is shown in the app, not here
        end = steps[-1].end
        if record.active:
            status = "completed" if end < today_local.date() else "active"
        else:
            status = "revoked" if record.stopped_at else "completed"
        product = record.name if request.kind == "medication" else (
            f"kratom ({request.product})" if request.product else "kratom"
        )
        tapers.append(ExportTaper(key=series, name=record.name, status=status, steps=steps,
                                  product=product, created=record.created_at))
    return tuple(tapers)


def _alerts(patient: Patient) -> tuple[ExportAlert, ...]:
    return tuple(
        ExportAlert(key=str(a.pk), rule=a.rule, severity=a.severity,
                    message=a.clinician_message, created_at=a.created_at,
                    open=a.acknowledged_at is None)
        for a in Alert.objects.filter(patient=patient).order_by("created_at", "pk")
    )


def _followups(patient: Patient, today_local: datetime) -> tuple[ExportFollowUp, ...]:
    plan = FollowUpPlan.objects.filter(patient=patient).first()
    if plan is None:
        return ()
    plan.patient = patient
    rows = rows_for(plan, today_local.date())
    return tuple(
        ExportFollowUp(day=row.item.day, due=row.item.due, last_day=row.item.last_day,
                       instruments=tuple(row.item.instruments), state=row.state)
        for row in rows
    )


def _messages(patient: Patient) -> tuple[ExportMessage, ...]:
    """The whole thread: the care team sees it whatever else the patient shares."""
    return tuple(
        ExportMessage(key=str(m.pk), from_patient=m.from_patient,
                      sender="" if m.from_patient or m.author is None else str(m.author),
                      body=m.body, sent=m.created_at, received=m.read_at)
        for m in Message.objects.filter(patient=patient).select_related("author")
        .order_by("created_at", "pk")
    )


# Rated by the clinician, so not the patient's to withhold (the chart keeps them too).
OBSERVER_RATED = ("cows",)
WITHHELD_CHECKINS = ("The patient does not share check-ins with the care team: check-in "
                     "answers and self-reported questionnaires are left out.")


def _checkins_shared(patient: Patient) -> bool:
    return clinician_may_see(patient, "checkins")


def to_export(
    patient: Patient, pseudonym: str, now: datetime, *, for_clinician: bool = False
) -> ExportData:
    """Everything the FHIR bundle holds for one patient (about 8 queries, for any history).

    `for_clinician` follows the chart (docs/data-rights.md): when the patient has stopped
    sharing their check-ins (recovery.consent), their check-in answers and their own
    questionnaires (PHQ-9, GAD-7, AUDIT-C) are left out and the bundle says so; only the
    clinician's own ratings (COWS) stay. A clinician's export carries the re-disclosure
    notice (common/part2.py).
    """
    today_local = now.astimezone(patient.zone)
    responses = InstrumentResponse.objects.filter(patient=patient).order_by("recorded_at", "pk")
    withheld = ""
    if for_clinician and not _checkins_shared(patient):
        responses = responses.filter(checkin=None, instrument__in=OBSERVER_RATED)
        withheld = WITHHELD_CHECKINS
    return ExportData(
        withheld=withheld,
        notice=REDISCLOSURE_NOTICE if for_clinician else "",
        patient=ExportPatient(
            pseudonym=pseudonym,
            display_name=patient.display_name,
            # Only an age is asked at onboarding; a birth year derived from it could be a year
            # off, so none is claimed (docs/export.md).
            birth_year=None,
        ),
        responses=tuple(response_to_export(r, patient) for r in responses),
        tapers=_tapers(patient, today_local),
        followups=_followups(patient, today_local),
        alerts=_alerts(patient),
        messages=_messages(patient),
        safety_plan=export_safety_plan(patient),
        risk_assessments=export_risk_assessments(patient, with_reasons=for_clinician),
        vitals=export_vitals(patient),
        labs=export_labs(patient),
        medication_orders=export_medication_orders(patient),
        administrations=export_administrations(patient),
        moud=export_moud(patient, notes=for_clinician),
        naloxone=export_naloxone(patient),
    )


# ---------------------------------------------------------------------------------------------
# The patient's own download: every row that points at them, whatever app it belongs to.


def _patient_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the patient) for every model with a foreign key to Patient, and for
    models one step further (e.g. own-measure values through their measure)."""
    found: list[tuple[type[models.Model], str]] = []
    direct: list[tuple[type[models.Model], str]] = []
    for relation in Patient._meta.related_objects:
        model = relation.related_model
        if isinstance(model, type) and issubclass(model, models.Model):
            direct.append((model, relation.field.name))
    found.extend(direct)
    seen = {m for m, _ in direct}
    for parent, lookup in direct:
        if parent._meta.label_lower in PERSONAL_EXCLUDED_MODELS:
            continue
        for relation in parent._meta.related_objects:
            child = relation.related_model
            if (
                isinstance(child, type)
                and issubclass(child, models.Model)
                and child not in seen
                and not any(f.name == "patient" for f in child._meta.fields)
            ):
                seen.add(child)
                found.append((child, f"{relation.field.name}__{lookup}"))
    return found


def _serialize(rows: Iterable[models.Model], label: str) -> list[dict[str, Any]]:
    excluded = PERSONAL_EXCLUDED_FIELDS.get(label, set())
    data = serializers.serialize("python", rows)
    return [
        {"id": row["pk"], **{k: v for k, v in row["fields"].items() if k not in excluded}}
        for row in data
    ]


def personal_data(patient: Patient) -> dict[str, Any]:
    """Every record of the patient's own, keyed by "app.model" (one query per model)."""
    user = patient.user
    records: dict[str, list[dict[str, Any]]] = {
        "patients.patient": _serialize([patient], "patients.patient"),
    }
    for model, lookup in _patient_models():
        label = model._meta.label_lower
        if label in PERSONAL_EXCLUDED_MODELS:
            continue
        rows = model._default_manager.filter(**{lookup: patient.pk}).order_by("pk")
        records[label] = _serialize(rows, label)
    return {
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "records": dict(sorted(records.items())),
    }


# ---------------------------------------------------------------------------------------------
# Research table


def research_patients(
    patients: Iterable[Patient] | None = None,
) -> tuple[list[Patient], list[ResearchPatient]]:
    """Every patient's check-ins and weekly questionnaires as research input (4 queries)."""
    chosen = list(
        patients if patients is not None
        else Patient.objects.select_related("profile").order_by("pk")
    )
    ids = [p.pk for p in chosen]
    checkins: dict[int, list[CheckIn]] = defaultdict(list)
    for checkin in CheckIn.objects.filter(patient__in=ids).prefetch_related("responses"):
        checkins[checkin.patient_id].append(checkin)
    weekly: dict[int, list[InstrumentResponse]] = defaultdict(list)
    for response in InstrumentResponse.objects.filter(
        patient__in=ids, checkin=None, instrument__in=WEEKLY
    ):
        weekly[response.patient_id].append(response)
    result = []
    for patient in chosen:
        profile = getattr(patient, "profile", None)
        result.append(
            ResearchPatient(
                patient_id=str(patient.pk),
                checkins=[
                    ResearchCheckIn(
                        local_date=c.local_date,
                        responses={r.instrument: list(r.answers) for r in c.responses.all()},
                        sleep_hours=float(c.sleep_hours) if c.sleep_hours is not None else None,
                        mood=c.mood,
                    )
                    for c in checkins[patient.pk]
                ],
                last_dose=patient.today(profile.last_dose) if profile else None,
                weekly=[
                    (patient.today(r.recorded_at), r.instrument, list(r.answers))
                    for r in weekly[patient.pk]
                ],
            )
        )
    return chosen, result

