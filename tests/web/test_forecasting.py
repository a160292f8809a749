"""The patient's forecast uses their own history: steady use, then logged lapses."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.timeline import ESTIMATE_NOTICE, SMALL_BUMP_LABEL, STILL_ACUTE_LABEL
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.forecasting import logged_doses, patient_forecast
from tests.support.api import call, token_for
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db


def test_forecast_follows_onboarding_then_a_lapse(pat: Any) -> None:
    later = NOW + timedelta(days=20)
    before = patient_forecast(pat, later)
    assert before is not None and before[0].phase == "post-acute"
    actions.log_use(pat, pat.user, taken_at=(later - timedelta(hours=2)).isoformat(),
                    amount="5", unit="g", now=later)
    pat.refresh_from_db()
    after = patient_forecast(pat, later)
    assert after is not None
    forecast, _ = after
    assert forecast.hours_since_last_dose == pytest.approx(2.0)
    # One 5 g lapse after three weeks off is a much smaller hit than stopping daily use.
    assert max(p.expected for p in forecast.points) < max(p.expected for p in before[0].points)


def test_logged_doses_ignore_other_units_and_older_uses(pat: Any) -> None:
    actions.log_use(pat, pat.user, taken_at=(NOW - timedelta(hours=1)).isoformat(),
                    amount="2", unit="mg", now=NOW)
    assert logged_doses(pat, pat.profile.last_dose, "g") == []


def test_no_forecast_before_onboarding(make_patient: Any) -> None:
    assert patient_forecast(make_patient("new", None, onboard=False), NOW) is None


# --- what the card, the home page and the API show -------------------------------------------


def _home(client: Client, patient: Any, when: datetime) -> str:
    client.force_login(patient.user)
    with time_machine.travel(when, tick=False):
        response = client.get(reverse("patient-home"))
    assert response.status_code == 200
    return response.content.decode()


def test_card_always_says_the_timing_is_an_estimate_and_gives_a_date_range(
    client: Client, pat: Any
) -> None:
    page = _home(client, pat, NOW)
    assert ESTIMATE_NOTICE in page
    card = page[page.index('id="timeline-h"'):]
    assert "Expected to ease between" in card
    assert 'data-testid="estimate-notice"' in card


def test_heavy_user_on_day_8_is_not_told_it_is_mostly_over(
    client: Client, make_patient: Any
) -> None:
    heavy = make_patient("heavy", None, onboard=False)
    actions.complete_onboarding(heavy, heavy.user, profile_data(
        amount_per_day="40", doses_per_day=6, years_of_use="5"), now=NOW)
    page = _home(client, heavy, NOW + timedelta(days=8) - timedelta(hours=30))
    assert "mostly over" not in page and "behind you" not in page
    assert STILL_ACUTE_LABEL in page


def test_a_lapse_after_weeks_free_is_not_a_fresh_withdrawal(client: Client, pat: Any) -> None:
    later = NOW + timedelta(days=20)
    actions.log_use(pat, pat.user, taken_at=(later - timedelta(hours=2)).isoformat(),
                    amount="5", unit="g", now=later)
    pat.refresh_from_db()
    result = patient_forecast(pat, later)
    assert result is not None and result[0].course == "small-bump"
    page = _home(client, pat, later)
    assert SMALL_BUMP_LABEL in page
    assert "hardest stretch" not in page and "probably starting" not in page
    assert "a much smaller rise than after stopping regular use" in page
    assert "Expected to ease between" not in page
    # The count restarts, and the longest run stays right beside it.
    counter = page[page.index('id="days-free-h"'):page.index("Log a use")]
    assert 'data-testid="days-free">0<' in counter
    assert "Your longest run without kratom: 21 days." in counter


def test_post_acute_weeks_show_the_persons_own_symptoms(client: Client, pat: Any) -> None:
    last = pat.profile.last_dose
    for day, (mood, sleep, tired, craving) in {9: (3, 3, 2, 6), 10: (3, 2, 2, 5),
                                               16: (2, 1, 1, 3)}.items():
        when = last + timedelta(days=day, hours=2)
        actions.record_checkin(pat, pat.user, {
            "sows": [1] * 16, "craving": [craving], "daily-extra": [mood, 0, 0, tired, sleep],
        }, now=when)
    page = _home(client, pat, last + timedelta(days=17))
    assert "The weeks after" in page
    table = page[page.index('data-testid="post-acute-track"'):page.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\">Week (\d)</th>(.*?)</tr>", table)
    assert [(w, re.findall(r"<td[^>]*>([^<]*)</td>", cells)) for w, cells in rows] == [
        ("2", ["3.0", "2.5", "2.0", "5.5"]), ("3", ["2.0", "1.0", "1.0", "3.0"])]


def test_post_acute_track_is_not_shown_during_the_acute_phase(
    client: Client, pat: Any
) -> None:
    assert "The weeks after" not in _home(client, pat, NOW)


def test_api_timeline_has_the_notice_range_and_shown_phase(client: Client, pat: Any) -> None:
    token = token_for(pat.user)
    with time_machine.travel(NOW, tick=False):
        data = json.loads(call(client, "GET", f"/patients/{pat.pk}/timeline", token).content)
    assert data["notice"] == ESTIMATE_NOTICE
    assert data["acute_end_range"]["earliest"] < data["acute_end_range"]["latest"]
    assert data["model_phase"] == data["phase"] == "onset"
    assert data["course"] == "withdrawal"
