"""Clinician pages: caseload, patient chart, invite codes. Every chart read is audited."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kratom_recovery.care.caseload import SOWS_RISE
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.timeline import PHASES
from kratom_recovery.web.accounts import actions as account_actions
from kratom_recovery.web.accounts.decorators import (
    AuthedRequest,
    admin_required,
    clinician_required,
)
from kratom_recovery.web.accounts.invites import invite_link, qr_svg_data_uri
from kratom_recovery.web.accounts.models import InviteCode, Role, User
from kratom_recovery.web.audit import log as audit
from kratom_recovery.web.bedside.queries import due_assessments
from kratom_recovery.web.clinic import admin_actions
from kratom_recovery.web.clinic.actions import write_note
from kratom_recovery.web.clinic.caseload import filtered as triaged
from kratom_recovery.web.clinic.caseload import open_alerts_of, page_of_ids, with_rows
from kratom_recovery.web.clinic.live import (
    alert_feed,
    alerts_in_full,
    live_context,
    open_alert_briefs,
)
from kratom_recovery.web.clinic.models import ClinicalNote
from kratom_recovery.web.clinic.program import program_figures
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.common.polling import background_poll
from kratom_recovery.web.patients.access import get_patient_for
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole, Patient

OPEN_ALERTS_SHOWN = 50
CASELOAD_PAGE = 100  # rows per page, most urgent first; the sort covers the whole caseload


@clinician_required
def caseload(request: AuthedRequest) -> HttpResponse:
    """The caseload triaged by risk; a constant number of queries (clinic/caseload.py)."""
    search = request.GET.get("q", "").strip()[:80]
    tier = request.GET.get("tier", "")
    phase = request.GET.get("phase", "")
    if tier not in ("", "attention", "1", "2", "3", "4"):
        tier = ""
    if phase not in ("", *PHASES):
        phase = ""
    now = timezone.now()
    patients, ids = triaged(request.user, now, search=search, tier=tier, phase=phase)
    page = page_of_ids(ids, per_page=CASELOAD_PAGE, number=request.GET.get("page"))
    filtered = bool(search or tier or phase)
    # Every open alert of the caseload, whatever the filter, in brief: the pinned
    # emergencies, the title count and the poll. In full: those the page shows.
    briefs = open_alert_briefs(request.user)
    in_full = alerts_in_full(briefs, first=0 if filtered else OPEN_ALERTS_SHOWN,
                             patients=list(page.object_list))
    rows = with_rows(request.user, page, now, in_full)
    # The page shows each listed patient's scores and alerts: a read of every record on it.
    audit.record_many(request.user, [row.patient for row in rows], "read", "caseload")
    invites = InviteCode.objects.filter(clinician=request.user, used_by=None,
                                        expires_at__gt=now).order_by("-created_at")[:5]
    # The card lists the open alerts of the filtered caseload, most severe first.
    shown = (open_alerts_of(patients, OPEN_ALERTS_SHOWN) if filtered
             else in_full[:OPEN_ALERTS_SHOWN])
    return render(request, "clinic/caseload.html", {
        "rows": rows, "page": rows, "invites": invites, "open_alerts": shown,
        "total": rows.paginator.count, "search": search,
        "tier": tier, "phase": phase, "phases": PHASES, "sows_rise": SOWS_RISE,
        "filtered": filtered,
        "assessments_due": due_assessments(request.user, now),  # bedside COWS / CIWA-Ar
        **live_context(now, briefs, in_full),
    })


@background_poll
@require_GET
def alerts_feed(request: HttpRequest) -> HttpResponse:
    """The caseload's poll: open alerts as JSON (clinic/live.py). It reads the session but
    never writes it, so polling does not keep an idle session alive, and it writes no audit
    rows (opening a patient does). JSON errors, not the sign-in page, so the script can say
    "NOT UPDATING"."""
    user = request.user
    if not user.is_authenticated:
        response = JsonResponse({"detail": _("Sign in again.")}, status=401)
        response["WWW-Authenticate"] = 'Session realm="kratom-recovery"'
        response["Cache-Control"] = "no-store"
        return response
    if not isinstance(user, User) or user.role != Role.CLINICIAN:
        return JsonResponse({"detail": _("Only clinicians have a caseload.")}, status=403)
    return JsonResponse(alert_feed(user, timezone.now()))


@clinician_required
@require_POST
def new_invite(request: AuthedRequest) -> HttpResponse:
    invite = account_actions.create_invite(request.user)
    return redirect("invite", code=invite.code)


@clinician_required
@require_GET
def invite_page(request: AuthedRequest, code: str) -> HttpResponse:
    """An open invite of this clinician's as a link and a QR code the patient can scan from
    the screen, so it can be shown again (not a message that flashes once). Another
    clinician's, a used or an expired code: 404."""
    invite = get_object_or_404(InviteCode, code=code, clinician=request.user, used_by=None,
                               expires_at__gt=timezone.now())
    link = invite_link(invite)
    return render(request, "clinic/invite.html",
                  {"invite": invite, "link": link, "qr": qr_svg_data_uri(link)})


