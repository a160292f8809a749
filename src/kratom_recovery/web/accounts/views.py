"""Sign-up, role-based home and the always-reachable help page."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts import actions
from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.common.forms import add_domain_error
from kratom_recovery.web.patients.forms import SignupForm

HOME_FOR_ROLE: dict[str, str] = {
    Role.PATIENT: "patient-home", Role.CLINICIAN: "caseload", Role.ADMIN: "program"
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "welcome.html")
    return redirect(HOME_FOR_ROLE[getattr(request.user, "role", Role.PATIENT)])


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = actions.register_patient(
                form.cleaned_data["username"],
                form.cleaned_data["password"],
                form.cleaned_data["display_name"],
                form.cleaned_data["invite_code"],
            )
        except InvalidInput as error:
            add_domain_error(form, error)
        else:
            login(request, patient.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("onboarding")
    return render(request, "registration/signup.html", {"form": form})
