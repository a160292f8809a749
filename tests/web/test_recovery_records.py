"""Relapse plan, lapses, progress, journal, own measures, sharing consent and the access log."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.recovery import actions, queries
from kratom_recovery.web.recovery.consent import clinician_may_see
from kratom_recovery.web.recovery.journal import actions as journal_actions
from kratom_recovery.web.recovery.measures import actions as measure_actions
from kratom_recovery.web.recovery.models import (
    JournalEntry,
    LapseReflection,
    OwnMeasure,
    OwnMeasureValue,
    RecoverySettings,
    RelapsePlan,
    SharingConsent,
)
from kratom_recovery.web.safety.models import Alert
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

PLAN_POST = {
    "triggers": "Payday\n\n  Fights at home ",
    "warning_signs": "Skipping meals",
    "coping_actions": "Call Sam\nWalk",
    "reasons": "My kids",
    "person_1_name": "Sam", "person_1_phone": "+1 (555) 010-2030",
}

PATIENT_PAGES = [
    ("recovery-coping", []), ("recovery-exercises", []),
    ("recovery-exercise", ["urge-surfing"]), ("recovery-plan", []),
    ("recovery-plan-edit", []), ("recovery-lapse", []), ("recovery-progress", []),
    ("recovery-journal", []), ("recovery-measures", []), ("recovery-sharing", []),
    ("recovery-record-access", []),
]


@pytest.mark.parametrize(("name", "args"), PATIENT_PAGES)
def test_patient_pages_work_and_refuse_other_roles(
    client: Client, pat: Any, cleo: Any, ada: Any, name: str, args: list[str]
) -> None:
    url = reverse(name, args=args)
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(cleo)
    assert client.get(url).status_code == 403
    client.force_login(ada)
    assert client.get(url).status_code == 403
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        assert client.get(url).status_code == 200


# --- relapse-prevention plan ------------------------------------------------------------------


def test_plan_saves_shows_and_is_printable(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-plan-edit"), PLAN_POST)
    assert response.status_code == 302
    plan = RelapsePlan.objects.get(patient=pat)
    assert plan.triggers == ["Payday", "Fights at home"]
    assert plan.people == [{"name": "Sam", "phone": "+1 (555) 010-2030"}]
    page = client.get(reverse("recovery-plan")).content.decode()
    assert "Fights at home" in page and 'href="tel:+1(555)010-2030"' in page
    assert "no-print" in page
    # Editing starts from what was saved.
    edit = client.get(reverse("recovery-plan-edit"))
    assert edit.context["form"].initial["person_1_name"] == "Sam"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_1_phone": "call me"}, "person_1_phone"),
        ({"person_1_phone": "12"}, "person_1_phone"),
        ({"person_1_phone": ""}, "person_1_phone"),
        ({"person_1_name": ""}, "person_1_name"),
        ({"triggers": "\n".join(f"t{n}" for n in range(13))}, "triggers"),
        ({"reasons": "x" * 301}, "reasons"),
    ],
)
def test_bad_plan_names_the_field_and_writes_nothing(
    client: Client, pat: Any, change: dict[str, str], field: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-plan-edit"), {**PLAN_POST, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not RelapsePlan.objects.exists()


def test_988_is_a_valid_phone_number() -> None:
    assert actions.check_phone("p", "988") == "988"
    with pytest.raises(InvalidInput):
        actions.check_phone("p", "1" * 16)


# --- lapses -----------------------------------------------------------------------------------


def log_use_page(client: Client, when: str = "2026-11-24T20:00") -> Any:
    return client.post(reverse("log-use"), {"taken_at": when, "amount": "3", "unit": "g"})


def test_lapse_keeps_longest_streak_and_stays_private(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        response = log_use_page(client)  # 2026-11-24 20:00 New York = 25th 01:00 UTC
        assert response["Location"] == reverse("recovery-lapse")
        page = client.get(reverse("recovery-lapse"))
        streaks = page.context["progress"].streaks
        # Quit 30 h before NOW; use ~4.4 days after NOW; now NOW + 5 days.
        assert (streaks.longest, streaks.current, streaks.lapses) == (5, 0, 1)
        assert "Your longest run without kratom" in page.content.decode()
        response = client.post(reverse("recovery-lapse"), {
            "trigger": "Bad day at work", "feelings": "tired", "plan_change": ""})
    assert response.status_code == 302
    reflection = LapseReflection.objects.get(patient=pat)
    assert reflection.trigger == "Bad day at work" and reflection.use_event is not None
    assert reflection.told_clinician is False
    assert not Alert.objects.filter(rule="lapse-reported").exists()


def test_lapse_alerts_clinician_only_when_asked(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW + timedelta(days=5), tick=False):
        log_use_page(client)
        response = client.post(reverse("recovery-lapse"), {
            "trigger": "Party", "feelings": "ashamed", "plan_change": "Leave early",
            "tell_clinician": "on"})
    assert response["Location"] == reverse("recovery-plan-edit")
    alert = Alert.objects.get(patient=pat, rule="lapse-reported")
    assert alert.severity == "info"
    assert "Party" in alert.clinician_message and "Leave early" in alert.clinician_message
    assert "ashamed" not in alert.clinician_message


def test_lapse_without_clinician_cannot_alert(client: Client, make_patient: Any) -> None:
    solo = make_patient("solo", None)
    client.force_login(solo.user)
    page = client.get(reverse("recovery-lapse"))
    assert "tell_clinician" not in page.context["form"].fields
    with pytest.raises(InvalidInput) as excinfo:
        actions.record_lapse(solo, solo.user, use_event=None, tell_clinician=True)
    assert excinfo.value.field == "tell_clinician"
    assert LapseReflection.objects.count() == 0 and Alert.objects.count() == 0


def test_lapse_bad_input_writes_nothing(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-lapse"), {"trigger": "x" * 2001})
    assert response.status_code == 200 and "trigger" in response.context["form"].errors
    assert LapseReflection.objects.count() == 0


def test_lapse_cannot_attach_someone_elses_use(pat: Any, bob: Any) -> None:
    use = patient_actions.log_use(bob, bob.user, taken_at=NOW, amount="1", unit="g",
                                  now=NOW + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        actions.record_lapse(pat, pat.user, use_event=use)


# --- progress ---------------------------------------------------------------------------------


def test_money_saved_from_own_price(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-settings"),
                           {"price_per_unit": "0.40", "price_unit": "g", "currency": "$"})
    assert response.status_code == 302
    with time_machine.travel(NOW + timedelta(days=10), tick=False):
        page = client.get(reverse("recovery-progress"))
    money = page.context["progress"].money
    # 15 g/day × $0.40 × 11 whole days since the last dose (30 h before NOW).
    assert money.current_streak == Decimal("66.00") == money.since_quitting
    assert "$66.00" in page.content.decode()
    assert page.context["progress"].milestones.next == 14


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"price_per_unit": "-1", "price_unit": "g"}, "price_per_unit"),
        ({"price_per_unit": "abc", "price_unit": "g"}, "price_per_unit"),
        ({"price_per_unit": "1", "price_unit": "kg"}, "price_unit"),
        ({"price_per_unit": "1", "price_unit": ""}, "price_unit"),
    ],
)
def test_bad_price_names_the_field_and_writes_nothing(
    client: Client, pat: Any, post: dict[str, str], field: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-settings"), post)
    assert response.status_code == 200
    assert field in response.context["settings_form"].errors
    assert not RecoverySettings.objects.exists()


def test_price_in_another_unit_is_explained(pat: Any) -> None:
    actions.save_recovery_settings(pat, pat.user, price_per_unit="1", price_unit="tablets")
    view = queries.progress_view(pat, NOW)
    assert view.money is None and view.money_problem == "unit"


@pytest.mark.parametrize(("mood", "ten"), [(1, 0.0), (2, 2.5), (3, 5.0), (4, 7.5), (5, 10.0),
                                           (None, None)])
def test_mood_maps_onto_zero_to_ten(mood: int | None, ten: float | None) -> None:
    assert queries.mood_on_ten(mood) == ten


def test_weekly_summary_and_charts(client: Client, pat: Any) -> None:
    # This week: SOWS 10, mood 5 (10/10); the week before: SOWS 20, mood 1 (0/10).
    for days_ago, level, mood in [(0, 1, 5), (3, 1, 5), (8, 2, 1), (12, 2, 1)]:
        patient_actions.record_checkin(pat, pat.user, {"sows": [level] * 10 + [0] * 6,
                                                       "craving": [2]},
                                       mood=mood, now=NOW - timedelta(days=days_ago))
    measure = measure_actions.add_measure(pat, pat.user, "Back pain")
    measure_actions.record_measure_values(pat, pat.user, {measure.pk: 7}, now=NOW)
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("recovery-progress"))
    week = page.context["week"]
    assert week.summary.means["mood"] == 10.0 and week.summary.previous_means["mood"] == 0.0
    assert week.summary.trends["mood"] == "up" and week.summary.trends["sows_total"] == "down"
    html = page.content.decode()
    assert "Back pain" in html and html.count("<svg") == 4


def test_progress_query_count_is_bounded(
    client: Client, pat: Any, django_assert_max_num_queries: Any
) -> None:
    for day in range(30):
        patient_actions.record_checkin(pat, pat.user, {"craving": [day % 10]}, mood=3,
                                       now=NOW - timedelta(days=day))
    for name in ("Pain", "Stress", "Energy"):
        measure = measure_actions.add_measure(pat, pat.user, name)
        for day in range(20):
            measure_actions.record_measure_values(pat, pat.user, {measure.pk: day % 11},
                                          now=NOW - timedelta(days=day))
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(14):
        assert client.get(reverse("recovery-progress")).status_code == 200


# --- journal ----------------------------------------------------------------------------------


def test_journal_private_by_default_and_shareable_per_entry(
    client: Client, pat: Any, cleo: Any
) -> None:
    client.force_login(pat.user)
    client.post(reverse("recovery-journal"), {"text": "secret thoughts", "mood": "2"})
    client.post(reverse("recovery-journal"), {"text": "for my clinician", "shared": "on"})
    assert list(JournalEntry.objects.values_list("shared", flat=True).order_by("id")) == [
        False, True]
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "for my clinician" in chart and "secret thoughts" not in chart
    assert AuditEntry.objects.filter(actor=cleo, patient=pat, target="journal-shared").exists()
    # Un-share the entry: gone from the chart at once.
    entry = JournalEntry.objects.get(shared=True)
    client.force_login(pat.user)
    client.post(reverse("recovery-journal-entry", args=[entry.pk]), {"text": entry.text})
    client.force_login(cleo)
    assert "for my clinician" not in client.get(reverse("chart", args=[pat.pk])).content.decode()


@pytest.mark.parametrize(("post", "field"), [({"text": "  "}, "text"),
                                             ({"text": "x", "mood": "9"}, "mood"),
                                             ({"text": "x" * 5001}, "text")])
def test_bad_journal_entry_writes_nothing(
    client: Client, pat: Any, post: dict[str, str], field: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("recovery-journal"), post)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert JournalEntry.objects.count() == 0


def test_someone_elses_journal_entry_is_404(client: Client, pat: Any, bob: Any) -> None:
    entry = journal_actions.add_journal_entry(bob, bob.user, text="bob's")
    client.force_login(pat.user)
    url = reverse("recovery-journal-entry", args=[entry.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "hijack"}).status_code == 404
    entry.refresh_from_db()
    assert entry.text == "bob's"


def test_journal_list_query_count_is_bounded(
    client: Client, pat: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(60):
        journal_actions.add_journal_entry(pat, pat.user, text=f"entry {n}", mood=3)
    client.force_login(pat.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("recovery-journal"))
    assert len(response.context["entries"]) == 50


# --- own measures -----------------------------------------------------------------------------


def test_measures_add_fill_and_archive(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        assert client.post(reverse("recovery-measure-add"), {"name": "Stress"}).status_code == 302
        measure = OwnMeasure.objects.get(patient=pat)
        response = client.post(reverse("recovery-measures"), {f"measure_{measure.pk}": "6"})
        assert response.status_code == 302
        client.post(reverse("recovery-measures"), {f"measure_{measure.pk}": "4"})  # same day
        page = client.get(reverse("recovery-measures"))
    value = OwnMeasureValue.objects.get(measure=measure)
    assert (value.value, value.local_date.isoformat()) == (4, "2026-11-20")
    assert page.context["form"].initial == {f"measure_{measure.pk}": 4}
    client.post(reverse("recovery-measure-archive", args=[measure.pk]))
    measure.refresh_from_db()
    assert measure.archived and OwnMeasureValue.objects.count() == 1


@pytest.mark.parametrize("value", ["11", "-1", "2.5", "lots"])
def test_bad_measure_value_writes_nothing(client: Client, pat: Any, value: str) -> None:
    measure = measure_actions.add_measure(pat, pat.user, "Pain")
    client.force_login(pat.user)
    response = client.post(reverse("recovery-measures"), {f"measure_{measure.pk}": value})
    assert response.status_code == 200
    assert f"measure_{measure.pk}" in response.context["form"].errors
    assert OwnMeasureValue.objects.count() == 0


def test_measure_names_are_checked(client: Client, pat: Any) -> None:
    measure_actions.add_measure(pat, pat.user, "Pain")
    client.force_login(pat.user)
    response = client.post(reverse("recovery-measure-add"), {"name": " pain "})
    assert "already track" in str(response.context["add_form"].errors["name"])
    assert OwnMeasure.objects.count() == 1


def test_someone_elses_measure_is_404(client: Client, pat: Any, bob: Any) -> None:
    measure = measure_actions.add_measure(bob, bob.user, "Pain")
    client.force_login(pat.user)
    assert client.post(reverse("recovery-measure-archive", args=[measure.pk])).status_code == 404
    with pytest.raises(InvalidInput):
        measure_actions.record_measure_values(pat, pat.user, {measure.pk: 3})
    assert not OwnMeasure.objects.get(pk=measure.pk).archived


# --- consent and the access log ---------------------------------------------------------------


def test_consent_defaults_and_unknown_kind(pat: Any) -> None:
    assert all(clinician_may_see(pat, what) for what in ("checkins", "journal", "plan"))
    assert not SharingConsent.objects.exists()  # defaults without a stored row
    with pytest.raises(ValueError):
        clinician_may_see(pat, "everything")


def test_revoking_consent_hides_panels_at_once(client: Client, pat: Any, cleo: Any) -> None:
    actions.save_relapse_plan(pat, pat.user, triggers=["Payday"])
    journal_actions.add_journal_entry(pat, pat.user, text="shared note", shared=True)
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Payday" in chart and "shared note" in chart
    client.force_login(pat.user)
    response = client.post(reverse("recovery-sharing"), {"checkins": "on"})
    assert response.status_code == 302
    consent = SharingConsent.objects.get(patient=pat)
    assert (consent.checkins, consent.journal, consent.plan) == (True, False, False)
    assert clinician_may_see(pat, "checkins") and not clinician_may_see(pat, "plan")
    reads_before = AuditEntry.objects.filter(target__in=["relapse-plan", "journal-shared"]).count()
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Payday" not in chart and "shared note" not in chart
    assert AuditEntry.objects.filter(
        target__in=["relapse-plan", "journal-shared"]).count() == reads_before


def test_only_the_patient_changes_consent(pat: Any, cleo: Any) -> None:
    with pytest.raises(InvalidInput):
        actions.update_sharing(pat, cleo, checkins=False, journal=False, plan=False)
    assert not SharingConsent.objects.exists()


def test_access_log_shows_clinician_reads_in_patient_zone(
    client: Client, pat: Any, cleo: Any, bob: Any
) -> None:
    actions.save_relapse_plan(pat, pat.user, triggers=["Payday"])
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        client.get(reverse("chart", args=[pat.pk]))
        client.get(reverse("chart", args=[bob.pk]))
    client.force_login(pat.user)
    page = client.get(reverse("recovery-record-access"))
    entries = list(page.context["page"].object_list)
    assert entries and all(e.patient_id == pat.pk for e in entries)
    assert {e.target for e in entries} >= {"chart", "relapse-plan"}
    html = page.content.decode()
    assert "Cleo" in html and "viewed your relapse-prevention plan" in html
    assert "20 Nov 2026, 10:00" in html  # 15:00 UTC shown in America/New_York


def test_access_log_is_paginated_with_bounded_queries(
    client: Client, pat: Any, cleo: Any, django_assert_max_num_queries: Any
) -> None:
    from kratom_recovery.web.audit.log import record

    for n in range(60):
        record(cleo, pat, "read", f"thing:{n}")
    client.force_login(pat.user)
    with django_assert_max_num_queries(6):
        first = client.get(reverse("recovery-record-access"))
    assert len(first.context["page"].object_list) == 25
    last = client.get(reverse("recovery-record-access") + "?page=3")
    assert len(last.context["page"].object_list) == 10
    assert client.get(reverse("recovery-record-access") + "?page=abc").status_code == 200


def test_sharing_page_shows_every_consent_element(client: Client, pat: Any) -> None:
    """42 CFR Part 2 §2.31 elements where the patient consents (docs/data-rights.md)."""
    client.force_login(pat.user)
    page = client.get(reverse("recovery-sharing")).content.decode()
    for element in ("Your name", "Who shares", "What is shared", "Who receives it", "Why",
                    "Taking it back", "Until when", "Signed and dated", "42 CFR Part 2"):
        assert element in page, element
    assert "Cleo" in page and pat.display_name in page
