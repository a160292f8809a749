"""Alerts for the care team: a clinician reads their patients' alerts and acknowledges them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params import functions as params

from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.api.auth import api_user, require_role
from kratom_recovery.web.api.endpoints.patients import ERRORS, WRITE_ERRORS, PatientId, patient_for
from kratom_recovery.web.api.pagination import Pagination
from kratom_recovery.web.api.schemas import MAX_ID, AcknowledgeIn, AlertOut
from kratom_recovery.web.patients.access import visible_patients
from kratom_recovery.web.safety import actions as safety_actions
from kratom_recovery.web.safety.models import Alert

router = Router(tags=["alerts"])
AlertId: Any = params.Path(..., ge=1, le=MAX_ID)


@router.get("/patients/{patient_id}/alerts", response={200: list[AlertOut], **ERRORS})
@paginate(Pagination)
def list_alerts(request: HttpRequest, patient_id: int = PatientId,
                open_only: bool = False) -> QuerySet[Alert]:
    """The patient's alerts, most severe and newest first; clinicians of the patient only."""
    _, patient = patient_for(request, patient_id, Role.CLINICIAN, read="alerts")
    alerts = Alert.objects.filter(patient=patient)
    if open_only:
        alerts = alerts.filter(acknowledged_at=None)
    return alerts.order_by("-severity_rank", "-created_at", "-pk")


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, **WRITE_ERRORS})
def acknowledge(request: HttpRequest, payload: AcknowledgeIn,
                alert_id: int = AlertId) -> Any:
    """Close an alert with a note saying what was done (care team of the patient only)."""
    user = api_user(request)
    require_role(user, Role.CLINICIAN)
    alert = (
        Alert.objects.select_related("patient__user")
        .filter(pk=alert_id, patient__in=visible_patients(user))
        .first()
    )
    if alert is None:
        raise Http404
    return safety_actions.acknowledge_alert(alert, user, payload.note)
