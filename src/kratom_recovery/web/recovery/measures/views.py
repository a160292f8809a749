"""The own-measures page: today's values, adding a measure, archiving one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.access import own_patient
from kratom_recovery.web.recovery.measures import actions, forms
from kratom_recovery.web.recovery.models import OwnMeasure, OwnMeasureValue


@patient_required
@require_http_methods(["GET", "POST"])
def measures(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    active = list(OwnMeasure.objects.filter(patient=patient, archived=False))
    today = patient.today()
    existing = dict(OwnMeasureValue.objects.filter(
        measure__in=active, local_date=today).values_list("measure_id", "value"))
    form = forms.MeasureValuesForm(
        active, request.POST or None,
        initial={f"measure_{pk}": value for pk, value in existing.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_measure_values(patient, request.user, form.values())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Today's values are saved."))
            return redirect("recovery-measures")
    return render(request, "recovery/measures.html", {
        "patient": patient, "form": form, "add_form": forms.MeasureForm(), "today": today,
        "measures": active,
    })


@patient_required
@require_POST
def measure_add(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    add_form = forms.MeasureForm(request.POST)
    if add_form.is_valid():
        try:
            actions.add_measure(patient, request.user, add_form.cleaned_data["name"])
        except InvalidInput as error:
            add_domain_error(add_form, error)
        else:
            messages.success(request, _("Added. You can fill it in below each day."))
            return redirect("recovery-measures")
    active = list(OwnMeasure.objects.filter(patient=patient, archived=False))
    return render(request, "recovery/measures.html", {
        "patient": patient, "form": forms.MeasureValuesForm(active), "add_form": add_form,
        "today": patient.today(), "measures": active,
    })


@patient_required
@require_POST
def measure_archive(request: AuthedRequest, measure_id: int) -> HttpResponse:
    patient = own_patient(request.user)
    measure = OwnMeasure.objects.filter(patient=patient, pk=measure_id, archived=False).first()
    if measure is None:
        raise Http404
    actions.archive_measure(measure, request.user)
    messages.success(request, _("“%(name)s” is archived; its history stays in your charts.")
                     % {"name": measure.name})
    return redirect("recovery-measures")
