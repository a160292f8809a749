"""The clinician's chart as a triage view: the summary strip, alerts first, the check-in
table's safety answers, the two-column layout, and one audit append per page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.bedside.actions import record_vitals
from kratom_recovery.web.pages.panels import CHART_MAIN, CHART_SIDE, CHART_TOP
from kratom_recovery.web.patients.actions import record_checkin, record_questionnaire
from kratom_recovery.web.recovery.actions import update_sharing
from kratom_recovery.web.safety import panels as safety_panels
from tests.support.pages import card
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

# COWS answers in published item order [ref:wesson-ling2003]: totals 19, then 7.
COWS_19 = [2, 1, 3, 1, 2, 1, 2, 1, 1, 2, 3]
COWS_7 = [1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 0]
SUMMARY = "pages/chart_summary.html"


def sows(total: int) -> list[int]:
    """SOWS answers (16 items, 0-4) adding up to `total`."""
    answers = [0] * 16
    for index in range(total):
        answers[index % 16] += 1
    return answers


@pytest.fixture
def charted(pat: Any, cleo: Any) -> Any:
    """Three days of check-ins (SOWS 20, 30, then 12 with a self-harm yes, a danger symptom
    and a typed pulse), two COWS ratings (19 then 7) and two sets of vitals."""
    with time_machine.travel(NOW, tick=False):
        for days_ago, total in ((3, 20), (2, 30)):
            record_checkin(pat, pat.user, {"sows": sows(total), "craving": [4]},
                           now=NOW - timedelta(days=days_ago), self_harm_thoughts=False)
        record_checkin(pat, pat.user,
                       {"sows": sows(12), "craving": [2], "daily-extra": [1, 1, 1, 1, 1, 96]},
                       now=NOW - timedelta(days=1), self_harm_thoughts=True,
                       danger_symptoms=["fainting"], temperature_c="37.9")
        record_questionnaire(pat, cleo, "cows", COWS_19, now=NOW - timedelta(hours=5))
        record_questionnaire(pat, cleo, "cows", COWS_7, now=NOW - timedelta(hours=1))
        for hours, pulse in ((6, 110), (2, 92)):
            record_vitals(pat, cleo, {"pulse": pulse, "systolic": 128, "diastolic": 84},
                          taken_at=NOW - timedelta(hours=hours), now=NOW)
    return pat


def get_chart(client: Client, cleo: Any, patient: Any) -> Any:
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("chart", args=[patient.pk]))
    assert response.status_code == 200
    return response


def test_summary_strip_shows_the_latest_scores_with_their_trend(
    client: Client, charted: Any, cleo: Any
) -> None:
    response = get_chart(client, cleo, charted)
    summary = card(response, SUMMARY)
    assert (summary["sows"].total, summary["sows"].previous, summary["sows"].trend) == (
        12, 30, "down")
    assert (summary["cows"].total, summary["cows"].previous, summary["cows"].trend) == (
        7, 19, "down")
    assert summary["last_checkin"].self_harm_thoughts is True
    pulse = next(v for v in summary["vitals"] if v.label == "Pulse")
    assert (pulse.value, pulse.trend) == ("92", "down")
    assert next(v.value for v in summary["vitals"] if v.label == "BP") == "128/84"
    html = response.content.decode()
    strip = html[html.index('data-testid="chart-summary"'):html.index("</section>",
                                                                    html.index("chart-summary"))]
    assert "was 30" in strip and "was 19" in strip
    assert "Self-harm thoughts: yes" in strip
    assert strip.index("summary-alerts") < strip.index("summary-sows")


def test_summary_strip_without_shared_checkins_says_so_and_keeps_cows(
    client: Client, charted: Any, cleo: Any
) -> None:
    update_sharing(charted, charted.user, checkins=False, journal=True, plan=True)
    summary = card(get_chart(client, cleo, charted), SUMMARY)
    assert summary["sows"] is None and summary["last_checkin"] is None
    assert summary["cows"].total == 7


def test_open_alerts_come_before_every_other_card(
    client: Client, charted: Any, cleo: Any
) -> None:
    assert CHART_TOP[1] is safety_panels.chart_alerts
    html = get_chart(client, cleo, charted).content.decode()
    alerts = html.index('id="alerts-h"')
    assert html.index('data-testid="chart-summary"') < alerts
    for heading in ("bedside-h", "checkins-h", "ratings-h", "loc-h", "messages-h", "profile-h"):
        assert alerts < html.index(f'id="{heading}"'), heading
    assert 'class="alert-item"' in html[alerts:html.index("</section>", alerts)]


def test_two_columns_hold_the_course_and_the_team_tools(
    client: Client, charted: Any, cleo: Any
) -> None:
    html = get_chart(client, cleo, charted).content.decode()
    main, side = html.index('class="chart-main"'), html.index('class="chart-side"')
    assert main < html.index('id="checkins-h"') < side < html.index('id="loc-h"')
    assert not set(CHART_MAIN) & set(CHART_SIDE)


def test_self_harm_yes_row_shows_the_answer_danger_symptoms_and_pulse(
    client: Client, charted: Any, cleo: Any
) -> None:
    response = get_chart(client, cleo, charted)
    rows = card(response, "pages/chart_checkins.html")["rows"]
    newest, danger = rows[0]
    assert newest.self_harm_thoughts is True and danger == ["Fainting or nearly fainting"]
    assert (newest.pulse, newest.temperature_c) == (96, 37.9)
    html = response.content.decode()
    table = html[html.index('data-testid="checkin-table"'):]
    row = table[table.index('<tr class="flagged">'):table.index("</tr>",
                                                                table.index("flagged"))]
    assert 'data-testid="self-harm"><span class="badge sev-urgent">Yes' in row
    assert "Fainting or nearly fainting" in row and ">96<" in row and ">37.9<" in row
    assert table.count('class="flagged"') == 1  # the "no" days are not flagged


def test_every_part_shown_is_audited_in_one_append(
    client: Client, charted: Any, cleo: Any
) -> None:
    from kratom_recovery.web.recovery.actions import save_relapse_plan

    save_relapse_plan(charted, charted.user, triggers=["evenings"], reasons=["family"], now=NOW)
    before = AuditEntry.objects.count()
    get_chart(client, cleo, charted)
    entries = list(AuditEntry.objects.order_by("pk")[before:])
    targets = [entry.target for entry in entries]
    assert targets[0] == "chart" and "relapse-plan" in targets
    assert len(targets) == len(set(targets))  # each part once
    # one chain, consecutive positions: written by one append
    assert len({entry.chain_key for entry in entries}) == 1
    assert [e.seq for e in entries] == list(range(entries[0].seq, entries[0].seq + len(entries)))
