"""Follow-up, reminders, calendar feeds and finding help (the referral directory's pages are
in referrals/views.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    clinician_required,
    patient_required,
)
from kratom_recovery.web.common.forms import add_domain_error, localize
from kratom_recovery.web.followup import actions, calendar
from kratom_recovery.web.followup.forms import (
    AnchorForm,
    AppointmentForm,
    ReminderForm,
    ZipForm,
)
from kratom_recovery.web.followup.models import (
    ANCHOR_SOURCES,
    Appointment,
    CalendarFeed,
    ReminderPreference,
)
from kratom_recovery.web.followup.moud.queries import schedule_checkins
from kratom_recovery.web.followup.plans import INSTRUMENT_LINKS, Row, early_days, rows_for
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.patients.access import get_patient_for, own_patient
from kratom_recovery.web.patients.forms import InstrumentsForm
from kratom_recovery.web.patients.models import Patient

FINDTREATMENT_URL = "https://findtreatment.gov/locator"


def base_url(request: HttpRequest) -> str:
    return str(getattr(settings, "SITE_URL", "") or request.build_absolute_uri("/")).rstrip("/")


INSTRUMENT_LABELS = {
    "sows": gettext_lazy("Withdrawal symptoms (daily check-in)"),
    "craving": gettext_lazy("Craving (daily check-in)"),
    "phq9": gettext_lazy("Mood questionnaire (PHQ-9)"),
    "gad7": gettext_lazy("Anxiety questionnaire (GAD-7)"),
    "sud": gettext_lazy("Review of the past 12 months"),
}
STATE_LABELS = {
    "done": gettext_lazy("Done"),
    "due": gettext_lazy("Due now"),
    "missed": gettext_lazy("Missed"),
    "upcoming": gettext_lazy("Coming up"),
}


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    done: bool


@dataclass(frozen=True)
class ShownRow:
    day: int
    due: date
    last_day: date
    state: str
    state_label: str
    completed_on: date | None
    items: list[Todo]


MOUD_CHECKIN_LABEL = gettext_lazy("Medication (MOUD) check-in with your care team")


def shown(row: Row, moud: dict[int, date | None] | None = None) -> ShownRow:
    """A follow-up as the page lists it; `moud` (per day, the MOUD check-in done) adds the
    care team's MOUD check-in while the patient is referred to or taking MOUD."""
    items = []
    for instrument in row.item.instruments:
        name, args = INSTRUMENT_LINKS[instrument]
        items.append(Todo(str(INSTRUMENT_LABELS[instrument]), reverse(name, args=args),
                          instrument in row.done))
    if moud is not None:
        items.append(Todo(str(MOUD_CHECKIN_LABEL), "", moud.get(row.item.day) is not None))
    return ShownRow(row.item.day, row.item.due, row.item.last_day, row.state,
                    str(STATE_LABELS[row.state]), row.status.completed_on, items)


def followup_context(patient: Patient, now: datetime, *, any_appointments: bool = True
                     ) -> dict[str, Any]:
    """`any_appointments=False`: the page read with the patient that none is coming."""
    plan = actions.ensure_plan(patient, now)
    today = patient.local_now(now).date()
    plan_rows = rows_for(plan, today) if plan is not None else []
    moud = schedule_checkins(patient, [
        (r.item.day, r.item.due - timedelta(days=early_days(r.item)), r.item.last_day)
        for r in plan_rows])
    rows = [shown(row, moud) for row in plan_rows]
    return {
        "plan": plan,
        "anchor_source": ANCHOR_SOURCES.get(plan.anchor_source, "") if plan else "",
        "rows": rows,
        "appointments": list(Appointment.objects.filter(
            patient=patient, starts_at__gte=now).order_by("starts_at")[:10])
        if any_appointments else [],
    }


