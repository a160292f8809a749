"""One check-in input contract for the web form and the API (patients/inputs.py).

A same-day update never erases a safety answer it did not include; a recorded red flag
(a danger symptom, or a yes to the self-harm question) is removed only by an explicit,
audited withdrawal, and the safety state is re-evaluated after it.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.safety import DANGER_SYMPTOM_IDS
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.inputs import WITHDRAWABLE, CheckinInput
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse
from kratom_recovery.web.safety.models import SafetyState
from tests.support.api import call, sows, token_for
from tests.support.personas import NOW
from tests.web.test_patient_flows import checkin_post

pytestmark = pytest.mark.django_db

CRISIS_CARD = 'data-testid="crisis-card"'


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def api_checkin(client: Client, pat: Any, body: dict[str, Any]) -> Any:
    return call(client, "POST", f"/patients/{pat.pk}/checkins", token_for(pat.user), body)


def todays(pat: Any) -> CheckIn:
    return CheckIn.objects.get(patient=pat)


def safety(pat: Any) -> str:
    return SafetyState.objects.get(patient=pat).highest_severity


def home(client: Client, pat: Any) -> str:
    client.force_login(pat.user)
    return client.get(reverse("patient-home")).content.decode()


def web_red_flags(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), checkin_post(
        danger_symptoms=["chest-pain"], self_harm_thoughts="yes"))
    assert response.status_code == 302, response.context["extras"].errors


# --- the regression: neither channel erases the other's safety answers ----------------------


def test_api_checkin_after_web_keeps_the_days_safety_answers(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    assert safety(pat) == "emergency"
    response = api_checkin(client, pat, {"answers": {"sows": sows(0), "craving": [1]},
                                         "mood": 4})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["danger_symptoms"] == ["chest-pain"]
    assert body["self_harm_thoughts"] is True
    checkin = todays(pat)
    assert (checkin.danger_symptoms, checkin.self_harm_thoughts) == (["chest-pain"], True)
    # Absent fields keep their values; the answers sent replace that instrument only.
    assert (checkin.mood, checkin.note, float(checkin.sleep_hours or 0)) == (4, "rough night", 6.5)
    assert InstrumentResponse.objects.get(patient=pat, instrument="sows").total == 0
    assert safety(pat) == "emergency"
    assert CRISIS_CARD in home(client, pat)


def test_api_danger_symptoms_are_added_to_todays(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    response = api_checkin(client, pat, {"answers": {"craving": [2]},
                                         "danger_symptoms": ["fainting"],
                                         "self_harm_thoughts": None})
    assert response.status_code == 200, response.content
    assert todays(pat).danger_symptoms == ["chest-pain", "fainting"]
    assert todays(pat).self_harm_thoughts is True  # null means "not answered": kept


def test_web_checkin_after_api_keeps_the_days_safety_answers(client: Client, pat: Any) -> None:
    response = api_checkin(client, pat, {"answers": {"craving": [3]},
                                         "danger_symptoms": ["seizure"],
                                         "self_harm_thoughts": True})
    assert response.status_code == 201, response.content
    assert safety(pat) == "emergency"
    client.force_login(pat.user)
    page = client.get(reverse("checkin"))
    # The form shows today's answers, including those given through the API ...
    assert page.context["extras"].initial["danger_symptoms"] == ["seizure"]
    assert page.context["extras"].initial["self_harm_thoughts"] == "yes"
    # ... and a submission that leaves them as shown keeps them.
    posted = client.post(reverse("checkin"), checkin_post(
        danger_symptoms=["seizure"], self_harm_thoughts="yes",
        shown_red_flags="seizure,self_harm_thoughts"))
    assert posted.status_code == 302
    assert (todays(pat).danger_symptoms, todays(pat).self_harm_thoughts) == (["seizure"], True)
    assert safety(pat) == "emergency"
    assert CRISIS_CARD in home(client, pat)


def test_web_form_cannot_silently_drop_a_red_flag(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    client.force_login(pat.user)
    # Unticking a shown symptom and answering "no" without the withdrawal box: refused.
    response = client.post(reverse("checkin"), checkin_post(
        shown_red_flags="chest-pain,self_harm_thoughts"))
    assert response.status_code == 200
    errors = response.context["extras"].errors
    assert "withdraw" in errors, errors
    assert "Chest pain" in " ".join(errors["withdraw"])
    assert (todays(pat).danger_symptoms, todays(pat).self_harm_thoughts) == (["chest-pain"], True)
    assert not AuditEntry.objects.filter(action="withdraw").exists()


def test_web_form_keeps_flags_recorded_after_it_was_shown(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    assert client.post(reverse("checkin"), checkin_post()).status_code == 302
    api_checkin(client, pat, {"answers": {"craving": [5]}, "danger_symptoms": ["seizure"]})
    # A form displayed before the API call did not show "seizure": submitting it keeps it,
    # even with the withdrawal box ticked (only what the form showed can be withdrawn).
    response = client.post(reverse("checkin"), checkin_post(shown_red_flags="", withdraw="on"))
    assert response.status_code == 302
    assert todays(pat).danger_symptoms == ["seizure"]


def test_web_form_showing_a_flag_withdrawn_since_is_saved(client: Client, pat: Any) -> None:
    """The view checks a post against the flags the form says it showed before it locks;
    what counts is what is recorded when it writes: a flag taken back in the meantime (here
    through the API) needs no second withdrawal."""
    web_red_flags(client, pat)
    withdrawn = api_checkin(client, pat, {"answers": {"craving": [2]},
                                          "danger_symptoms": [], "self_harm_thoughts": False,
                                          "withdraw": ["chest-pain", "self_harm_thoughts"]})
    assert withdrawn.status_code == 200, withdrawn.content
    response = client.post(reverse("checkin"), checkin_post(
        shown_red_flags="chest-pain,self_harm_thoughts"))
    assert response.status_code == 302, response.context["extras"].errors
    assert (todays(pat).danger_symptoms, todays(pat).self_harm_thoughts) == ([], False)


def test_web_form_claiming_flags_never_recorded_withdraws_nothing(client: Client,
                                                                  pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), checkin_post(
        shown_red_flags="seizure,self_harm_thoughts,not-a-flag", withdraw="on"))
    assert response.status_code == 302, response.context["extras"].errors
    assert not AuditEntry.objects.filter(action="withdraw").exists()


def test_web_form_unticking_a_flag_recorded_since_it_was_shown_keeps_it(
        client: Client, pat: Any) -> None:
    """Shown self-harm, then chest pain recorded elsewhere: unticking both without the box is
    refused for the one shown, and nothing is written."""
    client.force_login(pat.user)
    first = client.post(reverse("checkin"), checkin_post(self_harm_thoughts="yes"))
    assert first.status_code == 302
    api_checkin(client, pat, {"answers": {"craving": [5]}, "danger_symptoms": ["chest-pain"]})
    response = client.post(reverse("checkin"),
                           checkin_post(shown_red_flags="self_harm_thoughts"))
    assert response.status_code == 200
    assert "withdraw" in response.context["extras"].errors
    assert (todays(pat).danger_symptoms, todays(pat).self_harm_thoughts) == (["chest-pain"], True)


# --- explicit withdrawal --------------------------------------------------------------------


def test_web_withdrawal_is_explicit_audited_and_re_evaluated(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    assert safety(pat) == "emergency"
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), checkin_post(
        shown_red_flags="chest-pain,self_harm_thoughts", withdraw="on"))
    assert response.status_code == 302, response.context["extras"].errors
    assert (todays(pat).danger_symptoms, todays(pat).self_harm_thoughts) == ([], False)
    entries = AuditEntry.objects.filter(patient=pat, action="withdraw")
    assert sorted(entries.values_list("target", flat=True)) == [
        f"checkin:{todays(pat).pk}:chest-pain", f"checkin:{todays(pat).pk}:self_harm_thoughts"]
    assert {(e.actor_id, e.via) for e in entries} == {(pat.user.pk, "web")}
    assert safety(pat) != "emergency"
    assert CRISIS_CARD not in home(client, pat)


def test_api_withdrawal_is_explicit_audited_and_re_evaluated(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    refused = api_checkin(client, pat, {"answers": {"craving": [2]},
                                        "self_harm_thoughts": False})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "self_harm_thoughts"
    assert "withdraw" in refused.json()["detail"][0]["message"]
    assert todays(pat).self_harm_thoughts is True
    assert InstrumentResponse.objects.get(patient=pat, instrument="craving").total == 4

    response = api_checkin(client, pat, {
        "answers": {"craving": [2]}, "self_harm_thoughts": False,
        "withdraw": ["self_harm_thoughts", "chest-pain"]})
    assert response.status_code == 200, response.content
    assert (response.json()["danger_symptoms"], response.json()["self_harm_thoughts"]) == (
        [], False)
    entries = AuditEntry.objects.filter(patient=pat, action="withdraw")
    assert {(e.target.rsplit(":", 1)[1], e.actor_id, e.via) for e in entries} == {
        ("chest-pain", pat.user.pk, "api"), ("self_harm_thoughts", pat.user.pk, "api")}
    assert safety(pat) != "emergency"
    assert CRISIS_CARD not in home(client, pat)


def test_withdrawing_what_was_not_recorded_writes_no_audit(pat: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [1]}, withdraw=["seizure"], now=NOW)
    assert todays(pat).danger_symptoms == []
    assert not AuditEntry.objects.filter(action="withdraw").exists()


# --- bad input: the field named, the allowed values listed, nothing written -----------------


@pytest.mark.parametrize(("extra", "field", "expected"), [
    ({"danger_symptoms": ["headache"]}, "danger_symptoms.0", "chest-pain"),
    ({"withdraw": ["mood"]}, "withdraw.0", "self_harm_thoughts"),
    ({"self_harm_thoughts": "yes"}, "self_harm_thoughts", "boolean"),
])
def test_api_bad_safety_input_is_422_and_writes_nothing(
    client: Client, pat: Any, extra: dict[str, Any], field: str, expected: str
) -> None:
    response = api_checkin(client, pat, {"answers": {"craving": [2]}, **extra})
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["field"] == field, detail
    assert expected in detail[0]["message"], detail
    assert not CheckIn.objects.filter(patient=pat).exists()


def test_api_contradictory_withdrawal_is_422(client: Client, pat: Any) -> None:
    web_red_flags(client, pat)
    response = api_checkin(client, pat, {"answers": {"craving": [2]},
                                         "danger_symptoms": ["chest-pain"],
                                         "withdraw": ["chest-pain"]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "withdraw"
    assert todays(pat).danger_symptoms == ["chest-pain"]


def test_openapi_enumerates_the_safety_values(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    fields = schemas["CheckinIn"]["properties"]
    assert fields["danger_symptoms"]["items"]["enum"] == list(DANGER_SYMPTOM_IDS)
    assert fields["withdraw"]["items"]["enum"] == list(WITHDRAWABLE)
    assert "self_harm_thoughts" in fields


# --- the input type itself ------------------------------------------------------------------


@pytest.mark.parametrize(("data", "field"), [
    ({}, "answers"),
    ({"answers": {"phq9": [0] * 9}}, "answers"),
    ({"answers": {"sows": [9] * 16}}, "answers.sows.anxious"),
    ({"answers": {"craving": [1]}, "mood": 7}, "mood"),
    ({"answers": {"craving": [1]}, "danger_symptoms": ["headache"]}, "danger_symptoms"),
    ({"answers": {"craving": [1]}, "self_harm_thoughts": "no"}, "self_harm_thoughts"),
    ({"answers": {"craving": [1]}, "colour": "red"}, "colour"),
])
def test_parse_names_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        CheckinInput.parse(data)
    assert caught.value.field == field


def test_parse_tells_absent_from_empty() -> None:
    absent = CheckinInput.parse({"answers": {"craving": [1]}})
    empty = CheckinInput.parse({"answers": {"craving": [1]}, "note": "", "mood": None})
    assert absent.given == frozenset()
    assert empty.given == {"note", "mood"}


def test_api_explicit_empty_clears_and_absent_keeps(client: Client, pat: Any) -> None:
    first = {"answers": {"craving": [3]}, "sleep_hours": 7.0, "mood": 2, "note": "tired"}
    assert api_checkin(client, pat, first).status_code == 201
    assert api_checkin(client, pat, {"answers": {"craving": [4]}, "mood": None,
                                     "note": ""}).status_code == 200
    checkin = todays(pat)
    assert (checkin.mood, checkin.note, float(checkin.sleep_hours or 0)) == (None, "", 7.0)
