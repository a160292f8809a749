"""The thread page, for the patient (/me/messages/) and for their care team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.messaging import actions
from kratom_recovery.web.messaging.forms import MessageForm, NoticesForm
from kratom_recovery.web.messaging.notices import wants_notices
from kratom_recovery.web.messaging.queries import thread
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.models import Patient


def thread_page(request: AuthedRequest, patient: Patient, *, back: str) -> HttpResponse:
    """Show the thread (marking the other side's messages read) or send one."""
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_message(patient, request.user, form.cleaned_data["body"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            flash.success(request, _("Message sent."))
            return redirect(back, *([] if back == "messages" else [patient.pk]))
    if request.method == "GET":
        actions.mark_read(patient, request.user)
    is_patient = request.user.pk == patient.user_id
    context: dict[str, Any] = {
        "patient": patient, "form": form, "thread": list(thread(patient)),
        "is_patient": is_patient,
    }
    if is_patient:
        context["notices"] = NoticesForm(initial={"email_notices": wants_notices(patient)})
    return render(request, "messaging/thread.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def patient_thread(request: AuthedRequest) -> HttpResponse:
    return thread_page(request, own_patient(request.user), back="messages")


@patient_required
@require_POST
def notices(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    form = NoticesForm(request.POST)
    if form.is_valid():
        actions.set_email_notices(patient, request.user, form.cleaned_data["email_notices"])
        flash.success(request, _("Your choice is saved."))
    return redirect("messages")


@clinician_required
@require_http_methods(["GET", "POST"])
def clinic_thread(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    if request.method == "GET":
        audit.record(request.user, patient, "read", "messages")
    return thread_page(request, patient, back="clinic-messages")
