"""Patient pages: thin views that parse input, call an action or query, and render."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts import throttle
from kratom_recovery.web.accounts.actions import check_signup_age
from kratom_recovery.web.accounts.client import client_address
from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.common.forms import add_domain_error, localize
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients import state as current_state
from kratom_recovery.web.patients.access import own_patient
from kratom_recovery.web.patients.checkin_screens import (
    QUICK_INSTRUMENTS,
    checkin_screens,
    error_list,
)
from kratom_recovery.web.patients.contact import contact_of, parse_contact, update_contact
from kratom_recovery.web.patients.forms import (
    CheckinExtrasForm,
    ContactForm,
    InstrumentsForm,
    JoinForm,
    OnboardingForm,
    SignupForm,
    UseForm,
)
from kratom_recovery.web.patients.inputs import (
    COMPLETED_AT,
    DAILY_INSTRUMENTS,
    WITHDRAWABLE,
    CheckinInput,
    red_flags,
)
from kratom_recovery.web.patients.models import CheckIn, CurrentState, Patient

# Questionnaires the patient fills in on their own page: weekly PHQ-9/GAD-7, and the AUDIT-C
# alcohol screen (the safety rules read it: care/safety.py risky-drinking).
WEEKLY_INSTRUMENTS = ("phq9", "gad7", "audit-c")


@patient_required
@require_http_methods(["GET", "POST"])
def onboarding(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    form = OnboardingForm(request.POST or None, initial=onboarding_initial(patient))
    contact_form = ContactForm(request.POST or None, prefix="contact",
                               initial=asdict(contact_of(patient)))
    if request.method == "POST" and form.is_valid() and contact_form.is_valid():
        data = form.profile_data()
        data["last_dose"] = localize(data["last_dose"], data["timezone"])
        try:
            details = parse_contact(contact_form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(contact_form, error)
        else:
            try:
                with transaction.atomic():  # the profile and the contact, or neither
                    actions.complete_onboarding(patient, request.user, data)
                    update_contact(patient, request.user, details)
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("home")
    return render(request, "patients/onboarding.html",
                  {"form": form, "contact_form": contact_form, "patient": patient})


@patient_required
@require_http_methods(["GET", "POST"])
def contact(request: AuthedRequest) -> HttpResponse:
    """Settings: how the care team reaches the patient, and their emergency contact."""
    patient = own_patient(request.user)
    form = ContactForm(request.POST or None, initial=asdict(contact_of(patient)))
    if request.method == "POST" and form.is_valid():
        try:
            update_contact(patient, request.user, parse_contact(form.cleaned_data))
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your contact details are saved."))
            return redirect("contact")
    return render(request, "patients/contact.html", {"form": form, "patient": patient})


def onboarding_initial(patient: Patient) -> dict[str, Any]:
    if not hasattr(patient, "profile"):
        return {"timezone": patient.timezone, "previous_attempts": 0, "support": "some",
                "goal": "taper"}
    p = patient.profile
    return {
        "product": p.product, "amount_per_day": p.amount_per_day, "unit": p.unit,
        "doses_per_day": p.doses_per_day, "years_of_use": p.years_of_use,
        "last_dose": p.last_dose.astimezone(patient.zone).replace(tzinfo=None),
        "timezone": patient.timezone, "other_substances": p.other_substances,
        "medications": list(p.medications), "conditions": p.conditions, "age": p.age,
        "support": p.support, "previous_attempts": p.previous_attempts, "goal": p.goal,
        "dependence": p.dependence, "sex": p.sex,
    }


@patient_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedRequest) -> HttpResponse:
    """The daily check-in, or with `quick` the bad-night version (safety and craving only,
    a partial check-in: no SOWS, so the forecast does not use it). Every question is on the
    page; a small script shows one screen at a time (static/js/checkin.js).

    A POST is checked before the write's lock (which, on SQLite, holds up every other write)
    against the red flags the form says it showed (`prechecked`), and written under the lock
    if those are still recorded today: then checking under the lock gives the same result.
    Otherwise, and for a POST with errors, the page is checked and shown under the lock as
    a GET would read it, from the locked current-state row."""
    if request.method != "POST":
        return checkin_page(request, None)
    patient = own_patient(request.user)
    checked = prechecked(request.POST)
    with transaction.atomic():
        state = current_state.lock(patient)
        if checked is not None and checked[0] <= recorded_today(patient, state):
            try:
                actions.write_checkin(patient, request.user, checked[1], state=state)
            except InvalidInput:
                pass  # the page below shows the error
            else:
                return saved(request)
        return checkin_page(request, state)


def prechecked(post: Any) -> tuple[frozenset[str], CheckinInput] | None:
    """(the red flags the form showed, the check-in) when the POST is valid on the form's
    own word about which red flags were recorded today; None when it is not."""
    shown = frozenset(post.get("shown_red_flags", "").split(",")).intersection(WITHDRAWABLE)
    form, extras = checkin_forms(post, post.get("quick") == "1", shown)
    fields = valid_fields(form, extras)
    if fields is None:
        return None
    try:
        return shown, checkin_input(post, form, fields)
    except InvalidInput:
        return None


def checkin_forms(data: Any, quick: bool, recorded: frozenset[str],
                  initial: dict[str, Any] | None = None,
                  extras_initial: dict[str, Any] | None = None,
                  ) -> tuple[InstrumentsForm, CheckinExtrasForm]:
    """The check-in's two forms, bound to `data` (None for the page of a GET)."""
    return (InstrumentsForm(QUICK_INSTRUMENTS if quick else DAILY_INSTRUMENTS, data,
                            initial=initial),
            CheckinExtrasForm(data, initial=extras_initial, recorded=recorded, quick=quick))


