"""How the care team reaches a patient: contact fields, their checks and where they show."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.exports.actions import personal_download
from kratom_recovery.web.patients.contact import Contact, parse_contact, update_contact
from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.safety.actions import raise_alert
from tests.support.api import call, token_for
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

FULL = {"phone": "+1 (555) 010-2030", "email": "pat@example.org",
        "emergency_name": "Robin Doe", "emergency_phone": "555 010 9999",
        "emergency_relationship": "sister", "emergency_consent": True}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_contact(patient: Any, **overrides: Any) -> Any:
    update_contact(patient, patient.user, parse_contact({**FULL, **overrides}), now=NOW)
    return Patient.objects.select_related("user").get(pk=patient.pk)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "7 to 20"),
    ("phone", "1" * 21, "7 to 20"),
    ("phone", "555-0102 ext 3", "only digits"),
    ("phone", "555\n0102030", "line breaks"),
    ("phone", "+-() -+()", "digits"),
    ("email", "not-an-address", "e-mail address"),
    ("email", "a@b.c\x00", "control"),
    ("emergency_name", "Robin\tDoe", "line breaks"),
    ("emergency_name", "R" * 81, "80"),
    ("emergency_relationship", "s" * 41, "40"),
])
def test_bad_values_name_the_field(field: str, value: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_contact({**FULL, field: value})
    assert caught.value.field == field and message in caught.value.message


def test_all_optional_and_stripped() -> None:
    assert parse_contact({}) == Contact()
    assert parse_contact({"phone": "  555 0102 030 "}).phone == "555 0102 030"


@pytest.mark.parametrize(("data", "field"), [
    ({"emergency_name": "Robin"}, "emergency_phone"),
    ({"emergency_phone": "5550102030"}, "emergency_name"),
    ({"emergency_relationship": "sister"}, "emergency_name"),
    ({"emergency_consent": True}, "emergency_consent"),
])
def test_emergency_contact_needs_name_and_phone(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_contact(data)
    assert caught.value.field == field


def test_consent_keeps_its_first_date_and_clears_when_withdrawn(pat: Any) -> None:
    from datetime import timedelta

    pat = with_contact(pat)
    assert pat.emergency_consent_at == NOW
    update_contact(pat, pat.user, parse_contact({**FULL, "emergency_relationship": "friend"}),
                   now=NOW + timedelta(days=3))
    assert pat.emergency_consent_at == NOW
    update_contact(pat, pat.user, parse_contact({**FULL, "emergency_consent": False}))
    assert pat.emergency_consent_at is None
    assert pat.user.email == "pat@example.org"  # the account's address: one source


def test_settings_page_saves_and_bad_input_changes_nothing(pat: Any) -> None:
    client = signed_in(pat.user)
    form = {**FULL, "emergency_consent": "on"}
    assert client.post(reverse("contact"), form).status_code == 302
    stored = Patient.objects.select_related("user").get(pk=pat.pk)
    assert (stored.phone, stored.user.email, stored.emergency_name) == (
        "+1 (555) 010-2030", "pat@example.org", "Robin Doe")
    assert stored.emergency_consent_at is not None
    response = client.post(reverse("contact"), {**form, "phone": "call me", "email": "x@y.org"})
    assert response.status_code == 200
    assert "only digits" in response.content.decode()
    again = Patient.objects.select_related("user").get(pk=pat.pk)
    assert (again.phone, again.user.email) == ("+1 (555) 010-2030", "pat@example.org")


def test_onboarding_takes_contact_details_with_the_profile(make_patient: Any) -> None:
    newcomer = make_patient("newcomer", None, onboard=False)
    client = signed_in(newcomer.user)
    page = client.get(reverse("onboarding")).content.decode()
    assert "contact-phone" in page and "My care team may see my emergency contact" in page
    form = {"product": "leaf", "amount_per_day": "10", "unit": "g", "doses_per_day": "2",
            "years_of_use": "1", "last_dose": "2026-11-19T08:00", "timezone": "UTC",
            "support": "some", "previous_attempts": "0", "goal": "taper",
            "contact-phone": "555 010 2030", "contact-email": "new@example.org"}
    bad = client.post(reverse("onboarding"), {**form, "contact-email": "nope"})
    assert bad.status_code == 200 and not hasattr(Patient.objects.get(pk=newcomer.pk),
                                                  "profile")
    response = client.post(reverse("onboarding"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Patient.objects.select_related("user", "profile").get(pk=newcomer.pk)
    assert (stored.phone, stored.user.email) == ("555 010 2030", "new@example.org")


def test_links_on_chart_caseload_and_alert(pat: Any, cleo: Any) -> None:
    pat = with_contact(pat)
    client = signed_in(cleo)
    for url in (reverse("chart", args=[pat.pk]), reverse("caseload")):
        page = client.get(url).content.decode()
        assert 'href="tel:+1(555)010-2030"' in page, url
        assert 'href="mailto:pat@example.org"' in page, url
        assert "Robin Doe" not in page, url  # the emergency contact: emergency alerts only
    warning = raise_alert(pat, rule="missed-checkins", severity="warning", patient_message="p",
                          clinician_message="c", source="test")
    page = client.get(reverse("alert", args=[warning.pk])).content.decode()
    assert 'href="tel:+1(555)010-2030"' in page and "Robin Doe" not in page


def test_emergency_alert_shows_the_emergency_contact_with_the_consent_date(
        pat: Any, cleo: Any) -> None:
    pat = with_contact(pat)
    alert = raise_alert(pat, rule="emergency-symptoms", severity="emergency",
                        patient_message="p", clinician_message="c", source="test")
    page = signed_in(cleo).get(reverse("alert", args=[alert.pk])).content.decode()
    assert "Robin Doe" in page and "sister" in page and 'href="tel:555010999' in page
    assert NOW.strftime("%-d %b %Y") in page
    assert "Nothing has been sent to them" in page


def test_emergency_contact_hidden_without_consent(pat: Any, cleo: Any) -> None:
    pat = with_contact(pat, emergency_consent=False)
    alert = raise_alert(pat, rule="emergency-symptoms", severity="emergency",
                        patient_message="p", clinician_message="c", source="test")
    page = signed_in(cleo).get(reverse("alert", args=[alert.pk])).content.decode()
    assert "Robin Doe" not in page and "No emergency contact shared" in page


def test_unrelated_clinician_cannot_see_contact(pat: Any, otto: Any) -> None:
    with_contact(pat)
    assert signed_in(otto).get(reverse("chart", args=[pat.pk])).status_code == 404
    assert signed_in(otto).get(reverse("contact")).status_code == 403


def test_api_contact_is_the_patients_own(client: Client, pat: Any, cleo: Any,
                                         otto: Any) -> None:
    path = f"/patients/{pat.pk}/contact"
    token = token_for(pat.user)
    put = call(client, "PUT", path, token, FULL)
    assert put.status_code == 200
    assert put.json()["emergency_name"] == "Robin Doe"
    assert put.json()["emergency_consent_at"] is not None
    assert call(client, "GET", path, token).json()["phone"] == "+1 (555) 010-2030"
    assert call(client, "GET", path, token_for(cleo)).status_code == 403
    assert call(client, "GET", path, token_for(otto)).status_code == 403
    record = call(client, "GET", f"/patients/{pat.pk}", token_for(cleo)).json()
    assert (record["phone"], record["email"]) == ("+1 (555) 010-2030", "pat@example.org")
    assert "emergency_name" not in record
    bad = call(client, "PUT", path, token, {**FULL, "phone": "12"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "phone"


def test_personal_download_has_the_contact_details(pat: Any) -> None:
    pat = with_contact(pat)
    document = json.loads(personal_download(pat))
    record = document["records"]["patients.patient"][0]
    assert record["phone"] == "+1 (555) 010-2030"
    assert record["emergency_name"] == "Robin Doe"
    assert record["emergency_consent_at"] is not None
    assert document["account"]["email"] == "pat@example.org"
