"""Taper pages for the patient (/me/tapers/…) and their clinician (/clinic/patients/…/tapers/…).

Thin views: find the patient through the access helpers (404 for anyone else's), parse the
form, call an action or plans.show(), render. Clinician reads and exports are audited.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import LargeCutsUnconfirmed, to_ics, to_json
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.common.forms import add_domain_error, localize
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.tapers import actions, plans
from kratom_recovery.web.tapers.calendar import months
from kratom_recovery.web.tapers.forms import (
    DoseForm,
    KratomEditForm,
    KratomTaperForm,
    MedicationEditForm,
    MedicationForm,
    SignoffForm,
    StopForm,
    initial_from_request,
)
from kratom_recovery.web.tapers.models import TaperPlanRecord, TaperSignoff


def plan_urls(patient: Patient, series: uuid.UUID, clinic: bool) -> dict[str, str]:
    if clinic:
        args: list[Any] = [patient.pk, series]
        names = {"plan": "clinic-taper", "edit": "clinic-taper-edit", "stop": "clinic-taper-stop",
                 "calendar": "clinic-taper-calendar", "ics": "clinic-taper-ics",
                 "json": "clinic-taper-json"}
        urls = {key: reverse(name, args=args) for key, name in names.items()}
        urls["back"] = reverse("clinic-tapers", args=[patient.pk])
        return urls
    names = {"plan": "taper-plan", "log": "taper-log", "stop": "taper-stop",
             "calendar": "taper-calendar", "ics": "taper-ics", "json": "taper-json"}
    urls = {key: reverse(name, args=[series]) for key, name in names.items()}
    urls["back"] = reverse("tapers")
    return urls


def plan_context(patient: Patient, series: uuid.UUID, clinic: bool) -> dict[str, Any]:
    shown = plans.show(patient, series, timezone.now())
    return {"patient": patient, "shown": shown, "clinic": clinic,
            "next_dose": None if clinic else next_dose(patient, shown),
            "urls": plan_urls(patient, series, clinic)}


def plan_form_error(form: Any, error: InvalidInput) -> None:
    """The planner's error on its field; a large-cut refusal brings up the confirm box with
    the warning as its label, and says under it what to do."""
    if isinstance(error, LargeCutsUnconfirmed) and hasattr(form, "show_confirmation"):
        form.show_confirmation(error.warning)
        form.add_error("confirm_large_cuts", _("Tick the box to save a plan with these large "
                                               "cuts, or change the plan."))
    else:
        add_domain_error(form, error)


# --- patient pages ----------------------------------------------------------------------------


@patient_required
def index(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    records = TaperPlanRecord.objects.filter(patient=patient).order_by("-created_at")
    latest: dict[uuid.UUID, TaperPlanRecord] = {}
    for record in records:
        latest.setdefault(record.series, record)
    return render(request, "tapers/index.html", {
        "patient": patient, "plans": list(latest.values()),
        "kratom_running": any(r.active and r.kind == "kratom" for r in latest.values()),
        "has_profile": hasattr(patient, "profile"),
    })


def profile_initial(patient: Patient, today: date) -> dict[str, Any]:
    initial: dict[str, Any] = {"start": today, "strategy": "percent"}
    profile = getattr(patient, "profile", None)
    if profile is not None:
        initial.update(product=profile.product, amount_per_day=profile.amount_per_day,
                       unit=profile.unit, doses_per_day=profile.doses_per_day,
                       years_of_use=profile.years_of_use)
    return initial


@patient_required
@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    today = patient.today()
    form = KratomTaperForm(request.POST or None, initial=profile_initial(patient, today))
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.start_taper(patient, request.user, form.request_data())
        except InvalidInput as error:
            if error.field == "signoff":
                form.add_error(None, error.message)  # about the whole taper, not one field
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, _("Your taper plan is ready."))
            return redirect("taper-plan", record.series)
    profile = getattr(patient, "profile", None)
    return render(request, "tapers/new.html", {
        "form": form, "patient": patient,
        # Shown before the form: reasons from the profile the sign-off does not cover yet.
        "signoff_missing": actions.missing_signoff(
            patient, profile.product if profile is not None else None),
    })


@patient_required
def plan(request: AuthedRequest, series: uuid.UUID) -> HttpResponse:
    patient = own_patient(request.user)
    return render(request, "tapers/plan.html", plan_context(patient, series, clinic=False))


def next_dose(patient: Patient, shown: plans.Shown) -> str | None:
    """Today's next scheduled dose (the first not yet logged today), or None: an as-needed
    plan (the person decides), a stopped plan, or every dose of the day already logged."""
    if shown.stopped or shown.record.schedule == "as-needed" or not shown.today_doses:
        return None
    taken = sum(1 for dose in shown.doses if patient.today(dose.taken_at) == shown.today)
    return shown.today_doses[taken] if taken < len(shown.today_doses) else None


@patient_required
@require_http_methods(["GET", "POST"])
def log(request: AuthedRequest, series: uuid.UUID) -> HttpResponse:
    """Log a dose. `one_tap` logs today's next scheduled dose now, with no form to fill in
    (the plan page and the home card offer it); the form is prefilled with that dose too."""
    patient = own_patient(request.user)
    now = timezone.now()
    shown = plans.show(patient, series, now)
    scheduled = next_dose(patient, shown)
    if request.method == "POST" and request.POST.get("one_tap") == "1":
        return log_next_dose(request, patient, shown, scheduled, now)
    now_local = patient.local_now(now)
    form = DoseForm(request.POST or None, initial={
        "taken_at": now_local.replace(tzinfo=None, second=0, microsecond=0),
        "amount": scheduled,
    })
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_dose(
                shown.record, request.user,
                taken_at=localize(form.cleaned_data["taken_at"], patient.timezone),
                amount=str(form.cleaned_data["amount"]), note=form.cleaned_data["note"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Dose logged."))
            return redirect("taper-plan", series)
    return render(request, "tapers/log.html",
                  {"form": form, "patient": patient, "shown": shown, "next_dose": scheduled,
                   "urls": plan_urls(patient, series, clinic=False)})


def log_next_dose(request: AuthedRequest, patient: Patient, shown: plans.Shown,
                  scheduled: str | None, now: datetime) -> HttpResponse:
    series = shown.record.series
    if scheduled is None:
        messages.info(request, _("Today's planned doses are all logged. To log another, "
                                 "enter it here."))
        return redirect("taper-log", series)
    try:
        actions.log_dose(shown.record, request.user, taken_at=now, amount=scheduled, now=now)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect("taper-log", series)
    messages.success(request, _("Logged %(amount)s %(unit)s at %(time)s.") % {
        "amount": scheduled, "unit": shown.unit,
        "time": patient.local_now(now).strftime("%H:%M")})
    if request.POST.get("back") == "home":
        return redirect("patient-home")
    return redirect("taper-plan", series)


def stop_page(request: AuthedRequest, patient: Patient, series: uuid.UUID,
              clinic: bool) -> HttpResponse:
    shown = plans.show(patient, series, timezone.now())
    urls = plan_urls(patient, series, clinic)
    if request.method == "GET":
        audit.record(request.user, patient, "read", f"taper:{shown.record.pk}")
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.stop_taper(shown.record, request.user, reason=form.cleaned_data["reason"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.info(request, _("The plan is stopped. Its history is kept."))
            return redirect(urls["plan"])
    return render(request, "tapers/stop.html",
                  {"form": form, "patient": patient, "shown": shown, "urls": urls})


@patient_required
@require_http_methods(["GET", "POST"])
def stop(request: AuthedRequest, series: uuid.UUID) -> HttpResponse:
    patient = own_patient(request.user)
    if plans.series_records(patient, series)[-1].kind != "kratom":
        messages.info(request, _("Please ask your clinician before stopping a medicine."))
        return redirect("taper-plan", series)
    return stop_page(request, patient, series, clinic=False)


def calendar_page(request: AuthedRequest, patient: Patient, series: uuid.UUID,
                  clinic: bool) -> HttpResponse:
    context = plan_context(patient, series, clinic)
    context["months"] = months(context["shown"])
    return render(request, "tapers/calendar.html", context)


def export(shown: plans.Shown, fmt: str) -> HttpResponse:
    name = shown.record.name
    slug = slugify(name) or "taper"
    if fmt == "ics":
        response = HttpResponse(to_ics(shown.plan, name), content_type="text/calendar")
        filename = f"{slug}-taper.ics"
    else:
        response = HttpResponse(to_json(shown.plan), content_type="application/json")
        filename = f"{slug}-taper.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@patient_required
def calendar(request: AuthedRequest, series: uuid.UUID) -> HttpResponse:
    return calendar_page(request, own_patient(request.user), series, clinic=False)


@patient_required
def download(request: AuthedRequest, series: uuid.UUID, fmt: str) -> HttpResponse:
    patient = own_patient(request.user)
    return export(plans.show(patient, series, timezone.now()), fmt)


# --- clinician pages --------------------------------------------------------------------------


@clinician_required
def clinic_index(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    audit.record(request.user, patient, "read", "tapers")
    records = TaperPlanRecord.objects.filter(patient=patient).order_by("-created_at")
    latest: dict[uuid.UUID, TaperPlanRecord] = {}
    for record in records:
        latest.setdefault(record.series, record)
    return render(request, "tapers/clinic_index.html", {
        "patient": patient, "plans": list(latest.values()),
        "signoff_reasons": actions.signoff_reasons(patient, "7-oh"),
        "signoff": TaperSignoff.objects.filter(patient=patient, withdrawn_at=None)
        .select_related("signed_by").first(),
        "signoff_form": SignoffForm(),
    })


@clinician_required
@require_http_methods(["POST"])
def clinic_signoff(request: AuthedRequest, patient_id: int) -> HttpResponse:
    """Sign off (or withdraw the sign-off for) the patient's own taper start."""
    patient = get_patient_for(request.user, patient_id)
    if request.POST.get("withdraw"):
        actions.withdraw_taper_signoff(patient, request.user)
        messages.info(request, _("Sign-off withdrawn. Tapers already running go on."))
        return redirect("clinic-tapers", patient.pk)
    form = SignoffForm(request.POST)
    if form.is_valid():
        try:
            actions.sign_off_taper(patient, request.user, note=form.cleaned_data["note"])
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Signed off: the patient can start their own taper."))
    else:
        messages.error(request, _("The note is too long (at most 1000 characters)."))
    return redirect("clinic-tapers", patient.pk)