def valid_fields(form: InstrumentsForm, extras: CheckinExtrasForm) -> dict[str, object] | None:
    """The extras as CheckinInput reads them when both forms are valid; None otherwise,
    or when a red flag was unticked without withdrawing (its error added)."""
    return extras.checkin_data() if form.is_valid() and extras.is_valid() else None


def recorded_on(checkin: CheckIn | None) -> frozenset[str]:
    return (frozenset() if checkin is None else
            red_flags(checkin.danger_symptoms, checkin.self_harm_thoughts))


def recorded_today(patient: Patient, state: CurrentState) -> frozenset[str]:
    return recorded_on(current_state.day_checkin(patient, patient.today(), state))


def checkin_input(post: Any, form: InstrumentsForm, fields: dict[str, object]) -> CheckinInput:
    return CheckinInput.parse({  # completed_at: sent later from offline
        "answers": form.answers(), **fields, COMPLETED_AT: post.get(COMPLETED_AT)})


def saved(request: AuthedRequest) -> HttpResponse:
    messages.success(request, _("Check-in saved. Thank you."))
    return redirect(reverse("recovery-coping") + "?saved=1")


def checkin_page(request: AuthedRequest, state: CurrentState | None) -> HttpResponse:
    patient = own_patient(request.user)
    today = patient.today()
    quick = (request.POST if request.method == "POST" else request.GET).get("quick") == "1"
    existing = current_state.day_checkin(patient, today, state)
    initial: dict[str, Any] = {}
    extras_initial: dict[str, Any] = {}
    if existing is not None:
        initial = InstrumentsForm.initial_from(current_state.checkin_answers(existing, state))
        extras_initial = {
            "note": existing.note, "temperature_c": existing.temperature_c,
            "sleep_hours": existing.sleep_hours,
            "danger_symptoms": existing.danger_symptoms,
            "self_harm_thoughts": (
                None if existing.self_harm_thoughts is None
                else "yes" if existing.self_harm_thoughts else "no"
            ),
        }
    form, extras = checkin_forms(request.POST if request.method == "POST" else None, quick,
                                 recorded_on(existing), initial, extras_initial)
    fields = valid_fields(form, extras)  # a GET's unbound forms are not valid
    if fields is not None:
        try:
            actions.write_checkin(patient, request.user,
                                  checkin_input(request.POST, form, fields), state=state)
        except InvalidInput as error:
            add_domain_error(extras if error.field in extras.fields else form, error)
        else:
            return saved(request)
    screens = checkin_screens(form, extras, quick)
    return render(request, "patients/checkin.html", {
        "form": form, "extras": extras, "editing": existing is not None, "patient": patient,
        "quick": quick, "screens": screens, "error_list": error_list(screens, form, extras),
        "required": sum(screen.required for screen in screens), "today": today,
    })


@patient_required
@require_http_methods(["GET", "POST"])
def questionnaire(request: AuthedRequest, instrument_id: str) -> HttpResponse:
    if instrument_id not in WEEKLY_INSTRUMENTS:
        raise Http404
    patient = own_patient(request.user)
    form = InstrumentsForm((instrument_id,), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_questionnaire(
                patient, request.user, instrument_id, form.answers()[instrument_id]
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect("home")
    return render(request, "patients/questionnaire.html", {"form": form, "patient": patient})


@patient_required
@require_http_methods(["GET", "POST"])
def log_use(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    now_local = patient.local_now()
    initial: dict[str, Any] = {"taken_at": now_local.replace(tzinfo=None, second=0, microsecond=0)}
    if hasattr(patient, "profile"):
        initial["unit"] = patient.profile.unit
    form = UseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.log_use(
                patient, request.user,
                taken_at=localize(form.cleaned_data["taken_at"], patient.timezone),
                amount=str(form.cleaned_data["amount"]),
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.info(request, _(
                "Logged. Your counter starts again from this time; your history stays. "
                "A lapse is information, not failure."
            ))
            return redirect("recovery-lapse")
    return render(request, "patients/log_use.html", {"form": form, "patient": patient})


@patient_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    form = JoinForm(request.POST or None,
                    initial={"invite_code": request.GET.get("invite", "")[:16]})
    if request.method == "POST" and form.is_valid():
        try:
            actions.join_clinician(patient, form.cleaned_data["invite_code"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("You are now connected with your clinician."))
            return redirect("home")
    return render(request, "patients/join.html", {"form": form, "patient": patient})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    invite = request.GET.get("invite", "")[:16]
    if request.user.is_authenticated:
        # A signed-in patient who scans an invite joins with it instead.
        if invite and getattr(request.user, "role", "") == "patient":
            return redirect(f"{reverse('join')}?{urlencode({'invite': invite})}")
        return redirect("home")
    # An invite link (clinic invite page, its QR code) fills in the code.
    form = SignupForm(request.POST or None,
                      initial={"invite_code": invite})
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        lock = throttle.allow("sign-up", client_address(request), now)
        if lock is not None:
            form.add_error(None, _("Too many sign-ups from this network. Please wait "
                                   "%(n)d minute(s) and try again.")
                           % {"n": lock.minutes_left(now)})
        else:
            try:
                check_signup_age(form.cleaned_data["age"])
                patient = actions.register_patient(
                    form.cleaned_data["username"],
                    form.cleaned_data["password"],
                    form.cleaned_data["display_name"],
                    form.cleaned_data["invite_code"],
                    zone=form.cleaned_data["timezone"],
                )
            except InvalidInput as error:
                add_domain_error(form, error)
            else:
                login(request, patient.user, backend=settings.AUTHENTICATION_BACKENDS[0])
                return redirect("onboarding")
    return render(request, "registration/signup.html", {"form": form})
