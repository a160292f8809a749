"""The patient's phone pages, server side: the quick check-in is partial and leaves the
forecast alone, each question is asked once, the crisis card's order, follow-up and day, and
the home charts each on their own scale with a table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.safety import SUICIDE_FOLLOWUP
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.forecasting import sows_observations
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse
from kratom_recovery.web.patients.queries import checkin_history
from kratom_recovery.web.safety.actions import record_suicide_followup
from tests.support.personas import NOW
from tests.web.test_patient_flows import checkin_post

pytestmark = pytest.mark.django_db

CALM = {"sows": [0] * 16, "craving": [2]}
QUICK = {"quick": "1", "self_harm_thoughts": "no", "craving-craving": "7"}


def test_quick_checkin_is_partial_and_the_forecast_ignores_it(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("checkin") + "?quick=1")
        assert [s.id for s in page.context["screens"]] == ["now"]
        assert page.context["required"] == 2
        response = client.post(reverse("checkin"), QUICK)
    assert response.status_code == 302, response.context["form"].errors
    assert list(InstrumentResponse.objects.filter(patient=pat)
                .values_list("instrument", flat=True)) == ["craving"]
    assert checkin_history(pat)[0].partial
    assert sows_observations(pat, None) == []


def test_quick_checkin_keeps_the_days_full_answers(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        client.post(reverse("checkin"), checkin_post(note="slept badly"))
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        client.post(reverse("checkin"), QUICK)
    checkin = CheckIn.objects.get(patient=pat)
    assert checkin.note == "slept badly"
    row = checkin_history(pat)[0]
    assert not row.partial and row.totals["craving"] == 7


def test_quick_checkin_missing_answers_are_listed_and_nothing_written(
    client: Client, pat: Any
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("checkin"), {"quick": "1"})
    assert response.status_code == 200
    anchors = [e.anchor for e in response.context["error_list"]]
    assert anchors == ["id_self_harm_thoughts_0", "id_craving-craving_0"]
    html = response.content.decode()
    assert 'id="form-summary"' in html and "autofocus" in html
    assert not CheckIn.objects.exists()


def test_each_question_once_and_a_stable_form(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    page = client.get(reverse("checkin"))
    html = page.content.decode()
    assert 'id="checkin-form"' in html
    names = [f.html_name for s in page.context["screens"] for f in s.fields]
    assert len(names) == len(set(names))
    assert "mood" not in names  # the daily extras' low-mood item asks it
    assert "sleep_hours" in names  # how long, optional: the extras ask how badly
    assert {"daily-extra-low-mood", "daily-extra-poor-sleep"} <= set(names)
    assert page.context["required"] == 23
    assert [s.id for s in page.context["screens"]] == ["now", "sows-1", "sows-2", "extras",
                                                       "more"]


def test_web_checkin_feeds_the_mood_and_sleep_progress(client: Client, pat: Any) -> None:
    from kratom_recovery.web.recovery.queries import day_rows

    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        data = checkin_post()
        data["daily-extra-low-mood"] = "3"
        response = client.post(reverse("checkin"), data)
        assert response.status_code == 302
        row = day_rows(pat, pat.today(NOW), pat.today(NOW))[pat.today(NOW)]
    assert row.mood is None and row.low_mood == 3
    assert row.summary().mood == 2.5 and row.summary().sleep_hours == 6.5


def test_saved_checkin_shows_the_result_card(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("checkin"), checkin_post(), follow=True)
    result = response.context["checkin_result"]
    assert result.sows == 16 and result.place in {"below", "within", "above"}
    assert result.low is not None and result.high is not None and result.low <= result.high
    assert "chart-today" in result.svg
    assert 'data-checkin-saved' in response.content.decode()


def test_crisis_card_does_not_offer_answered_followup_and_puts_988_first(
    client: Client, pat: Any
) -> None:
    actions.record_checkin(pat, pat.user, CALM, self_harm_thoughts=True, now=NOW)
    client.force_login(pat.user)
    card = client.get(reverse("patient-home")).content.decode()
    assert reverse("safety-check") in card
    buttons = card.split('data-testid="crisis-buttons"')[1].split("</p>")[0]
    assert buttons.index('href="tel:988"') < buttons.index('href="sms:988"') < buttons.index(
        'href="tel:911"')
    record_suicide_followup(pat, pat.user, {q.id: False for q in SUICIDE_FOLLOWUP},
                            now=NOW + timedelta(minutes=5))
    assert reverse("safety-check") not in client.get(reverse("patient-home")).content.decode()


def test_severe_withdrawal_card_names_the_day(client: Client, pat: Any) -> None:
    actions.record_checkin(pat, pat.user, {"sows": [2] * 16, "craving": [2]}, now=NOW)
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        home = client.get(reverse("patient-home")).content.decode()
    assert 'data-testid="crisis-day"' in home
    assert "About your withdrawal score from Friday 20 November" in home


def test_home_charts_each_on_their_own_scale_with_tables(client: Client, pat: Any) -> None:
    for day in range(3):
        actions.record_checkin(pat, pat.user, {"sows": [day] * 16, "craving": [day + 1]},
                               now=NOW + timedelta(days=day))
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(days=2, hours=1), tick=False):
        response = client.get(reverse("patient-home"))
    charts = response.context["score_charts"]
    assert [c.scale for c in charts] == ["Withdrawal score 0–64", "Craving 0–10"]
    assert charts[1].points[0][1] == 3
    html = response.content.decode()
    assert "×6.4" not in html and "multiplied by 6.4" not in html
    assert html.count('class="stack-rows"') >= 3 and 'tabindex="0" role="region"' in html
    assert 'data-testid="timeline-table"' in html