@patient_required
@require_GET
def followup_page(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    if not hasattr(patient, "profile"):
        return redirect("onboarding")
    context = followup_context(patient, timezone.now())
    context["patient"] = patient
    return render(request, "followup/followup.html", context)


@patient_required
@require_http_methods(["GET", "POST"])
def sud_questionnaire(request: AuthedRequest) -> HttpResponse:
    """The 12-month use-disorder review due at day 90 (care.followup INSTRUMENT_RULES)."""
    patient = own_patient(request.user)
    form = InstrumentsForm(("sud",), request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient_actions.record_questionnaire(patient, request.user, "sud",
                                                 form.answers()["sud"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect("followup")
    return render(request, "patients/questionnaire.html", {"form": form, "patient": patient})


def ics_response(body: bytes, filename: str | None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@patient_required
@require_GET
def calendar_download(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    actions.ensure_plan(patient)
    return ics_response(calendar.build(patient, base_url(request), timezone.now()),
                        "check-ins.ics")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """Calendar apps subscribe without a session: the long random token is the key."""
    patient = actions.feed_patient(token)
    if patient is None:
        raise Http404
    return ics_response(calendar.build(patient, base_url(request), timezone.now()), None)


@patient_required
@require_http_methods(["GET", "POST"])
def reminders(request: AuthedRequest) -> HttpResponse:
    patient = own_patient(request.user)
    preference = ReminderPreference.objects.filter(patient=patient).first()
    initial: dict[str, Any] = (
        {"enabled": preference.enabled, "checkin_time": preference.checkin_time,
         "weekdays": [str(d) for d in preference.weekdays],
         "quiet_start": preference.quiet_start, "quiet_end": preference.quiet_end,
         "email": preference.email or request.user.email,
         "followup_reminders": preference.followup_reminders}
        if preference else
        {"enabled": True, "checkin_time": "19:00", "weekdays": [str(d) for d in range(7)],
         "quiet_start": "22:00", "quiet_end": "07:00", "followup_reminders": True,
         "email": request.user.email}
    )
    form = ReminderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_reminder_preference(patient, request.user, form.cleaned_data)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Reminder settings saved.") if
                             form.cleaned_data["enabled"] else _("Reminders are off."))
            return redirect("reminders")
    return render(request, "followup/reminders.html", {
        "form": form, "patient": patient,
        "feed": CalendarFeed.objects.filter(patient=patient).first(),
    })


@patient_required
@require_POST
def calendar_feed_settings(request: AuthedRequest) -> HttpResponse:
    """Make a new secret address (shown once) or switch the feed off."""
    patient = own_patient(request.user)
    if request.POST.get("action") == "revoke":
        actions.revoke_feed(patient, request.user)
        messages.success(request, _("The calendar address no longer works."))
        return redirect("reminders")
    if request.POST.get("action") != "new":
        return HttpResponse(_("Unknown action."), status=400)
    token = actions.new_feed_token(patient, request.user)
    url = base_url(request) + reverse("calendar-feed", args=[token])
    return render(request, "followup/feed_created.html", {
        "patient": patient, "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
    })


@require_GET
def find_treatment(request: HttpRequest) -> HttpResponse:
    """Send a ZIP to the national locator. We only link; nothing is fetched."""
    form = ZipForm(request.GET or None)
    if form.is_valid():
        zip_code = form.cleaned_data["zip"].strip()
        return HttpResponseRedirect(f"{FINDTREATMENT_URL}?{urlencode({'sAddr': zip_code})}")
    return render(request, "followup/find_treatment.html", {"form": form})


# --- clinician ---


@clinician_required
@require_http_methods(["GET", "POST"])
def new_appointment(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    form = AppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_appointment(
                patient, request.user,
                starts_at=localize(form.cleaned_data["starts_at"], patient.timezone),
                kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
                duration_minutes=form.cleaned_data["duration_minutes"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Appointment added."))
            return redirect("chart", patient_id=patient.pk)
    return render(request, "followup/appointment_form.html",
                  {"form": form, "patient": patient})


@clinician_required
@require_POST
def set_anchor(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    form = AnchorForm(request.POST)
    if form.is_valid():
        try:
            actions.set_anchor(patient, request.user, form.cleaned_data["anchor"])
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Follow-up schedule restarted."))
            return redirect("chart", patient_id=patient.pk)
    return render(request, "followup/anchor_form.html", {"form": form, "patient": patient},
                  status=400)


# --- web app manifest ---


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """Installable on a phone's home screen: PNG icons (Android needs 192 and 512, and a
    maskable pair drawn inside the safe circle) besides the SVG."""
    data = {
        "id": "/me/",
        "name": _("Kratom recovery"),
        "short_name": _("Recovery"),
        "start_url": "/me/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fbfaf7",
        "theme_color": "#1f6f5c",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png",
             "purpose": "any"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "any"},
            {"src": static("img/icon-maskable-192.png"), "sizes": "192x192",
             "type": "image/png", "purpose": "maskable"},
            {"src": static("img/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
            {"src": static("followup/icon.svg"), "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")