def clinicians_with_counts() -> QuerySet[User]:
    """Clinicians with how many patients each is the primary clinician of."""
    return (User.objects.filter(role=Role.CLINICIAN)
            .annotate(patients=Count("care_teams",
                                     filter=Q(care_teams__role=CareTeamRole.PRIMARY)))
            .order_by("username"))


@admin_required
def program(request: AuthedRequest) -> HttpResponse:
    return render(request, "clinic/program.html", {
        "clinicians": clinicians_with_counts(),
        "figures": program_figures(timezone.now()),
        "staff_form": StaffForm(),
    })


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Name shown to patients"), max_length=80,
                                   required=False)
    email = forms.EmailField(label=_("E-mail (where alerts are sent)"), max_length=254,
                             required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput,
                               max_length=200)


@admin_required
@require_POST
def add_clinician(request: AuthedRequest) -> HttpResponse:
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            account_actions.create_staff_user(
                form.cleaned_data["username"], form.cleaned_data["password"], Role.CLINICIAN,
                form.cleaned_data["display_name"], email=form.cleaned_data["email"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Clinician account created."))
            return redirect("program")
    return render(request, "clinic/program.html", {
        "clinicians": clinicians_with_counts(),
        "figures": program_figures(timezone.now()),
        "staff_form": form,
    }, status=400)


@admin_required
@require_http_methods(["GET", "POST"])
def clinician_active(request: AuthedRequest, user_id: int) -> HttpResponse:
    """Reactivate, or deactivate after choosing who takes over the clinician's patients
    (the GET page lists them; deactivation is refused until someone does)."""
    clinician = get_object_or_404(User, pk=user_id, role=Role.CLINICIAN)
    others = list(User.objects.filter(role=Role.CLINICIAN, is_active=True)
                  .exclude(pk=clinician.pk).order_by("username"))
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("reassign_to") or ""
        reassign_to = next((c for c in others if str(c.pk) == chosen), None)
        try:
            if chosen and reassign_to is None:
                raise InvalidInput("reassign_to", _("choose an active clinician"))
            moved = admin_actions.set_clinician_active(
                request.user, clinician, request.POST.get("active") == "1", reassign_to)
        except InvalidInput as refused:
            error = refused.message
        else:
            messages.success(request, _("%(name)s is now %(state)s.") % {
                "name": clinician, "state": _("active") if clinician.is_active else
                _("inactive")} + (_(" %(n)d patient(s) moved to %(to)s.") % {
                    "n": moved, "to": reassign_to} if moved else ""))
            return redirect("program")
    return render(request, "clinic/deactivate.html", {
        "clinician": clinician, "patients": admin_actions.primary_patients(clinician),
        "others": others, "error": error,
    }, status=400 if error else 200)


@admin_required
@require_http_methods(["GET", "POST"])
def assignments(request: AuthedRequest) -> HttpResponse:
    """Every patient's care team, changeable; names only, never clinical data."""
    clinicians = list(User.objects.filter(role=Role.CLINICIAN, is_active=True)
                      .order_by("username"))
    if request.method == "POST":
        raw = request.POST.get("patient", "")
        patient = get_object_or_404(Patient, pk=int(raw) if raw.isdigit() else 0)
        chosen = request.POST.get("clinician") or ""
        change = request.POST.get("change", "")
        pool = clinicians if change != "remove" else list(User.objects.filter(
            role=Role.CLINICIAN))
        clinician = next((c for c in pool if str(c.pk) == chosen), None)
        try:
            if clinician is None:
                raise InvalidInput("clinician", _("choose an active clinician"))
            admin_actions.change_care_team(request.user, patient, change, clinician)
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Care team updated."))
        return redirect("assignments")
    patients = Patient.objects.select_related("user").prefetch_related(
        Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician")
                 .order_by("added_at", "pk"))).order_by("pk")
    return render(request, "clinic/assignments.html",
                  {"patients": patients, "clinicians": clinicians})


class NoteForm(forms.Form):
    subjective = forms.CharField(label=_("Subjective"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    objective = forms.CharField(label=_("Objective"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    assessment = forms.CharField(label=_("Assessment"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    plan = forms.CharField(label=_("Plan"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


@clinician_required
@require_http_methods(["GET", "POST"])
def notes(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    amends = None
    if amends_id := request.GET.get("amends") or request.POST.get("amends"):
        amends = get_object_or_404(ClinicalNote, pk=amends_id if str(amends_id).isdigit() else 0,
                                   patient=patient)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            write_note(patient, request.user, form.cleaned_data, amends=amends)
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Note signed."))
            return redirect("notes", patient_id=patient.pk)
    audit.record(request.user, patient, "read", "notes")
    context = {
        "patient": patient,
        "form": form,
        "amends": amends,
        "notes": ClinicalNote.objects.filter(patient=patient).select_related("amends"),
    }
    return render(request, "clinic/notes.html", context)
