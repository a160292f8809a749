"""Recovery tools for the patient: thin views that parse input, call an action or query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kratom_recovery.care import exercises as care_exercises
from kratom_recovery.care.coping import COPING_BY_ID, EVIDENCE, SYMPTOM_NAMES
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.progress import BETTER_DIRECTION, MILESTONES
from kratom_recovery.web.accounts.decorators import AuthedRequest, patient_required
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.common.panels import render_panels
from kratom_recovery.web.patients.access import own_patient
from kratom_recovery.web.patients.checkin_result import checkin_result
from kratom_recovery.web.patients.models import Patient, UseEvent
from kratom_recovery.web.patients.page import PatientPage
from kratom_recovery.web.recovery import actions, forms, learn, queries
from kratom_recovery.web.recovery.consent import consent_for
from kratom_recovery.web.recovery.models import (
    ExerciseEntry,
    RelapsePlan,
)
from kratom_recovery.web.safety.models import SafetyState
from kratom_recovery.web.safety.panels import crisis_card
from kratom_recovery.web.tapers.models import TaperPlanRecord

AUDIT_PAGE_SIZE = 25
EXERCISE_HISTORY = 20


def onboarded(request: AuthedRequest) -> Patient:
    patient = own_patient(request.user)
    if not hasattr(patient, "profile"):
        raise Http404
    return patient


# --- coping -----------------------------------------------------------------------------------


@patient_required
def coping(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    if not hasattr(patient, "profile"):
        return redirect("onboarding")
    now = timezone.now()
    view = queries.coping_view(patient, now)
    worst = [(SYMPTOM_NAMES[s], round(level * 100)) for s, level in view.worst]
    # Just after a check-in: "is this normal for today?" above the ideas.
    result = None
    if request.GET.get("saved") == "1":
        on_taper = TaperPlanRecord.objects.filter(patient=patient, kind="kratom",
                                                  active=True).exists()
        result = checkin_result(patient, now, on_taper=on_taper)
    return render(request, "recovery/coping.html", {
        "patient": patient, "coping": view, "worst": worst, "evidence": EVIDENCE,
        "checkin_result": result,
        # The check-in now lands here, so the safety crisis card must show here too.
        "panels": render_panels([crisis_card], PatientPage(patient, request.user, now)),
    })


@patient_required
@require_POST
def coping_feedback(request: AuthedRequest) -> HttpResponse:
    patient = onboarded(request)
    form = forms.FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That answer was not understood; please try again."))
        return redirect("recovery-coping")
    actions.record_coping_feedback(patient, request.user, form.cleaned_data["entry_id"],
                                   form.cleaned_data["helped"])
    title = COPING_BY_ID[form.cleaned_data["entry_id"]].title
    messages.success(request, _("Thanks. Noted for “%(title)s”; your suggestions will adjust.")
                     % {"title": _(title)})
    return redirect("recovery-coping")


# --- exercises --------------------------------------------------------------------------------


@patient_required
def exercise_list(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    entries = ExerciseEntry.objects.filter(patient=patient)[:EXERCISE_HISTORY]
    return render(request, "recovery/exercises.html", {
        "patient": patient, "exercises": care_exercises.EXERCISES,
        "entries": [(e, care_exercises.EXERCISES_BY_ID.get(e.exercise_id)) for e in entries],
    })


@patient_required
@require_http_methods(["GET", "POST"])
def exercise(request: AuthedRequest, exercise_id: str) -> HttpResponse:
    patient = own_patient(request.user)
    definition = care_exercises.EXERCISES_BY_ID.get(exercise_id)
    if definition is None:
        raise Http404
    initial: dict[str, Any] = {}
    if exercise_id == "paced-breathing":
        initial = dict(care_exercises.BREATH_DEFAULTS)
    elif definition.timer is not None:
        initial = {"seconds_done": definition.timer.default_seconds}
    form = forms.ExerciseForm(definition, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_exercise(patient, request.user, exercise_id, form.data_for_core())
        except InvalidInput as error:
            form.add_core_error(error)
        else:
            messages.success(request, _("Saved. Well done for taking the time."))
            return redirect("recovery-exercises")
    prompts: list[tuple[int, float, str]] = []
    if definition.timer is not None:
        seconds = definition.timer.default_seconds
        schedule = care_exercises.prompt_schedule(exercise_id, seconds)
        prompts = [(at // 60, prompt.at_fraction, text) for (at, text), prompt
                   in zip(schedule, definition.timer.prompts, strict=True)]
    return render(request, "recovery/exercise.html", {
        "patient": patient, "exercise": definition, "form": form, "prompts": prompts,
        "option_field": any(f.kind == "options" for f in definition.fields),
    })


@patient_required
def exercise_entry(request: AuthedRequest, entry_id: int) -> HttpResponse:
    patient = own_patient(request.user)
    entry = ExerciseEntry.objects.filter(patient=patient, pk=entry_id).first()
    if entry is None:
        raise Http404
    definition = care_exercises.EXERCISES_BY_ID.get(entry.exercise_id)
    labels = {f.id: f.label for f in definition.fields} if definition else {}
    rows = [(labels.get(key, key), value) for key, value in entry.data.items()
            if key != "options"]
    return render(request, "recovery/exercise_entry.html", {
        "patient": patient, "entry": entry, "exercise": definition, "rows": rows,
        "options": entry.data.get("options") or [],
    })


# --- psychoeducation --------------------------------------------------------------------------


def learn_index(request: HttpRequest) -> HttpResponse:
    return render(request, "recovery/learn_index.html", {"pages": learn.PAGES})


def learn_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = learn.PAGES_BY_SLUG.get(slug)
    if page is None:
        raise Http404
    return render(request, "recovery/learn_page.html", {"page": page, "pages": learn.PAGES})


# --- relapse-prevention plan ------------------------------------------------------------------


@patient_required
def plan(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    saved = RelapsePlan.objects.filter(patient=patient).first()
    return render(request, "recovery/plan.html", {
        "patient": patient, "plan": saved, "shared": consent_for(patient).plan,
    })


@patient_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    saved = RelapsePlan.objects.filter(patient=patient).first()
    form = forms.RelapsePlanForm(request.POST or None,
                                 initial=forms.RelapsePlanForm.initial_from(saved))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_relapse_plan(patient, request.user, **form.plan_data())
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your plan is saved."))
            return redirect("recovery-plan")
    return render(request, "recovery/plan_edit.html", {"patient": patient, "form": form})


# --- lapses -----------------------------------------------------------------------------------


@patient_required
@require_http_methods(["GET", "POST"])
def lapse(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    use = UseEvent.objects.filter(patient=patient).order_by("-created_at", "-id").first()
    has_clinician = patient.clinician_id is not None
    form = forms.LapseForm(request.POST or None, has_clinician=has_clinician)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_lapse(
                patient, request.user, use_event=use,
                trigger=form.cleaned_data["trigger"], feelings=form.cleaned_data["feelings"],
                plan_change=form.cleaned_data["plan_change"],
                tell_clinician=bool(form.cleaned_data.get("tell_clinician")),
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            if form.cleaned_data.get("tell_clinician"):
                messages.success(request, _("Saved, and your clinician has been told."))
            else:
                messages.success(request, _("Saved. This stays private to you."))
            if form.cleaned_data["plan_change"]:
                return redirect("recovery-plan-edit")
            return redirect("recovery-progress")
    state = SafetyState.objects.filter(patient=patient).first()
    lost_tolerance = next((f for f in (state.flags if state else [])
                           if f["id"] == "lost-tolerance"), None)
    return render(request, "recovery/lapse.html", {
        "patient": patient, "form": form, "use": use, "lost_tolerance": lost_tolerance,
        "progress": queries.progress_view(patient, timezone.now()) if hasattr(
            patient, "profile") else None,
    })


# --- progress ---------------------------------------------------------------------------------


@patient_required
def progress(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    if not hasattr(patient, "profile"):
        return redirect("onboarding")
    now = timezone.now()
    view = queries.progress_view(patient, now)
    settings = view.settings
    form = forms.SettingsForm(initial={
        "price_per_unit": settings.price_per_unit if settings else None,
        "price_unit": (settings.price_unit if settings and settings.price_unit
                       else patient.profile.unit),
        "currency": settings.currency if settings else "$",
    })
    return render(request, "recovery/progress.html", {
        "patient": patient, "progress": view, "week": queries.week_view(patient, now),
        "settings_form": form, "all_milestones": MILESTONES, "better": BETTER_DIRECTION,
    })


@patient_required
@require_POST
def progress_settings(request: AuthedRequest) -> HttpResponse:
    patient = onboarded(request)
    form = forms.SettingsForm(request.POST)
    if form.is_valid():
        try:
            actions.save_recovery_settings(
                patient, request.user, price_per_unit=form.cleaned_data["price_per_unit"],
                price_unit=form.cleaned_data["price_unit"],
                currency=form.cleaned_data["currency"] or "$",
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("recovery-progress")
    now = timezone.now()
    return render(request, "recovery/progress.html", {
        "patient": patient, "progress": queries.progress_view(patient, now),
        "week": queries.week_view(patient, now), "settings_form": form,
        "all_milestones": MILESTONES, "better": BETTER_DIRECTION,
    }, status=200)


# --- sharing and record access ----------------------------------------------------------------


@patient_required
@require_http_methods(["GET", "POST"])
def sharing(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    consent = consent_for(patient)
    form = forms.SharingForm(request.POST or None, initial={
        "checkins": consent.checkins, "journal": consent.journal, "plan": consent.plan})
    if request.method == "POST" and form.is_valid():
        actions.update_sharing(patient, request.user, **form.cleaned_data)
        messages.success(request, _("Saved. This applies straight away."))
        return redirect("recovery-sharing")
    return render(request, "recovery/sharing.html",
                  {"patient": patient, "form": form, "consent": consent})


@patient_required
def record_access(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    entries = AuditEntry.objects.filter(patient=patient).select_related("actor").order_by(
        "-at", "-id")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, describe_access(entry)) for entry in page.object_list]
    return render(request, "recovery/record_access.html",
                  {"patient": patient, "page": page, "rows": rows})


ACCESS_ACTIONS = {"read": gettext_lazy("viewed"), "create": gettext_lazy("added"),
                  "update": gettext_lazy("changed"), "export": gettext_lazy("exported"),
                  "withdraw": gettext_lazy("withdrew an answer in")}
ACCESS_TARGETS = {
    "chart": gettext_lazy("your chart"), "profile": gettext_lazy("your profile"),
    "checkin": gettext_lazy("a check-in"), "use": gettext_lazy("a logged use"),
    "response": gettext_lazy("a questionnaire"), "alert": gettext_lazy("an alert"),
    "relapse-plan": gettext_lazy("your relapse-prevention plan"),
    "journal-shared": gettext_lazy("the journal entries you shared"),
}


def describe_access(entry: AuditEntry) -> str:
    """"viewed your chart" from ("read", "chart"); unknown kinds fall back to the raw words."""
    kind = entry.target.split(":", 1)[0]
    return f"{ACCESS_ACTIONS.get(entry.action, entry.action)} " \
           f"{ACCESS_TARGETS.get(kind, entry.target)}"
