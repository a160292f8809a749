"""The MOUD and naloxone page of the chart: the status in force with its referral and any
naltrexone caution, naloxone records, the MOUD check-ins, and a form for each. Reads are
audited; writes go through moud/actions.py."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care import moud as care_moud
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import AuthedRequest, clinician_required
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.followup.moud import actions, queries
from kratom_recovery.web.followup.moud.forms import CheckinForm, MoudForm, NaloxoneForm
from kratom_recovery.web.patients.access import get_patient_for

WRITERS = {"moud": actions.record_moud, "naloxone": actions.record_naloxone,
           "checkin": actions.record_moud_checkin}
SAVED = {"moud": _("MOUD status saved."), "naloxone": _("Naloxone saved."),
         "checkin": _("MOUD check-in saved.")}


@clinician_required
@require_http_methods(["GET", "POST"])
def moud_page(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    today = patient.today(timezone.now()).isoformat()
    which = request.POST.get("which", "") if request.method == "POST" else ""
    built: dict[str, forms.Form] = {
        "moud": MoudForm(request.POST if which == "moud" else None, prefix="moud",
                         initial={"on": today}),
        "naloxone": NaloxoneForm(request.POST if which == "naloxone" else None,
                                 prefix="naloxone", initial={"on": today}),
        "checkin": CheckinForm(request.POST if which == "checkin" else None,
                               prefix="checkin", initial={"on": today}),
    }
    if which in WRITERS:
        form = built[which]
        if form.is_valid():
            try:
                WRITERS[which](patient, request.user, form.cleaned_data)
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, str(SAVED[which]))
                return redirect("moud", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "moud")
    return render(request, "followup/moud.html", {
        "patient": patient, "forms": built, "current": queries.current_moud(patient),
        "history": queries.moud_history(patient), "naloxone": queries.naloxone_history(patient),
        "checkins": queries.checkin_history(patient), "caution": care_moud.NALTREXONE_CAUTION,
        "medications": care_moud.MEDICATIONS, "statuses": care_moud.STATUSES,
        "referral_statuses": care_moud.REFERRAL_STATUSES,
        "naloxone_actions": care_moud.NALOXONE_ACTIONS, "answers": care_moud.CHECKIN_ANSWERS,
    }, status=400 if which in WRITERS else 200)
