"""The triaged caseload page: order, one-line reasons, filters, consent, query count."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.patients import actions
from kratom_recovery.web.recovery.actions import update_sharing
from tests.support.pages import card
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


def sows(patient: Any, total: int, when: Any) -> None:
    answers = [min(4, max(0, total - 4 * i)) for i in range(16)]
    assert sum(answers) == total
    actions.record_checkin(patient, patient.user, {"sows": answers, "craving": [3]},
                           self_harm_thoughts=False, now=when)


def names(response: Any) -> list[str]:
    return [row.patient.display_name for row in response.context["rows"]]


def test_triage_order_and_reasons(client: Client, cleo: Any, make_patient: Any) -> None:
    calm, rising, crisis = (make_patient(n, cleo) for n in ("calm", "rising", "crisis"))
    sows(calm, 3, NOW)
    sows(rising, 4, NOW - timedelta(days=1))
    sows(rising, 14, NOW)
    actions.record_checkin(crisis, crisis.user, {"craving": [2]},
                           danger_symptoms=["chest-pain"], self_harm_thoughts=False, now=NOW)
    client.force_login(cleo)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        response = client.get(reverse("caseload"))
    assert names(response)[:2] == ["Crisis", "Rising"]
    rows = {row.patient.display_name: row for row in response.context["rows"]}
    assert rows["Crisis"].priority.tier == 1
    assert "SOWS up 10 points" in rows["Rising"].priority.why
    assert rows["Rising"].trend == "up"
    assert rows["Calm"].priority.tier == 4
    html = response.content.decode()
    assert "SOWS up 10 points" in html and "↑" in html


def test_filters(client: Client, cleo: Any, make_patient: Any) -> None:
    make_patient("alpha", cleo)
    beta = make_patient("beta", cleo)
    actions.record_checkin(beta, beta.user, {"craving": [2]}, danger_symptoms=["seizure"],
                           self_harm_thoughts=False, now=NOW)
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        assert names(client.get(reverse("caseload"), {"q": "alp"})) == ["Alpha"]
        assert names(client.get(reverse("caseload"), {"tier": "1"})) == ["Beta"]
        assert "Beta" in names(client.get(reverse("caseload"), {"tier": "attention"}))
        everyone = names(client.get(reverse("caseload"), {"tier": "bogus", "phase": "nope"}))
    assert sorted(everyone) == ["Alpha", "Beta"]


def test_unshared_checkins_hide_scores(client: Client, pat: Any, cleo: Any) -> None:
    sows(pat, 12, NOW)
    update_sharing(pat, pat.user, checkins=False, journal=True, plan=True)
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("caseload"))
    row = response.context["rows"][0]
    assert row.shared is False and set(row.scores.values()) == {None}
    assert "Check-ins not shared" in response.content.decode()


def test_query_count_does_not_grow_with_the_caseload(
    client: Client, cleo: Any, make_patient: Any, django_assert_max_num_queries: Any
) -> None:
    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("caseload")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(cleo)
    for index in range(3):
        sows(make_patient(f"a{index}", cleo), 5 + index, NOW)
    small = count_queries()
    for index in range(12):
        sows(make_patient(f"b{index}", cleo), 5 + index, NOW)
    assert count_queries() == small
    # 10, plus the audit chain head's lock and move, plus the SQL sort's zones with their
    # counts and the page's ids, plus the staff second-factor policy.
    assert small <= 15


def test_chart_respects_checkin_consent(client: Client, pat: Any, cleo: Any) -> None:
    sows(pat, 40, NOW)
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        shared = client.get(reverse("chart", args=[pat.pk]))
        update_sharing(pat, pat.user, checkins=False, journal=True, plan=True)
        hidden = client.get(reverse("chart", args=[pat.pk]))
    checkins = "pages/chart_checkins.html"
    assert card(shared, checkins)["rows"] and not card(hidden, checkins)["rows"]
    assert "chosen not to share their check-ins" in hidden.content.decode()
    timeline = card(hidden, "patients/panel_timeline.html")
    assert "worse-than-expected" not in timeline["forecast"].flags


def test_pages_keep_the_triage_order(client: Client, cleo: Any, make_patient: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from kratom_recovery.web.clinic import views

    monkeypatch.setattr(views, "CASELOAD_PAGE", 2)
    for name in ("ann", "ben", "cat"):
        make_patient(name, cleo)
    crisis = make_patient("dan", cleo)
    actions.record_checkin(crisis, crisis.user, {"craving": [2]},
                           danger_symptoms=["seizure"], self_harm_thoughts=False, now=NOW)
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        first = client.get(reverse("caseload"))
        second = client.get(reverse("caseload"), {"page": "2"})
        beyond = client.get(reverse("caseload"), {"page": "99"})
    assert names(first)[0] == "Dan" and len(names(first)) == 2
    assert len(names(second)) == 2 and not set(names(first)) & set(names(second))
    assert names(beyond) == names(second)  # out of range: the last page
    assert "Page 1 of 2 (4 patients)" in first.content.decode()


def test_taper_column_matches_the_patients_adapted_plan(
    client: Client, pat: Any, bob: Any, cleo: Any
) -> None:
    from datetime import date

    from kratom_recovery.web.tapers.actions import start_taper

    plan = {"product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
            "years_of_use": "2", "strategy": "percent", "rate_percent": "10", "step_days": 7,
            "start": date(2026, 11, 10).isoformat()}
    for patient in (pat, bob):
        start_taper(patient, patient.user, plan, now=NOW - timedelta(days=10))
    for day in (15, 16):  # Pat's symptoms are high just before step 2 (due 17 Nov): held
        actions.record_checkin(pat, pat.user, {"sows": [2] * 16, "craving": [8]},
                               now=NOW.replace(day=day))
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        rows = {r.patient.display_name: r for r in
                client.get(reverse("caseload")).context["rows"]}
    assert rows["Pat"].taper.startswith("1/") and "15 g/d" in rows["Pat"].taper
    assert "⏸" in rows["Pat"].taper
    assert rows["Bob"].taper.startswith("2/") and "13.5 g/d" in rows["Bob"].taper


def test_new_taper_is_not_flagged_for_unlogged_doses(client: Client, pat: Any,
                                                     cleo: Any) -> None:
    from kratom_recovery.care.caseload import TAPER_GRACE_DAYS
    from kratom_recovery.web.tapers.actions import start_taper

    plan = {"product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
            "strategy": "percent", "start": NOW.date().isoformat()}
    start_taper(pat, pat.user, plan, now=NOW - timedelta(minutes=5))
    client.force_login(cleo)

    def why(at: Any) -> str:
        with time_machine.travel(at, tick=False):
            row = client.get(reverse("caseload")).context["rows"][0]
        return str(row.priority.why)

    assert "taper doses not logged" not in why(NOW)  # minutes old: was flagged before
    assert "taper doses not logged" not in why(NOW + timedelta(days=TAPER_GRACE_DAYS - 1))
    assert "taper doses not logged" in why(NOW + timedelta(days=TAPER_GRACE_DAYS))


def test_off_course_needs_moderate_withdrawal(client: Client, cleo: Any,
                                              make_patient: Any) -> None:
    mild, moderate = make_patient("mild", cleo), make_patient("moderate", cleo)
    sows(mild, 1, NOW - timedelta(days=1))
    sows(mild, 8, NOW)           # up 7 points, but only to mild withdrawal
    sows(moderate, 4, NOW - timedelta(days=1))
    sows(moderate, 11, NOW)      # up 7 points, to the start of the moderate band
    client.force_login(cleo)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        rows = {r.patient.display_name: r for r in
                client.get(reverse("caseload")).context["rows"]}
    assert rows["Moderate"].priority.tier == 2
    assert rows["Mild"].priority.tier != 2 and "SOWS up" not in rows["Mild"].priority.why
