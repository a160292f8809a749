"""Persona builders shared by the web tests, made through the real actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

PASSWORD = "a-long-test-password-1"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "product": "leaf",
        "amount_per_day": "15",
        "unit": "g",
        "doses_per_day": 3,
        "years_of_use": "2",
        "last_dose": (NOW - timedelta(hours=30)).isoformat(),
        "timezone": "America/New_York",
        "other_substances": [],
        "medications": [],
        "conditions": [],
        "support": "some",
        "previous_attempts": 1,
        "goal": "stop",
    }
    data.update(overrides)
    return data


def make_patient(username: str, clinician: Any | None, onboard: bool = True) -> Any:
    from kratom_recovery.web.accounts.actions import create_invite
    from kratom_recovery.web.patients.actions import complete_onboarding, register_patient

    code = create_invite(clinician).code if clinician is not None else ""
    patient = register_patient(username, PASSWORD, username.title(), code)
    if onboard:
        complete_onboarding(patient, patient.user, profile_data(), now=NOW)
    return patient
