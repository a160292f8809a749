"""Query budgets for the composed pages, with a busy patient so a per-row query would show.

The ceilings are today's counts (measured when these tests were written), so a change that
adds queries fails here and has to say why. The later targets are lower: the patient home
at most 12 and the chart at most 15.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kratom_recovery.web.clinic.actions import write_note
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.recovery import actions as recovery_actions
from kratom_recovery.web.recovery.journal import actions as journal_actions
from kratom_recovery.web.recovery.measures import actions as measure_actions
from kratom_recovery.web.tapers.actions import start_taper
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db
DAYS = 10
SOWS_CALM = [1] * 16

# Today's counts (SQLite and PostgreSQL alike), as ceilings.
# Patient home: 31, plus the unread message count in the patient's navigation bar, less the
# second read of the patient's row (own_patient reuses the time zone middleware's): 31.
# Target reached, 12: the home's cards share their reads (PatientPage); the patient is read
# once more with its one-to-one rows (profile, safety state, follow-up plan, recovery
# settings) and with the unread count and whether there is a care team, a coming
# appointment, a level-of-care decision or coping feedback; the check-ins are one query; the
# progress card's lapses and taper doses one (UNION ALL); the follow-up plan is made at
# onboarding. Left: session, user, the middleware's patient row, that read, check-ins, taper
# plans and their check-ins, follow-up rows, progress uses, and the coping card's forecast
# (uses, taper doses, SOWS).
HOME_QUERIES = 12
# 36, plus the bedside card (vitals, labs, orders with the last assessment) and the messages
# card (the team's unread count).
# The audit hash chain (audit/chain.py) adds the chain head's lock and move to each audited
# read: chart 40 -> 47, caseload 10 -> 15 (still one set for any number of patients).
# The chart's panels share one read of the sharing consent (recovery/consent.py): 47 -> 44.
# Target reached: 15. The cards read through one PatientPage (patients/page.py), so each row
# set is read once per request; the patient comes with its one-to-one rows (profile, consent,
# safety state, follow-up plan, relapse plan, bedside orders) and with whether there are
# vitals, labs or decisions and the team's unread count (pages/panels.py); the alerts, open
# and acknowledged, are one query; the check-ins one (joined to their responses); every part
# shown is audited in one chain append (3); the follow-up plan is made at onboarding, not on
# the first page that shows it. Whether there is a coming appointment, a MOUD or naloxone
# record is read with the patient too. Left: session, user (with the second-factor policy),
# program zone, patient, check-ins, alerts, follow-up rows, ratings, taper plans and their
# check-ins, the shared journal, and the audit append's three.
CHART_QUERIES = 15
# Caseload: 9, plus the alert-delivery banner's check (notify/context.py), plus the bedside
# list of COWS / CIWA-Ar assessments due (bedside/queries.due_assessments, one query for the
# whole caseload), plus the audit chain head's lock and move: 13. Sorting and paging in SQL
# on the stored triage (clinic/triage.py) reads the caseload's zones with their counts and
# then the page's ids, and the caseload's open alerts are one query of their own: 15. (The
# staff second-factor policy comes with the session's user, patients/signin.py.) The open
# alerts are read in two (clinic/live.py): all of them in brief, then in full only those the
# page shows, since hundreds read in full cost more than the rest of the page: 16.
CASELOAD_QUERIES = 16
PROGRAM_QUERIES = 9  # 7, plus the delivery banner: late alerts and failed deliveries


def busy(patient: Any) -> None:
    """Ten days of check-ins, a lapse, a taper, shared journal entries, a measure, a plan."""
    user = patient.user
    for day in range(DAYS, 0, -1):
        when = NOW - timedelta(days=day)
        patient_actions.record_checkin(patient, user, {"sows": SOWS_CALM, "craving": [3]},
                                       now=when, mood=3, sleep_hours="6.5")
        journal_actions.add_journal_entry(patient, user, text=f"day {day}", mood=3,
                                          shared=True, now=when)
    patient_actions.log_use(patient, user, taken_at=NOW - timedelta(days=2), amount=2,
                            unit="g", now=NOW - timedelta(days=2))
    measure = measure_actions.add_measure(patient, user, "Back pain", now=NOW - timedelta(days=3))
    measure_actions.record_measure_values(patient, user, {measure.pk: 4}, now=NOW)
    recovery_actions.save_relapse_plan(patient, user, triggers=["evenings"],
                                       reasons=["my kids"], now=NOW)
    start_taper(patient, user, {
        "product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
        "strategy": "percent", "rate_percent": "10", "step_days": 7,
        "start": NOW.date().isoformat()}, now=NOW)


@pytest.fixture
def busy_pat(pat: Any) -> Any:
    with time_machine.travel(NOW, tick=False):
        busy(pat)
    return pat


def test_patient_home_budget(
    client: Client, busy_pat: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(busy_pat.user)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(reverse("patient-home"))
    assert response.status_code == 200


def test_chart_budget(
    client: Client, busy_pat: Any, cleo: Any, django_assert_max_num_queries: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        write_note(busy_pat, cleo, {"subjective": "Seen today; plan agreed."})
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(CHART_QUERIES):
        response = client.get(reverse("chart", args=[busy_pat.pk]))
    assert response.status_code == 200
    assert "day 1" in response.content.decode()  # the shared journal panel was drawn


def page_queries(client: Client, url: str) -> int:
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("viewer", "url_name", "ceiling"), [
    ("cleo", "caseload", CASELOAD_QUERIES),
    ("ada", "program", PROGRAM_QUERIES),
])
def test_list_pages_stay_within_budget_as_busy_patients_are_added(
    client: Client, busy_pat: Any, cleo: Any, ada: Any, make_patient: Any, viewer: str,
    url_name: str, ceiling: int,
) -> None:
    client.force_login(cleo if viewer == "cleo" else ada)
    url = reverse(url_name)
    one = page_queries(client, url)
    with time_machine.travel(NOW, tick=False):
        for index in range(4):
            busy(make_patient(f"busy{index}", cleo))
    five = page_queries(client, url)
    assert five == one  # nothing per patient
    assert five <= ceiling


def test_sharing_consent_is_read_once_per_patient_and_follows_an_update(
    pat: Any, django_assert_max_num_queries: Any
) -> None:
    from kratom_recovery.web.recovery.consent import clinician_may_see

    with django_assert_max_num_queries(1):  # every panel of a page asks; one read answers
        assert all(clinician_may_see(pat, what) for what in ("checkins", "journal", "plan"))
    recovery_actions.update_sharing(pat, pat.user, checkins=True, journal=False, plan=False)
    assert clinician_may_see(pat, "checkins") and not clinician_may_see(pat, "journal")
