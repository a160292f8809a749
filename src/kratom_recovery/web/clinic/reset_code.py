"""A clinician gives a patient without e-mail a password-reset code to read out.

The code is made by accounts/passwords.py (hashed, single use, 15 minutes); this view only
checks that the patient is on the clinician's care team (404 otherwise) and shows it once.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kratom_recovery.web.accounts.decorators import AuthedRequest, clinician_required
from kratom_recovery.web.accounts.passwords import CODE_LIFETIME, issue_reset_code
from kratom_recovery.web.patients.access import get_patient_for


@clinician_required
@never_cache
@require_http_methods(["GET", "POST"])
def reset_code(request: AuthedRequest, patient_id: int) -> HttpResponse:
    patient = get_patient_for(request.user, patient_id)
    code = issue_reset_code(request.user, patient.user) if request.method == "POST" else None
    response = render(request, "clinic/reset_code.html", {
        "patient": patient, "code": code,
        "minutes": int(CODE_LIFETIME.total_seconds() // 60),
    })
    response["Cache-Control"] = "no-store"
    return response
