"""Safety pages: help, the suicide follow-up, alert acknowledgement, level of care."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.level_of_care import DISCLAIMER, LEVEL_BY_CODE
from kratom_recovery.care.resources import RESOURCES
from kratom_recovery.care.routing import first_actions
from kratom_recovery.care.safety import RULE_BY_ID
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.access import get_patient_for, own_patient, visible_patients
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety import actions
from kratom_recovery.web.safety.engine import FlagView, latest_decision
from kratom_recovery.web.safety.forms import (
    AcknowledgeForm,
    LevelDecisionForm,
    SuicideFollowupForm,
)
from kratom_recovery.web.safety.hooks import alert_sections
from kratom_recovery.web.safety.models import Alert, SafetyState
from kratom_recovery.web.safety.panels import (
    crisis_resources,
    unrecognised_medicines,
    with_dimension_names,
)
from kratom_recovery.web.safety.plan import panels as plan_panels


def care_team_of(request: HttpRequest) -> Patient | None:
    user = request.user
    if user.is_authenticated and getattr(user, "role", None) == "patient":
        return Patient.objects.filter(user=user).first()
    return None


def help_page(request: HttpRequest) -> HttpResponse:
    """Open to everyone, signed in or not: the crisis and treatment resources [ref:988-lifeline]."""
    patient = care_team_of(request)
    return render(request, "help.html", {
        "resources": [resource.as_dict() for resource in RESOURCES],
        "clinician": patient.clinician if patient else None,
        **plan_panels.help_context(patient),  # a signed-in patient's own safety plan
    })


@patient_required
@require_http_methods(["GET", "POST"])
def safety_check(request: AuthedRequest) -> HttpResponse:
    """Our own follow-up questions; the crisis resources are on the page, never behind it."""
    patient = own_patient(request.user)
    form = SuicideFollowupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_suicide_followup(patient, request.user, form.answers())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Thank you for telling us. Your care team will see "
                                        "your answers."))
            return redirect("patient-home")
    return render(request, "safety/safety_check.html", {
        "form": form, "patient": patient, "resources": crisis_resources(poison=False),
    })


def alert_for(request: AuthedRequest, alert_id: int) -> Alert:
    """The alert if its patient is on this clinician's caseload; 404 otherwise."""
    alert = (Alert.objects.select_related("patient__user", "acknowledged_by")
             .filter(pk=alert_id, patient__in=visible_patients(request.user).values("pk"))
             .first())
    if alert is None:
        raise Http404
    return alert


@clinician_required
@require_http_methods(["GET", "POST"])
def alert_page(request: AuthedRequest, alert_id: int) -> HttpResponse:
    alert = alert_for(request, alert_id)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.acknowledge_alert(alert, request.user, form.cleaned_data["note"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Alert acknowledged."))
            return redirect("chart", alert.patient_id)
    else:
        audit.record(request.user, alert.patient, "read", f"alert:{alert.pk}")
    rule = RULE_BY_ID.get(alert.rule)
    routed = FlagView(alert.severity, tuple(alert.actions), rule.family if rule else None)
    return render(request, "safety/alert.html", {
        "alert": alert, "form": form,
        "first_actions": [a.as_dict() for a in first_actions([routed])],
        "unrecognised": unrecognised_medicines(alert.patient),
        "sections": alert_sections(alert, request.user, timezone.now()),
    })


@clinician_required
@require_http_methods(["GET", "POST"])
def level_of_care(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    state = SafetyState.objects.filter(patient=patient).first()
    form = LevelDecisionForm(request.POST or None,
                             initial={"level": state.level if state else None})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_level_decision(patient, request.user, form.cleaned_data["level"],
                                          form.cleaned_data["reason"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("level-of-care", patient.pk)
    else:
        audit.record(request.user, patient, "read", "level-of-care")
    decisions = list(patient.level_decisions.select_related("decided_by")[:10])
    return render(request, "safety/level_of_care.html", {
        "patient": patient, "state": state, "form": form, "decisions": decisions,
        "decision": latest_decision(patient),
        "suggested": LEVEL_BY_CODE[state.level] if state else None,
        "reasons": with_dimension_names(state.reasons) if state else [],
        "disclaimer": DISCLAIMER,
    })
