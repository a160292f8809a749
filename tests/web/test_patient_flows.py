"""Sign-up, onboarding, check-ins and logged use, through the pages and the actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments.sows import SOWS
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, UseEvent, UseProfile
from tests.support.personas import NOW, PASSWORD, profile_data

pytestmark = pytest.mark.django_db

SOWS_CALM = ["1"] * 16


def checkin_post(sows: list[str] | None = None,
                 **extra: str | list[str]) -> dict[str, str | list[str]]:
    from kratom_recovery.care.instruments import get_instrument

    data: dict[str, str | list[str]] = {}
    for item, value in zip(get_instrument("sows").items, sows or SOWS_CALM, strict=True):
        data[f"sows-{item.id}"] = value
    data["craving-craving"] = "4"
    for item in get_instrument("daily-extra").items:
        data[f"daily-extra-{item.id}"] = "" if item.optional else "2"
    data.update({"sleep_hours": "6.5", "note": "rough night", "self_harm_thoughts": "no"})
    data.update(extra)
    return data


def test_signup_creates_patient_and_links_by_invite(client: Client, cleo: Any) -> None:
    from kratom_recovery.web.accounts.actions import create_invite

    code = create_invite(cleo).code
    response = client.post(
        reverse("signup"),
        {"username": "newbie", "password": PASSWORD, "display_name": "New", "invite_code": code,
         "age": "34", "timezone": "America/Chicago"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("onboarding")
    user = User.objects.get(username="newbie")
    assert user.role == "patient" and user.patient.clinician == cleo
    assert user.patient.timezone == "America/Chicago"  # as confirmed, never UTC by default
    client.logout()  # the invite is single use
    response = client.post(
        reverse("signup"),
        {"username": "second", "password": PASSWORD, "invite_code": code, "age": "34",
         "timezone": "America/Chicago"},
    )
    assert "not valid" in response.content.decode()
    assert not User.objects.filter(username="second").exists()


ZONE = {"timezone": "America/Chicago"}


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"username": "x y", "password": PASSWORD, "age": "30", **ZONE}, "username",
         "letters, digits"),
        ({"username": "ok", "password": "short", "age": "30", **ZONE}, "password", "too short"),
        ({"username": "ok", "password": PASSWORD, "invite_code": "NOPE", "age": "30", **ZONE},
         "invite_code", "not valid"),
        ({"username": "ok", "password": PASSWORD, "age": "12", **ZONE}, "age", "13 or older"),
        ({"username": "ok", "password": PASSWORD, **ZONE}, "age", "required"),
        # No zone chosen (the page fills it from the browser; without JavaScript it is asked).
        ({"username": "ok", "password": PASSWORD, "age": "30"}, "timezone", "required"),
        ({"username": "ok", "password": PASSWORD, "age": "30", "timezone": "Mars/Base"},
         "timezone", "Select a valid choice"),
    ],
)
def test_signup_errors_write_nothing(
    client: Client, data: dict[str, str], field: str, text: str
) -> None:
    response = client.post(reverse("signup"), data)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert User.objects.count() == 0


def test_onboarding_page_saves_profile_in_local_time(client: Client, make_patient: Any) -> None:
    patient = make_patient("fresh", None, onboard=False)
    client.force_login(patient.user)
    assert client.get(reverse("patient-home"))["Location"] == reverse("onboarding")
    form = {
        "product": "leaf", "amount_per_day": "12.5", "unit": "g", "doses_per_day": "3",
        "years_of_use": "2", "last_dose": "2026-11-19T08:00", "timezone": "America/Chicago",
        "other_substances": ["alcohol"], "medications": "sertraline\n\n midazolam ",
        "conditions": ["chronic-pain"], "support": "some", "previous_attempts": "0",
        "goal": "taper",
    }
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("onboarding"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = UseProfile.objects.get(patient=patient)
    assert profile.medications == ["sertraline", "midazolam"]
    assert profile.last_dose.isoformat() == "2026-11-19T14:00:00+00:00"  # 08:00 CST
    patient.refresh_from_db()
    assert patient.timezone == "America/Chicago"


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"unit": "mg"}, "unit", "does not fit"),
        ({"amount_per_day": "0"}, "amount_per_day", "above 0"),
        ({"amount_per_day": "900"}, "amount_per_day", "up to 250"),
        ({"doses_per_day": "0"}, "doses_per_day", ""),
        ({"last_dose": "2026-12-30T08:00"}, "last_dose", "future"),
        ({"product": "heroin"}, "product", ""),
        ({"timezone": "Mars/Base"}, "timezone", ""),
    ],
)
def test_onboarding_errors_name_the_field_and_write_nothing(
    client: Client, make_patient: Any, change: dict[str, str], field: str, text: str
) -> None:
    patient = make_patient("fresh", None, onboard=False)
    client.force_login(patient.user)
    form = {
        "product": "leaf", "amount_per_day": "12", "unit": "g", "doses_per_day": "3",
        "years_of_use": "2", "last_dose": "2026-11-19T08:00", "timezone": "UTC",
        "support": "some", "previous_attempts": "0", "goal": "taper", **change,
    }
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("onboarding"), form)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert text in " ".join(errors[field])
    assert not UseProfile.objects.filter(patient=patient).exists()


def test_checkin_round_trip_and_same_day_edit(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("checkin"), checkin_post())
        assert response.status_code == 302, response.context["form"].errors
        sows = InstrumentResponse.objects.get(patient=pat, instrument="sows")
        assert (sows.total, sows.band, sows.version) == (16, "moderate", SOWS.version)
        # Edit the same day: replaced, not duplicated.
        client.post(reverse("checkin"), checkin_post(sows=["0"] * 16, note="better"))
        page = client.get(reverse("checkin"))
    assert CheckIn.objects.filter(patient=pat).count() == 1
    assert InstrumentResponse.objects.filter(patient=pat, instrument="sows").get().total == 0
    assert page.context["editing"] is True
    assert CheckIn.objects.get(patient=pat).note == "better"
    with time_machine.travel(NOW, tick=False):
        home = client.get(reverse("patient-home")).content.decode()
    assert "better" not in home  # notes are not shown on the summary table
    assert "Edit today" in home


def test_checkin_new_local_day_is_a_new_row(pat: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [3]}, now=NOW)
    actions.record_checkin(pat, pat.user, {"craving": [5]}, now=NOW + timedelta(days=1))
    assert CheckIn.objects.filter(patient=pat).count() == 2


@pytest.mark.parametrize(
    ("post", "field"),
    [
        (checkin_post(sows=["5"] + ["1"] * 15), "sows-anxious"),
        (checkin_post(temperature_c="99"), "temperature_c"),
        (checkin_post(self_harm_thoughts=""), "self_harm_thoughts"),
        ({k: v for k, v in checkin_post().items() if k != "sows-cramps"}, "sows-cramps"),
    ],
)
def test_bad_checkin_names_the_field_and_writes_nothing(
    client: Client, pat: Any, post: dict[str, str], field: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), post)
    assert response.status_code == 200
    errors = {**response.context["form"].errors, **response.context["extras"].errors}
    assert field in errors, errors
    assert CheckIn.objects.count() == 0 and InstrumentResponse.objects.count() == 0


def test_action_rejects_invalid_answers_atomically(pat: Any) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        actions.record_checkin(pat, pat.user, {"craving": [4], "sows": [1] * 15}, now=NOW)
    assert "answers" in str(excinfo.value)
    assert CheckIn.objects.count() == 0 and InstrumentResponse.objects.count() == 0


def test_log_use_resets_counter_and_keeps_history(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        before = client.get(reverse("patient-home")).context["days_free"]
        response = client.post(
            reverse("log-use"),
            {"taken_at": "2026-11-24T20:00", "amount": "3", "unit": "g", "note": "stress"},
        )
        assert response.status_code == 302
        after = client.get(reverse("patient-home")).context["days_free"]
    assert before == 6 and after == 0
    assert UseEvent.objects.filter(patient=pat).count() == 1
    assert UseProfile.objects.get(patient=pat).last_dose < UseEvent.objects.get().taken_at


def test_log_use_in_future_is_refused(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("log-use"), {"taken_at": "2026-12-24T20:00", "amount": "3", "unit": "g"}
        )
    assert response.status_code == 200
    assert "future" in str(response.context["form"].errors)
    assert UseEvent.objects.count() == 0


def test_audit_records_clinician_reads_not_own_reads(
    client: Client, pat: Any, cleo: Any
) -> None:
    client.force_login(pat.user)
    client.get(reverse("patient-home"))
    actions.record_checkin(pat, pat.user, {"craving": [3]}, now=NOW)
    assert AuditEntry.objects.count() == 0
    client.force_login(cleo)
    client.get(reverse("chart", args=[pat.pk]))
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.patient, entry.action, entry.target) == (cleo, pat, "read",
                                                                        "chart")


def test_audit_entries_are_append_only(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.audit.log import record

    record(cleo, pat, "read", "chart")
    entry = AuditEntry.objects.get()
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_profile_data_round_trip_through_domain(pat: Any) -> None:
    domain = pat.profile.to_domain()
    assert domain.product == "leaf" and domain.amount_per_day == 15.0
    assert domain.last_dose is not None
    assert profile_data()["product"] == "leaf"
