"""Export and data-rights pages: thin views over exports/actions.py."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.fhir_discharge import course_lines
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    admin_required,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.common.part2 import REDISCLOSURE_NOTICE
from kratom_recovery.web.exports import actions
from kratom_recovery.web.exports.discharge import summarise
from kratom_recovery.web.exports.forms import DeleteAccountForm, DischargeForm
from kratom_recovery.web.exports.models import DischargeSummary
from kratom_recovery.web.patients.access import get_patient_for, own_patient

FHIR_JSON = "application/fhir+json"


def download(body: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # health data: never kept by a shared cache
    return response


def flag(request: AuthedRequest, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "true", "yes", "on")


@patient_required
@require_GET
def my_data(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    return render(request, "exports/my_data.html",
                  {"patient": patient, "form": DeleteAccountForm()})


@patient_required
@require_GET
def my_data_download(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    now = timezone.now()
    body = actions.personal_download(patient, now=now)
    return download(body, "application/json", f"my-data-{now:%Y-%m-%d}.json")


@patient_required
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.delete_account(patient, form.cleaned_data["password"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account and your records have been deleted."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "exports/my_data.html", {"patient": patient, "form": form},
                  status=status)


@clinician_required
@require_GET
def fhir_bundle(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    pseudonymous = flag(request, "pseudonymous")
    try:
        bundle = actions.fhir_export(
            patient, request.user, pseudonymous=pseudonymous,
            include_questionnaires=flag(request, "questionnaires"),
        )
    except InvalidInput as error:
        messages.error(request, _("The export could not be made: %(error)s") % {"error": error})
        return redirect("chart", patient_id=patient.pk)
    name = "pseudonymous" if pseudonymous else f"patient-{patient.pk}"
    return download(json.dumps(bundle, indent=2, ensure_ascii=False), FHIR_JSON,
                    f"{name}-{timezone.now():%Y-%m-%d}.fhir.json")


@admin_required
@require_GET
def program_exports(request: AuthedRequest) -> HttpResponse:
    return render(request, "exports/program.html")


@admin_required
@require_GET
def research_csv(request: AuthedRequest) -> HttpResponse:
    body = actions.research_export(request.user)
    return download(body, "text/csv", f"research-{timezone.now():%Y-%m-%d}.csv")


# --- the discharge and transition summary ---------------------------------------------------


def _summary_for(request: AuthedRequest, patient_id: int, summary_id: int
                 ) -> DischargeSummary:
    patient = get_patient_for(request.user, patient_id)
    row = get_object_or_404(DischargeSummary.objects.select_related("written_by"),
                            pk=summary_id, patient=patient)
    row.patient = patient
    return row


@clinician_required
@require_http_methods(["GET", "POST"])
def discharge_list(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Write a discharge summary for a stay, and the patient's summaries so far."""
    patient = get_patient_for(request.user, patient_id)
    form = DischargeForm(request.POST or None, initial={
        "discharged_on": patient.today(timezone.now()).isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            row = actions.write_discharge_summary(patient, request.user, form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Discharge summary written."))
            return redirect("discharge-summary", patient_id=patient.pk, summary_id=row.pk)
    audit.record(request.user, patient, "read", "discharge-summaries")
    return render(request, "exports/discharge_list.html", {
        "patient": patient, "form": form,
        "rows": DischargeSummary.objects.filter(patient=patient).select_related("written_by"),
    }, status=400 if form.errors else 200)


@clinician_required
@require_GET
def discharge_summary(request: AuthedRequest, patient_id: int, summary_id: int
                      ) -> HttpResponse:
    """The one-page summary, for the screen and for printing (Letter or A4)."""
    row = _summary_for(request, patient_id, summary_id)
    audit.record(request.user, row.patient, "read", f"discharge-summary:{row.pk}")
    summary = summarise(row, row.patient)
    return render(request, "exports/discharge_summary.html", {
        "patient": row.patient, "row": row, "s": summary,
        "course": course_lines(summary), "notice": REDISCLOSURE_NOTICE,
    })


@clinician_required
@require_GET
def discharge_fhir(request: AuthedRequest, patient_id: int, summary_id: int) -> HttpResponse:
    row = _summary_for(request, patient_id, summary_id)
    bundle = actions.discharge_document(row, request.user)
    return download(json.dumps(bundle, indent=2, ensure_ascii=False), FHIR_JSON,
                    f"discharge-{row.patient.pk}-{row.discharged_on:%Y-%m-%d}.fhir.json")
