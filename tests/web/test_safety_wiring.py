"""The second safety pass wired end to end: measured vitals, a lapse after a break, AUDIT-C,
the dependence questions, unrecognised medicines, and the crisis card's first actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.safety import OVERDOSE_STEPS
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, UseProfile
from kratom_recovery.web.recovery import actions as recovery_actions
from kratom_recovery.web.safety.engine import current_safety
from kratom_recovery.web.safety.models import Alert, SafetyState
from tests.support.api import call, checkin_body, token_for
from tests.support.personas import NOW, profile_data
from tests.web.test_patient_flows import checkin_post

pytestmark = pytest.mark.django_db

LATER = NOW + timedelta(hours=1)
CALM = {"sows": [0] * 16, "craving": [2]}


@pytest.fixture(autouse=True)
def at_later() -> Iterator[None]:
    with time_machine.travel(LATER, tick=False):
        yield


def flag_ids(patient: Any) -> list[str]:
    state = SafetyState.objects.get(patient=patient)
    return [f["id"] for f in state.flags]


def pulse_answers(pulse: int | None) -> list[int | None]:
    return [1, 1, 1, 1, 1, pulse]


# --- measured temperature and pulse -----------------------------------------------------------

@pytest.mark.parametrize(("temperature", "fires"), [("38.0", True), ("37.9", False)])
def test_checkin_form_temperature_fever_line(client: Client, pat: Any, temperature: str,
                                             fires: bool) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), checkin_post(temperature_c=temperature))
    assert response.status_code == 302
    assert str(CheckIn.objects.get(patient=pat).temperature_c) == temperature
    assert ("fever" in flag_ids(pat)) is fires
    assert Alert.objects.filter(patient=pat, rule="fever").exists() is fires


@pytest.mark.parametrize(("pulse", "fires"), [(121, True), (120, False), (None, False)])
def test_api_checkin_pulse_item_fast_pulse(client: Client, pat: Any, pulse: int | None,
                                           fires: bool) -> None:
    body = checkin_body(answers={**CALM, "daily-extra": pulse_answers(pulse)})
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", token_for(pat.user), body)
    assert response.status_code == 201, response.content
    assert ("fast-pulse" in flag_ids(pat)) is fires
    if fires:
        flag = next(f for f in SafetyState.objects.get(patient=pat).flags
                    if f["id"] == "fast-pulse")
        assert flag["details"] == ["resting pulse 121/min"]


def test_api_checkin_temperature_round_trip_and_fever(client: Client, pat: Any) -> None:
    token = token_for(pat.user)
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", token,
                    checkin_body(temperature_c=38.4))
    assert response.status_code == 201
    assert response.json()["temperature_c"] == 38.4
    assert "fever" in flag_ids(pat)
    # A same-day update that leaves the temperature out keeps it.
    call(client, "POST", f"/patients/{pat.pk}/checkins", token, checkin_body(mood=4))
    assert float(CheckIn.objects.get(patient=pat).temperature_c or 0) == 38.4


def test_yesterdays_fever_does_not_speak_to_today(pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, temperature_c="39.0", now=LATER)
    assert "fever" in flag_ids(pat)
    actions.record_checkin(pat, pat.user, CALM, now=LATER + timedelta(days=1))
    assert "fever" not in flag_ids(pat)


@pytest.mark.parametrize(("value", "message"), [
    (45.5, "less than or equal to 45"),
    (29.0, "greater than or equal to 30"),
    (38.05, "at most 1 decimal place"),
    ("38", "valid number"),
])
def test_api_temperature_out_of_bounds_names_the_field_and_writes_nothing(
        client: Client, pat: Any, value: object, message: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", token_for(pat.user),
                    checkin_body(temperature_c=value))
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors[0]["field"] == "temperature_c", errors
    assert message in errors[0]["message"]
    assert not CheckIn.objects.filter(patient=pat).exists()
    assert not InstrumentResponse.objects.filter(patient=pat).exists()


def test_form_temperature_out_of_bounds_is_an_error_and_writes_nothing(client: Client,
                                                                       pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), checkin_post(temperature_c="100.4"))
    assert response.status_code == 200
    assert "less than or equal to 45" in response.content.decode()
    assert not CheckIn.objects.filter(patient=pat).exists()


def test_api_unknown_danger_symptom_lists_allowed_values_and_writes_nothing(
        client: Client, pat: Any) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", token_for(pat.user),
                    checkin_body(danger_symptoms=["dark-urine", "green-hair"]))
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "danger_symptoms.1"
    assert "'dark-urine'" in error["message"] and "'little-urine'" in error["message"]
    assert not CheckIn.objects.filter(patient=pat).exists()
    assert not Alert.objects.filter(patient=pat).exists()


# --- the crisis card's first actions ----------------------------------------------------------

def card_of(client: Client, patient: Any) -> str:
    client.force_login(patient.user)
    home = client.get(reverse("patient-home")).content.decode()
    assert 'data-testid="crisis-card"' in home
    return home.split('data-testid="crisis-card"')[1].split("</section>")[0]


def first_actions_of(card: str) -> list[str]:
    listed = card.split('data-testid="first-actions"')[1].split("</ol>")[0]
    return [part.split('"')[0] for part in listed.split('data-action="')[1:]]


def test_dark_urine_shows_care_team_and_medical_check_before_any_crisis_line(
        client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["dark-urine"], now=LATER)
    assert "liver-injury-signs" in flag_ids(pat)
    card = card_of(client, pat)
    assert first_actions_of(card) == ["care-team", "same-day-review"]
    # The large buttons follow the routing table too: the care team before 988 and 911.
    assert card.index('data-testid="crisis-care-team"') < card.index('href="tel:988"')
    # The delivery line ("…call or text 988…") follows what the routing table puts first.
    assert card.index('data-testid="first-actions"') < card.index('data-testid="alert-delivery"')
    assert "Other help" in card  # the SAMHSA Helpline, after the first actions


def test_suicidal_thoughts_show_988_first(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, self_harm_thoughts=True, now=LATER)
    assert first_actions_of(card_of(client, pat))[0] == "988"


def test_suicide_line_still_leads_when_dark_urine_comes_too(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["dark-urine"],
                           self_harm_thoughts=True, now=LATER)
    assert first_actions_of(card_of(client, pat)) == ["988", "care-team", "same-day-review"]


def test_possible_overdose_shows_the_bystander_steps(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["cannot-be-woken"], now=LATER)
    card = card_of(client, pat)
    assert first_actions_of(card)[0] == "call-911"
    steps = card.split('data-testid="overdose-steps"')[1].split("</ol>")[0]
    assert steps.count("<li>") == len(OVERDOSE_STEPS)
    assert "naloxone" in steps


def test_no_overdose_steps_without_the_overdose_rule(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["chest-pain"], now=LATER)
    assert 'data-testid="overdose-steps"' not in card_of(client, pat)


def test_api_safety_lists_first_actions(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["jaundice"], now=LATER)
    body = call(client, "GET", f"/patients/{pat.pk}/safety", token_for(pat.user)).json()
    assert [a["id"] for a in body["first_actions"]] == ["care-team", "same-day-review"]


def test_alert_page_shows_the_first_actions_in_order(client: Client, pat: Any,
                                                     cleo: Any) -> None:
    actions.record_checkin(pat, pat.user, CALM, danger_symptoms=["dark-urine"], now=LATER)
    alert = Alert.objects.get(patient=pat, rule="liver-injury-signs")
    client.force_login(cleo)
    page = client.get(reverse("alert", args=[alert.pk])).content.decode()
    assert first_actions_of(page) == ["care-team", "same-day-review"]


# --- medicines ---------------------------------------------------------------------------------

def test_unknown_medicine_is_kept_and_shown_as_not_recognised(client: Client, pat: Any,
                                                              cleo: Any) -> None:
    actions.complete_onboarding(pat, pat.user, profile_data(
        medications=["Zoloft 50mg", "zorbaflex"]), now=LATER)
    assert UseProfile.objects.get(patient=pat).medications == ["Zoloft 50mg", "zorbaflex"]
    flag = next(f for f in SafetyState.objects.get(patient=pat).flags
                if f["id"] == "unrecognised-medicines")
    assert flag["details"] == ["zorbaflex"]
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    medicines = chart.split('data-testid="chart-medicines"')[1].split("</dd>")[0]
    assert medicines.count("not recognised, review") == 1
    assert medicines.index("zorbaflex") < medicines.index("not recognised, review")
    assert 'data-testid="unrecognised-medicines"' in chart and "zorbaflex" in chart


def test_known_medicines_are_not_marked(client: Client, pat: Any, cleo: Any) -> None:
    actions.complete_onboarding(pat, pat.user, profile_data(medications=["sertraline"]),
                                now=LATER)
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "not recognised, review" not in chart
    assert "unrecognised-medicines" not in flag_ids(pat)


def test_onboarding_form_offers_the_medicine_list_and_keeps_free_text(client: Client,
                                                                      pat: Any) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("onboarding")).content.decode()
    assert '<datalist id="medicine-names">' in page and '<option value="sertraline">' in page
    assert 'list="medicine-names"' in page
    form = {**profile_data(), "last_dose": "2026-11-19T08:00", "amount_per_day": "15",
            "years_of_use": "2", "medications": ["sertraline", "", "zorbaflex"],
            "dependence": ["daily-drinking"], "sex": "female"}
    response = client.post(reverse("onboarding"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = UseProfile.objects.get(patient=pat)
    assert stored.medications == ["sertraline", "zorbaflex"]
    assert stored.dependence == ["daily-drinking"] and stored.sex == "female"
    assert "sedative-withdrawal-risk" in flag_ids(pat)


# --- profile: dependence and sex ---------------------------------------------------------------

def test_api_profile_dependence_and_sex_round_trip(client: Client, pat: Any) -> None:
    token = token_for(pat.user)
    body = {**profile_data(amount_per_day=15.0, years_of_use=2.0),
            "dependence": ["daily-benzodiazepines", "morning-use"], "sex": "male"}
    response = call(client, "PUT", f"/patients/{pat.pk}/profile", token, body)
    assert response.status_code == 200, response.content
    out = call(client, "GET", f"/patients/{pat.pk}/profile", token).json()
    assert sorted(out["dependence"]) == ["daily-benzodiazepines", "morning-use"]
    assert out["sex"] == "male"
    assert "sedative-withdrawal-risk" in flag_ids(pat)


def test_api_profile_unknown_dependence_sign_is_refused(client: Client, pat: Any) -> None:
    body = {**profile_data(amount_per_day=15.0, years_of_use=2.0), "dependence": ["daily-tea"]}
    response = call(client, "PUT", f"/patients/{pat.pk}/profile", token_for(pat.user), body)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "dependence.0" and "'daily-drinking'" in error["message"]
    assert UseProfile.objects.get(patient=pat).dependence == []


# --- AUDIT-C -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sex", "answers", "fires"), [
    ("male", [2, 1, 1], True),  # 4: positive for men
    ("male", [1, 1, 1], False),  # 3: below the men's cut-off
    ("female", [1, 1, 1], True),  # 3: positive for women
    (None, [1, 1, 1], True),  # sex not given: the lower cut-off
    (None, [1, 1, 0], False),
])
def test_audit_c_via_api_raises_risky_drinking(client: Client, pat: Any, sex: str | None,
                                               answers: list[int], fires: bool) -> None:
    actions.complete_onboarding(pat, pat.user, profile_data(sex=sex), now=LATER)
    response = call(client, "POST", f"/patients/{pat.pk}/questionnaires/audit-c",
                    token_for(pat.user), {"answers": answers})
    assert response.status_code == 201, response.content
    assert response.json()["instrument"] == "audit-c"
    assert ("risky-drinking" in flag_ids(pat)) is fires


def test_audit_c_is_the_patients_own(client: Client, pat: Any, cleo: Any) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/questionnaires/audit-c",
                    token_for(cleo), {"answers": [4, 4, 4]})
    assert response.status_code == 403
    assert not InstrumentResponse.objects.filter(patient=pat).exists()


def test_audit_c_bad_answer_names_the_item(client: Client, pat: Any) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/questionnaires/audit-c",
                    token_for(pat.user), {"answers": [1, 7, 0]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "answers.typical-drinks"
    assert not InstrumentResponse.objects.filter(patient=pat).exists()


def test_audit_c_page_shows_the_licence_and_saves(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("questionnaire", args=["audit-c"])).content.decode()
    assert "AUDIT-C" in page and 'data-testid="licence"' in page
    assert "freely reproduced" in page
    items = get_instrument("audit-c").items
    response = client.post(reverse("questionnaire", args=["audit-c"]),
                           {f"audit-c-{item.id}": "2" for item in items})
    assert response.status_code == 302
    assert "risky-drinking" in flag_ids(pat)
    summary = current_safety(pat)
    assert summary is not None


# --- a lapse after a break, and the plan's naloxone item --------------------------------------

@pytest.mark.parametrize(("days_free", "fires"), [(8, True), (2, False)])
def test_lapse_after_a_break_shows_lost_tolerance(client: Client, pat: Any, days_free: int,
                                                  fires: bool) -> None:
    last_dose = NOW - timedelta(hours=30)  # the persona's onboarding last dose
    when = last_dose + timedelta(days=days_free)
    with time_machine.travel(when + timedelta(minutes=5), tick=False):
        actions.log_use(pat, pat.user, taken_at=when.isoformat(), amount="2", unit="g")
        assert ("lost-tolerance" in flag_ids(pat)) is fires
        client.force_login(pat.user)
        page = client.get(reverse("recovery-lapse")).content.decode()
    assert ('data-testid="lost-tolerance"' in page) is fires
    if fires:
        assert "naloxone" in page.split('data-testid="lost-tolerance"')[1].split("</section>")[0]


def test_plan_keeps_a_naloxone_item(client: Client, pat: Any) -> None:
    recovery_actions.save_relapse_plan(pat, pat.user, naloxone="Kitchen drawer; Sam knows")
    client.force_login(pat.user)
    page = client.get(reverse("recovery-plan")).content.decode()
    item = page.split('data-testid="plan-naloxone"')[1].split("</section>")[0]
    assert "Kitchen drawer; Sam knows" in item


def test_plan_naloxone_item_bad_input_writes_nothing(pat: Any) -> None:
    from kratom_recovery.care.errors import InvalidInput
    from kratom_recovery.web.recovery.models import RelapsePlan

    with pytest.raises(InvalidInput) as error:
        recovery_actions.save_relapse_plan(pat, pat.user, naloxone="x" * 301)
    assert error.value.field == "naloxone"
    assert not RelapsePlan.objects.filter(patient=pat).exists()


# --- the clinician-only scoring option ---------------------------------------------------------

def test_medically_supervised_option_is_refused_from_a_patient(client: Client, pat: Any,
                                                               cleo: Any) -> None:
    body = {"answers": [1] * 11, "options": {"medically_supervised": True}}
    refused = call(client, "POST", "/instruments/sud/score", token_for(pat.user), body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "options.medically_supervised"
    plain = call(client, "POST", "/instruments/sud/score", token_for(pat.user),
                 {"answers": [1] * 11})
    assert plain.json()["total"] == 11
    allowed = call(client, "POST", "/instruments/sud/score", token_for(cleo), body)
    assert allowed.status_code == 200 and allowed.json()["total"] == 9
