"""Safety-plan pages for the patient (/me/safety-plan/) and the care team (the chart's
safety plan and risk assessment). Reads by the care team are audited; writes go through
plan/actions.py, which names the field of any bad input."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.safety_plan import PLAN_SECTIONS
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.models import SafetyPlanVersion, SuicideRiskAssessment
from kratom_recovery.web.safety.plan import actions
from kratom_recovery.web.safety.plan.forms import RiskAssessmentForm, SafetyPlanForm
from kratom_recovery.web.safety.plan.panels import assessment_context, plan_context

HISTORY = 20  # versions listed under the plan


def _history(patient: Patient) -> list[SafetyPlanVersion]:
    return list(SafetyPlanVersion.objects.filter(patient=patient)
                .select_related("saved_by").only("version", "saved_at", "saved_by__display_name",
                                                 "saved_by__username", "patient_id")[:HISTORY])


def _plan_page(request: AuthedRequest, patient: Patient, edit_url: str,
               back_url: str) -> HttpResponse:
    plan = actions.current_plan(patient)
    return render(request, "safety/plan/plan_page.html", {
        "patient": patient, "edit_url": edit_url, "back_url": back_url,
        "history": _history(patient), "by_patient": request.user.pk == patient.user_id,
        **plan_context(patient, plan),
    })


def _edit_page(request: AuthedRequest, patient: Patient, done_url: str) -> HttpResponse:
    plan = actions.current_plan(patient)
    sections = plan.sections if plan is not None else {}
    version = plan.version if plan is not None else 0
    form = SafetyPlanForm(request.POST or None, sections=sections, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_safety_plan(patient, request.user, form.sections(),
                                     base_version=form.base_version())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Safety plan saved."))
            return redirect(done_url)
    return render(request, "safety/plan/plan_edit.html", {
        "patient": patient, "form": form, "done_url": done_url, "plan": plan,
        "by_patient": request.user.pk == patient.user_id,
        "sections": [{"section": s, "field": form[s.id] if s.kind == "lines" else None,
                      "rows": form.contact_rows(s.id) if s.kind == "contacts" else []}
                     for s in PLAN_SECTIONS],
    }, status=400 if form.errors else 200)


@patient_required
def my_plan(request: AuthedRequest) -> HttpResponse:
    """The patient's plan as one page they can print (or save as a PDF)."""
    return _plan_page(request, own_patient(request.user), reverse("my-safety-plan-edit"),
                      reverse("help"))


@patient_required
@require_http_methods(["GET", "POST"])
def my_plan_edit(request: AuthedRequest) -> HttpResponse:
    return _edit_page(request, own_patient(request.user), reverse("my-safety-plan"))


@clinician_required
def clinic_plan(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    audit.record(request.user, patient, "read", "safety-plan")
    return _plan_page(request, patient, reverse("clinic-safety-plan-edit", args=[patient.pk]),
                      reverse("chart", args=[patient.pk]))


@clinician_required
@require_http_methods(["GET", "POST"])
def clinic_plan_edit(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    if request.method == "GET":
        audit.record(request.user, patient, "read", "safety-plan")
    return _edit_page(request, patient, reverse("clinic-safety-plan", args=[patient.pk]))


@clinician_required
@require_http_methods(["GET", "POST"])
def risk_assessment(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Record the clinician's own rating with reasons; earlier ratings below."""
    patient = get_patient_for(request.user, patient_id)
    form = RiskAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_risk_assessment(patient, request.user, **form.values(),
                                           assessed_at=form.assessed_at_value())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Risk assessment saved."))
            return redirect("chart", patient_id=patient.pk)
    else:
        audit.record(request.user, patient, "read", "risk-assessments")
    earlier = list(SuicideRiskAssessment.objects.filter(patient=patient)
                   .select_related("assessed_by")[:HISTORY])
    context: dict[str, Any] = {
        "patient": patient, "form": form, "earlier": earlier,
        "plan": actions.current_plan(patient),
        **assessment_context(earlier[0] if earlier else None),
    }
    return render(request, "safety/plan/risk.html", context,
                  status=400 if form.errors else 200)