@clinician_required
@require_http_methods(["GET", "POST"])
def clinic_medication(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    today = patient.today()
    form = MedicationForm(request.POST or None, initial={"start": today})
    if request.method == "POST" and form.is_valid():
        try:
            record = actions.record_medication_plan(
                patient, request.user, form.request_data(),
                schedule=form.cleaned_data["schedule"],
            )
        except InvalidInput as error:
            plan_form_error(form, error)
        else:
            messages.success(request, _("Medication plan saved."))
            return redirect("clinic-taper", patient.pk, record.series)
    return render(request, "tapers/medication.html", {"form": form, "patient": patient})


@clinician_required
def clinic_plan(request: AuthedRequest, patient_id: int, series: uuid.UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    context = plan_context(patient, series, clinic=True)
    audit.record(request.user, patient, "read", f"taper:{context['shown'].record.pk}")
    return render(request, "tapers/plan.html", context)


@clinician_required
@require_http_methods(["GET", "POST"])
def clinic_edit(request: AuthedRequest, patient_id: int, series: uuid.UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    shown = plans.show(patient, series, timezone.now())
    record = shown.record
    form_class = KratomEditForm if record.kind == "kratom" else MedicationEditForm
    initial = initial_from_request(shown.current.request)
    initial.update(starting_point="today", schedule=record.schedule)
    form: KratomEditForm | MedicationEditForm = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new_record = actions.edit_taper(
                record, request.user, form.request_data(), **form.edit_options(),
                schedule=form.cleaned_data.get("schedule"),
            )
        except InvalidInput as error:
            plan_form_error(form, error)
        else:
            messages.success(request, _("Saved as version %(n)d.") % {"n": new_record.version})
            return redirect("clinic-taper", patient.pk, series)
    else:
        audit.record(request.user, patient, "read", f"taper:{record.pk}")
    return render(request, "tapers/edit.html", {
        "form": form, "patient": patient, "shown": shown,
        "urls": plan_urls(patient, series, clinic=True),
    })


@clinician_required
@require_http_methods(["GET", "POST"])
def clinic_stop(request: AuthedRequest, patient_id: int, series: uuid.UUID) -> HttpResponse:
    return stop_page(request, get_patient_for(request.user, patient_id), series, clinic=True)


@clinician_required
def clinic_calendar(request: AuthedRequest, patient_id: int, series: uuid.UUID) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    response = calendar_page(request, patient, series, clinic=True)
    audit.record(request.user, patient, "export", f"taper-calendar:{series}")
    return response


@clinician_required
def clinic_download(
    request: AuthedRequest, patient_id: int, series: uuid.UUID, fmt: str
) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    shown = plans.show(patient, series, timezone.now())
    audit.record(request.user, patient, "export", f"taper-{fmt}:{shown.record.pk}")
    return export(shown, fmt)
