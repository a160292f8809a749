"""The role-based home. (A patient's sign-up is in patients/views.py.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kratom_recovery.web.accounts.models import Role

HOME_FOR_ROLE: dict[str, str] = {
    Role.PATIENT: "patient-home", Role.CLINICIAN: "caseload", Role.ADMIN: "program"
}


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "welcome.html")
    return redirect(HOME_FOR_ROLE[getattr(request.user, "role", Role.PATIENT)])
