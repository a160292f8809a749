"""The safety engine in the web app: alerts, crisis card, suicide follow-up, acknowledgement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.pages.panels import CHART_REGIONS, CHART_TOP, HOME_PANELS
from kratom_recovery.web.patients import actions
from kratom_recovery.web.safety import panels as safety_panels
from kratom_recovery.web.safety.engine import current_safety, evaluate_and_store, evaluate_patient
from kratom_recovery.web.safety.models import Alert, SafetyState, SuicideFollowup
from tests.support.personas import NOW, profile_data
from tests.web.test_patient_flows import checkin_post
from tests.web.test_query_budgets import CASELOAD_QUERIES

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def only_safety_panels() -> Any:
    """Render just this app's panels, so other apps' work in progress cannot break these tests
    (the registration itself is checked in test_safety_is_registered)."""
    lists = (HOME_PANELS, *CHART_REGIONS.values())
    saved = {id(paths): list(paths) for paths in lists}
    for paths in lists:
        paths[:] = [p for p in paths if p.__module__ == safety_panels.__name__]
    yield
    for paths in lists:
        paths[:] = saved[id(paths)]


def test_safety_is_registered() -> None:
    from kratom_recovery.web.patients.hooks import AFTER_WRITE

    assert evaluate_patient in AFTER_WRITE
    assert HOME_PANELS[0] is safety_panels.crisis_card  # the crisis card comes first on home
    assert safety_panels.chart_alerts in CHART_TOP  # alerts first on the chart

# Mild (8): a SOWS of 11 or more is moderate and now raises the sows-moderate warning.
CALM_SOWS = [1] * 8 + [0] * 8
PHQ9_ITEM9 = [1, 1, 0, 0, 0, 0, 0, 0, 2]  # total 4 (minimal), item 9 = 2


def phq9_post(values: list[int]) -> dict[str, str]:
    items = get_instrument("phq9").items
    return {f"phq9-{item.id}": str(v) for item, v in zip(items, values, strict=True)}


def daily(pat: Any, *, when: Any = NOW, **extra: Any) -> Any:
    answers = {"sows": CALM_SOWS, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
    return actions.record_checkin(pat, pat.user, answers, now=when, **extra)


def open_rules(patient: Any) -> list[str]:
    return sorted(Alert.objects.filter(patient=patient, acknowledged_at=None)
                  .values_list("rule", flat=True))


def test_chest_pain_checkin_raises_emergency_alert_and_shows_card(client: Client,
                                                                  pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("checkin"),
                               checkin_post(danger_symptoms=["chest-pain"]))
        assert response.status_code == 302
        home = client.get(reverse("patient-home")).content.decode()
    alert = Alert.objects.get(patient=pat, rule="emergency-symptoms")
    assert (alert.severity, alert.source) == ("emergency", "checkin")
    assert alert.details == ["Chest pain or pressure"]
    assert "Chest pain or pressure" in alert.why
    assert 'data-testid="crisis-card"' in home
    assert 'href="tel:911"' in home and 'href="tel:988"' in home
    assert "Call 911 now" in home
    assert "Cleo" in home  # the care team by name
    assert home.index('data-testid="crisis-card"') < home.index("Your check-ins")
    assert SafetyState.objects.get(patient=pat).highest_severity == "emergency"


def test_checkin_with_emergency_lands_on_the_crisis_card(client: Client, pat: Any) -> None:
    """Wherever the check-in redirects to (home, or the coping page), the card is there."""
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("checkin"), checkin_post(danger_symptoms=["seizure"]),
                               follow=True)
    assert 'data-testid="crisis-card"' in response.content.decode()


def test_calm_checkin_shows_no_card_and_raises_nothing(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("checkin"), checkin_post(sows=[str(v) for v in CALM_SOWS]))
        home = client.get(reverse("patient-home")).content.decode()
    assert 'data-testid="crisis-card"' not in home
    assert open_rules(pat) == []
    assert "Your next step" in home and "not an ASAM placement" in home


def test_phq9_item9_raises_urgent_alert_seen_on_caseload(
    client: Client, pat: Any, cleo: Any, otto: Any
) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("questionnaire", args=["phq9"]), phq9_post(PHQ9_ITEM9))
        assert response.status_code == 302
        home = client.get(reverse("patient-home")).content.decode()
    alert = Alert.objects.get(patient=pat, rule="suicidal-thoughts")
    assert (alert.severity, alert.source) == ("urgent", "questionnaire:phq9")
    assert "Please talk to someone today" in home
    assert reverse("safety-check") in home and 'href="sms:988"' in home
    client.force_login(cleo)
    caseload = client.get(reverse("caseload")).content.decode()
    assert 'data-testid="open-alerts"' in caseload
    assert reverse("alert", args=[alert.pk]) in caseload and "PHQ-9 item 9" in caseload
    client.force_login(otto)
    assert reverse("alert", args=[alert.pk]) not in client.get(reverse("caseload")).content.decode()


def test_daily_self_harm_yes_counts_as_thoughts_now(pat: Any) -> None:
    daily(pat, self_harm_thoughts=True)
    assert open_rules(pat) == ["suicidal-thoughts"]


def test_followup_with_intent_is_an_emergency(client: Client, pat: Any) -> None:
    actions.record_questionnaire(pat, pat.user, "phq9", PHQ9_ITEM9, now=NOW)
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        page = client.get(reverse("safety-check")).content.decode()
        # The crisis resources come before the questions: nobody is blocked behind them.
        assert page.index('href="tel:988"') < page.index('name="intent"')
        response = client.post(reverse("safety-check"), {
            "thoughts-now": "yes", "intent": "yes", "plan": "no", "recent-self-harm": "no"})
        assert response.status_code == 302
        home = client.get(reverse("patient-home")).content.decode()
    assert SuicideFollowup.objects.get(patient=pat).answers["intent"] is True
    assert open_rules(pat) == ["suicidal-thoughts", "suicide-intent-or-plan"]
    assert Alert.objects.get(rule="suicide-intent-or-plan").severity == "emergency"
    # Intent or plan: 988 first, then 911 (care/routing.py), on the card's first-actions list.
    first = home.split('data-testid="first-actions"')[1].split("</ol>")[0]
    assert first.index('data-action="988"') < first.index('data-action="call-911"')
    state = current_safety(pat)
    assert state is not None and state["highest_severity"] == "emergency"
    assert state["crisis"] and state["level"] == "4"


def test_followup_missing_answer_names_the_field_and_writes_nothing(client: Client,
                                                                     pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("safety-check"), {"thoughts-now": "yes"})
    assert response.status_code == 200
    assert "intent" in response.context["form"].errors
    assert 'href="tel:988"' in response.content.decode()
    assert not SuicideFollowup.objects.exists()


def test_followup_page_refuses_clinicians(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("safety-check")).status_code == 403


def test_followup_answers_expire_after_a_week(pat: Any) -> None:
    from kratom_recovery.web.safety.actions import record_suicide_followup

    record_suicide_followup(pat, pat.user, {"intent": True}, now=NOW)
    assert "suicide-intent-or-plan" in open_rules(pat)
    state = evaluate_and_store(pat, NOW + timedelta(days=8), "sweep")
    assert "suicide-intent-or-plan" not in {f["id"] for f in state.flags}


def test_alerts_are_deduplicated_and_old_evidence_does_not_reopen(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.safety.actions import acknowledge_alert

    actions.record_questionnaire(pat, pat.user, "phq9", PHQ9_ITEM9, now=NOW)
    daily(pat, when=NOW + timedelta(minutes=1))  # same PHQ-9 still stands: no second alert
    assert Alert.objects.filter(patient=pat, rule="suicidal-thoughts").count() == 1
    acknowledge_alert(Alert.objects.get(rule="suicidal-thoughts"), cleo, "Called; safe plan",
                      now=NOW + timedelta(hours=1))
    daily(pat, when=NOW + timedelta(hours=2))  # nothing new: stays closed
    assert Alert.objects.filter(patient=pat, rule="suicidal-thoughts").count() == 1
    # The card still shows: the latest PHQ-9 is still positive.
    assert SafetyState.objects.get(patient=pat).highest_severity == "urgent"
    # A new positive PHQ-9 is new evidence: a new alert.
    actions.record_questionnaire(pat, pat.user, "phq9", PHQ9_ITEM9, now=NOW + timedelta(hours=3))
    assert Alert.objects.filter(patient=pat, rule="suicidal-thoughts").count() == 2
    assert open_rules(pat) == ["suicidal-thoughts"]


def test_profile_warning_raises_a_lower_priority_alert_once(make_patient: Any, cleo: Any) -> None:
    from kratom_recovery.web.safety.actions import acknowledge_alert

    patient = make_patient("mo", cleo, onboard=False)
    actions.complete_onboarding(patient, patient.user,
                                profile_data(other_substances=["alcohol"],
                                             medications=["dextromethorphan"]), now=NOW)
    # sedative-combination is a warning (alerted); cyp2d6-medicine is info (not alerted).
    assert open_rules(patient) == ["sedative-combination"]
    alert = Alert.objects.get(patient=patient)
    assert alert.severity == "warning" and alert.details == ["alcohol"]
    acknowledge_alert(alert, cleo, "Discussed", now=NOW + timedelta(minutes=1))
    daily(patient, when=NOW + timedelta(hours=1))
    assert open_rules(patient) == []
    # Editing the profile is new evidence for a profile rule.
    actions.complete_onboarding(patient, patient.user,
                                profile_data(other_substances=["alcohol"]),
                                now=NOW + timedelta(hours=2))
    assert open_rules(patient) == ["sedative-combination"]


def test_patient_without_clinician_still_gets_the_card(client: Client, make_patient: Any) -> None:
    solo = make_patient("solo", None)
    daily(solo, danger_symptoms=["seizure"])
    assert open_rules(solo) == ["emergency-symptoms"]
    client.force_login(solo.user)
    with time_machine.travel(NOW, tick=False):
        home = client.get(reverse("patient-home")).content.decode()
    assert 'data-testid="crisis-card"' in home and "not connected with a clinician" in home


def test_concentrate_with_danger_symptom_adds_poison_help(make_patient: Any, cleo: Any,
                                                          client: Client) -> None:
    patient = make_patient("sev", cleo, onboard=False)
    actions.complete_onboarding(patient, patient.user, profile_data(
        product="7-oh", amount_per_day="4", unit="tablets"), now=NOW)
    daily(patient, danger_symptoms=["trouble-breathing"])
    assert "concentrate-toxicity" in open_rules(patient)
    client.force_login(patient.user)
    with time_machine.travel(NOW, tick=False):
        home = client.get(reverse("patient-home")).content.decode()
    assert 'href="tel:+18002221222"' in home


# --- acknowledging ----------------------------------------------------------------------------


@pytest.fixture
def alert(pat: Any) -> Alert:
    daily(pat, danger_symptoms=["fainting"])
    return Alert.objects.get(patient=pat, rule="emergency-symptoms")


def test_acknowledge_from_the_chart(client: Client, alert: Alert, cleo: Any) -> None:
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[alert.patient_id])).content.decode()
    assert reverse("alert", args=[alert.pk]) in chart and "Fainting" in chart
    response = client.post(reverse("alert", args=[alert.pk]), {"note": "Called, sent to ED"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == cleo and alert.acknowledgement_note == "Called, sent to ED"
    assert AuditEntry.objects.filter(actor=cleo, action="update",
                                     target=f"alert:{alert.pk}").exists()
    chart = client.get(reverse("chart", args=[alert.patient_id])).content.decode()
    assert "Recently acknowledged" in chart and "Called, sent to ED" in chart


@pytest.mark.parametrize("note", ["", "   "])
def test_acknowledge_needs_a_note(client: Client, alert: Alert, cleo: Any, note: str) -> None:
    client.force_login(cleo)
    response = client.post(reverse("alert", args=[alert.pk]), {"note": note})
    assert response.status_code == 200
    assert "say briefly what was done" in " ".join(response.context["form"].errors["note"])
    alert.refresh_from_db()
    assert alert.is_open


@pytest.mark.parametrize(("who", "status"), [("otto", 404), ("pat", 403), ("ada", 403)])
def test_acknowledge_access(client: Client, alert: Alert, pat: Any, otto: Any, ada: Any,
                            who: str, status: int) -> None:
    client.force_login({"otto": otto, "pat": pat.user, "ada": ada}[who])
    assert client.get(reverse("alert", args=[alert.pk])).status_code == status
    assert client.post(reverse("alert", args=[alert.pk]), {"note": "x"}).status_code == status
    alert.refresh_from_db()
    assert alert.is_open


def test_alert_page_read_is_audited(client: Client, alert: Alert, cleo: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("alert", args=[alert.pk])).status_code == 200
    assert AuditEntry.objects.filter(actor=cleo, action="read",
                                     target=f"alert:{alert.pk}").exists()


def test_caseload_query_count_with_alerts(client: Client, cleo: Any, make_patient: Any,
                                          django_assert_max_num_queries: Any) -> None:
    for index in range(10):
        patient = make_patient(f"p{index}", cleo)
        daily(patient, danger_symptoms=["chest-pain"], self_harm_thoughts=True)
    assert Alert.objects.filter(acknowledged_at=None).count() == 20
    client.force_login(cleo)
    # The caseload's budget (test_query_budgets.py): the same with 20 open alerts.
    with django_assert_max_num_queries(CASELOAD_QUERIES):
        response = client.get(reverse("caseload"))
    assert len(response.context["open_alerts"]) == 20
    assert response.content.decode().count("badge sev-emergency") == 10


# --- help page --------------------------------------------------------------------------------


def test_help_page_renders_every_resource(client: Client, pat: Any) -> None:
    from kratom_recovery.care.resources import RESOURCES

    page = client.get(reverse("help")).content.decode()  # anonymous: always reachable
    for resource in RESOURCES:
        assert resource.name.replace("&", "&amp;") in page
        for contact in resource.contacts:
            if "{zip}" not in contact.href:
                assert f'href="{contact.href}"' in page
    assert "Your care team" not in page
    client.force_login(pat.user)
    assert "Cleo is your clinician" in client.get(reverse("help")).content.decode()


def test_every_rule_has_a_short_title() -> None:
    from kratom_recovery.care.safety import RULE_IDS
    from kratom_recovery.web.safety.models import RULE_TITLES

    assert set(RULE_TITLES) == set(RULE_IDS)


def test_alert_keeps_its_basis_and_assumption(client: Client, pat: Any, cleo: Any) -> None:
    daily(pat, danger_symptoms=["chest-pain"])
    alert = Alert.objects.get(patient=pat, rule="emergency-symptoms")
    assert "[ref:" in alert.evidence_source and alert.assumption
    client.force_login(cleo)
    page = client.get(reverse("alert", args=[alert.pk])).content.decode()
    assert "Basis" in page and "Assumption" in page
