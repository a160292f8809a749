"""The patient's journal pages: the list with a new-entry form, and one entry to edit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.access import own_patient
from kratom_recovery.web.recovery.consent import consent_for
from kratom_recovery.web.recovery.journal import actions, forms
from kratom_recovery.web.recovery.models import JournalEntry

JOURNAL_LIMIT = 50


@patient_required
@require_http_methods(["GET", "POST"])
def journal(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    form = forms.JournalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_journal_entry(patient, request.user, text=form.cleaned_data["text"],
                                      mood=form.cleaned_data["mood"],
                                      shared=form.cleaned_data["shared"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Entry saved."))
            return redirect("recovery-journal")
    entries = JournalEntry.objects.filter(patient=patient)[:JOURNAL_LIMIT]
    return render(request, "recovery/journal.html", {
        "patient": patient, "form": form, "entries": entries,
        "sharing_on": consent_for(patient).journal,
    })


@patient_required
@require_http_methods(["GET", "POST"])
def journal_entry(request: AuthedRequest, entry_id: int) -> HttpResponse:
    patient = own_patient(request.user)
    entry = JournalEntry.objects.filter(patient=patient, pk=entry_id).first()
    if entry is None:
        raise Http404
    form = forms.JournalForm(request.POST or None, initial={
        "text": entry.text, "mood": entry.mood, "shared": entry.shared})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_journal_entry(entry, request.user, text=form.cleaned_data["text"],
                                         mood=form.cleaned_data["mood"],
                                         shared=form.cleaned_data["shared"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Entry updated."))
            return redirect("recovery-journal")
    return render(request, "recovery/journal_entry.html",
                  {"patient": patient, "form": form, "entry": entry})
