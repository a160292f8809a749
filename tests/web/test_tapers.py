"""Taper pages: a patient makes, follows and logs a plan; the clinician reviews, edits
(audited, versioned) and records medicines; exports; access rules."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.taper import SUPERVISION_WARNING, SUPPORT_NOTE
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients.actions import complete_onboarding, record_checkin
from kratom_recovery.web.tapers import actions
from kratom_recovery.web.tapers.models import DoseTaken, TaperPlanRecord
from kratom_recovery.web.tapers.plans import due_doses
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # NOW in New York (the personas' zone)


def taper_post(**overrides: str) -> dict[str, str]:
    data = {"product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": "3",
            "years_of_use": "2", "strategy": "percent", "rate_percent": "10", "step_days": "7",
            "precision": "", "jump_off": "", "start": TODAY.isoformat()}
    data.update(overrides)
    return data


def start(patient: Any, **overrides: Any) -> TaperPlanRecord:
    data: dict[str, Any] = {"product": "leaf", "amount_per_day": "15", "unit": "g",
                            "doses_per_day": 3, "years_of_use": "2", "strategy": "percent",
                            "rate_percent": "10", "step_days": 7, "start": TODAY.isoformat()}
    data.update(overrides)
    return actions.start_taper(patient, patient.user, data, now=NOW)


def medication(patient: Any, clinician: Any, **overrides: Any) -> TaperPlanRecord:
    # 0.3 → 0.2 → 0.1 mg cuts a third, then half: saved with the second confirmation.
    data: dict[str, Any] = {"name": "Clonidine", "unit": "mg", "amount_per_day": "0.3",
                            "doses_per_day": 3, "strategy": "linear", "rate_percent": "25",
                            "step_days": 4, "precision": "0.1", "start": TODAY.isoformat(),
                            "confirm_large_cuts": True}
    schedule = overrides.pop("schedule", "fixed")
    data.update(overrides)
    return actions.record_medication_plan(patient, clinician, data, schedule=schedule, now=NOW)


@pytest.fixture
def at_now() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def field_errors(response: Any) -> dict[str, Any]:
    return dict(response.context["form"].errors)


# --- patient: create, follow, log ---------------------------------------------------------------


def test_new_taper_form_is_prefilled_from_profile(client: Client, pat: Any, at_now: None) -> None:
    client.force_login(pat.user)
    form = client.get(reverse("taper-new")).context["form"]
    assert form.initial["amount_per_day"] == pat.profile.amount_per_day
    assert (form.initial["product"], form.initial["unit"]) == ("leaf", "g")
    assert form.initial["doses_per_day"] == 3 and form.initial["start"] == TODAY


def test_patient_creates_follows_and_logs(client: Client, pat: Any, at_now: None) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("taper-new"), taper_post())
    record = TaperPlanRecord.objects.get(patient=pat)
    assert response["Location"] == reverse("taper-plan", args=[record.series])
    assert (record.kind, record.version, record.active, record.created_by) == (
        "kratom", 1, True, pat.user)
    page = client.get(response["Location"])
    html = page.content.decode()
    shown = page.context["shown"]
    assert shown.today_amount == "15.0" and shown.today_doses == ["5.0", "5.0", "5.0"]
    assert SUPPORT_NOTE in html and "13.5" in html  # the second step: 15 − 10%
    for amount in ("4.5", "5"):
        client.post(reverse("taper-log", args=[record.series]),
                    {"taken_at": "2026-11-20T08:00", "amount": amount, "note": ""})
    assert DoseTaken.objects.filter(patient=pat, plan=record).count() == 2
    shown = client.get(reverse("taper-plan", args=[record.series])).context["shown"]
    row = shown.adherence[0]
    assert (row.day, row.planned, row.taken, row.over) == (TODAY, "15.0", "9.5", False)
    assert "<svg" in shown.chart_svg
    assert not AuditEntry.objects.filter(patient=pat).exclude(target="profile").exists()


def test_home_card_only_with_a_taper(client: Client, pat: Any, at_now: None) -> None:
    client.force_login(pat.user)
    assert "taper-card" not in client.get(reverse("patient-home")).content.decode()
    record = start(pat)
    html = client.get(reverse("patient-home")).content.decode()
    assert reverse("taper-log", args=[record.series]) in html
    assert "15.0" in html


def test_goal_taper_without_plan_gets_an_invitation(
    client: Client, make_patient: Any, at_now: None
) -> None:
    patient = make_patient("tess", None, onboard=False)
    complete_onboarding(patient, patient.user, profile_data(goal="taper"), now=NOW)
    client.force_login(patient.user)
    assert reverse("taper-new") in client.get(reverse("patient-home")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"rate_percent": "0"}, "rate_percent", "above 0"),
        ({"rate_percent": "100"}, "rate_percent", "below 100"),
        ({"unit": "tablets"}, "unit", "does not fit"),
        ({"amount_per_day": "0"}, "amount_per_day", "above 0"),
        ({"start": "2026-02-30"}, "start", "valid date"),
        ({"step_days": "0"}, "step_days", "from 1"),
        ({"jump_off": "20"}, "jump_off", "up to 15"),
    ],
)
def test_bad_taper_input_names_the_field_and_writes_nothing(
    client: Client, pat: Any, at_now: None, overrides: dict[str, str], field: str, text: str
) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("taper-new"), taper_post(**overrides))
    assert response.status_code == 200
    errors = field_errors(response)
    assert list(errors) == [field] and text in str(errors[field])
    assert not TaperPlanRecord.objects.exists()


def test_extract_plan_warns_about_medical_supervision(
    client: Client, pat: Any, at_now: None
) -> None:
    record = start(pat, product="extract", unit="mg", amount_per_day="60")
    client.force_login(pat.user)
    assert SUPERVISION_WARNING in client.get(
        reverse("taper-plan", args=[record.series])).content.decode()


def test_one_kratom_taper_at_a_time_and_stop(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat)
    with pytest.raises(InvalidInput) as excinfo:
        start(pat)
    assert excinfo.value.field == "taper"
    client.force_login(pat.user)
    client.post(reverse("taper-stop", args=[record.series]), {"reason": "new plan"})
    record.refresh_from_db()
    assert not record.active and record.stopped_at == NOW
    assert start(pat).active
    page = client.get(reverse("taper-plan", args=[record.series]))
    assert page.context["shown"].stopped


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"taken_at": "2026-11-20T08:00", "amount": "-1"}, "amount"),
        ({"taken_at": "2026-11-21T08:00", "amount": "1"}, "taken_at"),  # the future
        ({"taken_at": "2026-11-10T08:00", "amount": "1"}, "taken_at"),  # before the plan
        ({"taken_at": "yesterday", "amount": "1"}, "taken_at"),
        ({"taken_at": "2026-11-20T08:00", "amount": "300"}, "amount"),
    ],
)
def test_bad_dose_names_the_field_and_writes_nothing(
    client: Client, pat: Any, at_now: None, data: dict[str, str], field: str
) -> None:
    record = start(pat)
    client.force_login(pat.user)
    response = client.post(reverse("taper-log", args=[record.series]), {**data, "note": ""})
    assert response.status_code == 200 and field in field_errors(response)
    assert not DoseTaken.objects.exists()


# --- adaptive holds ----------------------------------------------------------------------------


def sows(total_per_item: int) -> list[object]:
    return [total_per_item] * 16


def test_high_checkins_hold_the_next_step(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat, start=(TODAY - timedelta(days=10)).isoformat())  # step 2 due 11-17
    for day in (15, 16):
        record_checkin(pat, pat.user, {"sows": sows(2), "craving": [8]},
                       now=NOW.replace(day=day))
    client.force_login(pat.user)
    shown = client.get(reverse("taper-plan", args=[record.series])).context["shown"]
    hold = shown.holds[0]
    assert (hold.step_number, hold.start, hold.days) == (1, date(2026, 11, 17), 7)
    assert hold.next_start == date(2026, 11, 24) and "SOWS total of 32" in hold.reason
    assert shown.today_amount == "15.0"  # still on step 1: the cut waited
    html = client.get(reverse("taper-plan", args=[record.series])).content.decode()
    assert "Steps held for you" in html and "craving reached 8 of 10" in html


def test_calm_checkins_do_not_hold(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat, start=(TODAY - timedelta(days=10)).isoformat())
    record_checkin(pat, pat.user, {"sows": sows(0), "craving": [2]}, now=NOW.replace(day=16))
    client.force_login(pat.user)
    shown = client.get(reverse("taper-plan", args=[record.series])).context["shown"]
    assert shown.holds == [] and shown.today_amount == "13.5"


# --- clinician: view, edit, medicines ------------------------------------------------------------


def test_clinician_views_plan_and_read_is_audited(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    record = start(pat)
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    url = reverse("clinic-taper", args=[pat.pk, record.series])
    assert url in chart
    assert client.get(url).status_code == 200
    assert AuditEntry.objects.filter(actor=cleo, action="read", target=f"taper:{record.pk}")


def edit_post(**overrides: str) -> dict[str, str]:
    data = taper_post(rate_percent="5", step_days="14")
    data.update({"starting_point": "custom", "hold_days": "",
                 "change_reason": "Withdrawal was hard last week; slowing down."})
    data.update(overrides)
    return data


def test_clinician_edit_is_versioned_audited_and_shown_to_patient(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    record = start(pat)
    client.force_login(cleo)
    url = reverse("clinic-taper-edit", args=[pat.pk, record.series])
    assert client.get(url).context["form"].initial["rate_percent"] == 10.0
    response = client.post(url, edit_post())
    assert response["Location"] == reverse("clinic-taper", args=[pat.pk, record.series])
    versions = list(TaperPlanRecord.objects.filter(series=record.series).order_by("version"))
    assert [(v.version, v.active) for v in versions] == [(1, False), (2, True)]
    new = versions[1]
    assert new.created_by == cleo and new.request["rate_percent"] == "5"
    assert versions[0].request["rate_percent"] == "10"  # the old version is kept as it was
    assert AuditEntry.objects.filter(actor=cleo, action="update", target=f"taper:{new.pk}")
    client.force_login(pat.user)
    page = client.get(reverse("taper-plan", args=[record.series]))
    html = page.content.decode()
    assert "Cleo" in html and "slowing down" in html
    assert page.context["shown"].steps[1].step.start == TODAY + timedelta(days=14)


def test_clinician_hold_continues_from_todays_amount(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    record = start(pat, start=(TODAY - timedelta(days=10)).isoformat())  # today: 13.5 g
    client.force_login(cleo)
    client.post(reverse("clinic-taper-edit", args=[pat.pk, record.series]),
                edit_post(starting_point="today", hold_days="5", change_reason="Hold a bit."))
    new = TaperPlanRecord.objects.get(series=record.series, active=True)
    assert new.request["amount_per_day"] == "13.5"
    assert new.request["start"] == (TODAY + timedelta(days=5)).isoformat()
    client.force_login(pat.user)
    shown = client.get(reverse("taper-plan", args=[record.series])).context["shown"]
    assert shown.waiting and shown.today_amount == "13.5"
    cells = {c.day: c for m in client.get(reverse("taper-calendar", args=[record.series]))
             .context["months"] for w in m.weeks for c in w if c.day}
    assert (cells[TODAY - timedelta(days=10)].amount, cells[TODAY].amount) == ("15.0", "13.5")
    assert cells[TODAY - timedelta(days=3)].step_start  # version 1's step, in force then
    assert not cells[TODAY + timedelta(days=4)].step_start  # version 1's, replaced by the hold
    assert cells[TODAY + timedelta(days=4)].amount == "13.5"  # held at today's amount
    assert cells[TODAY + timedelta(days=5)].step_start
    # adherence of earlier days still uses the version in force then
    actions.log_dose(new, pat.user, taken_at=NOW - timedelta(days=8), amount="15", now=NOW)
    shown = client.get(reverse("taper-plan", args=[record.series])).context["shown"]
    assert shown.adherence[0].planned == "15.0"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"change_reason": ""}, "change_reason"),
        ({"rate_percent": "100"}, "rate_percent"),
        ({"hold_days": "5"}, "hold_days"),  # a hold needs "continue from today"
    ],
)
def test_bad_edit_names_the_field_and_writes_nothing(
    client: Client, pat: Any, cleo: Any, at_now: None, overrides: dict[str, str], field: str
) -> None:
    record = start(pat)
    client.force_login(cleo)
    response = client.post(reverse("clinic-taper-edit", args=[pat.pk, record.series]),
                           edit_post(**overrides))
    assert response.status_code == 200 and field in field_errors(response)
    assert TaperPlanRecord.objects.count() == 1
    assert not AuditEntry.objects.filter(action="update", target__startswith="taper:")


def test_medication_plan_recorded_seen_and_logged(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    client.force_login(cleo)
    data = {
        "name": "Clonidine", "unit": "mg", "amount_per_day": "0.3", "doses_per_day": "3",
        "schedule": "fixed", "as_needed": "", "strategy": "linear", "rate_percent": "25",
        "step_days": "4", "precision": "0.1", "jump_off": "", "start": TODAY.isoformat(),
    }
    url = reverse("clinic-medication-new", args=[pat.pk])
    # Cuts over 25% a step: refused until the confirm box (shown with the warning) is ticked.
    assert 'type="checkbox" name="confirm_large_cuts"' not in client.get(url).content.decode()
    refused = client.post(url, data)
    assert refused.status_code == 200 and "confirm_large_cuts" in field_errors(refused)
    html = refused.content.decode()
    assert "more than 25%" in html and 'type="checkbox" name="confirm_large_cuts"' in html
    assert not TaperPlanRecord.objects.exists()
    response = client.post(url, {**data, "confirm_large_cuts": "on"})
    record = TaperPlanRecord.objects.get(patient=pat, kind="medication")
    assert response["Location"] == reverse("clinic-taper", args=[pat.pk, record.series])
    assert AuditEntry.objects.filter(actor=cleo, action="create", target=f"taper:{record.pk}")
    client.force_login(pat.user)
    page = client.get(reverse("taper-plan", args=[record.series]))
    assert page.context["shown"].today_doses == ["0.1", "0.1", "0.1"]
    assert "no dosing defaults" in page.content.decode()
    client.post(reverse("taper-log", args=[record.series]),
                {"taken_at": "2026-11-20T08:00", "amount": "0.1"})
    assert DoseTaken.objects.get(plan=record).unit == "mg"
    # a patient cannot stop a medicine: that is the clinician's call
    client.post(reverse("taper-stop", args=[record.series]), {"reason": "x"})
    record.refresh_from_db()
    assert record.active


def test_clinician_edits_a_medication_plan(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    record = medication(pat, cleo)
    client.force_login(cleo)
    url = reverse("clinic-taper-edit", args=[pat.pk, record.series])
    form = client.get(url).context["form"]
    assert (form.initial["name"], form.initial["precision"]) == ("Clonidine", 0.1)
    response = client.post(url, {
        "name": "Clonidine", "unit": "mg", "amount_per_day": "0.3", "doses_per_day": "3",
        "schedule": "as-needed", "as_needed": "Only for sweating.", "strategy": "linear",
        "rate_percent": "25", "step_days": "7", "precision": "0.1", "start": TODAY.isoformat(),
        "starting_point": "custom", "change_reason": "Longer steps; as needed only.",
        "confirm_large_cuts": "on",
    })
    assert response.status_code == 302
    new = TaperPlanRecord.objects.get(series=record.series, active=True)
    assert (new.version, new.schedule, new.request["step_days"]) == (2, "as-needed", 7)
    client.force_login(pat.user)
    html = client.get(reverse("taper-plan", args=[record.series])).content.decode()
    assert "Only for sweating." in html and "Longer steps; as needed only." in html


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rate_percent": ""}, "rate_percent"),
        ({"precision": ""}, "precision"),
        ({"schedule": "as-needed", "as_needed": ""}, "as_needed"),
        ({"strategy": "clinical"}, "strategy"),
    ],
)
def test_medication_has_no_defaults(
    client: Client, pat: Any, cleo: Any, overrides: dict[str, str], field: str
) -> None:
    data = {"name": "Clonidine", "unit": "mg", "amount_per_day": "0.3", "doses_per_day": "3",
            "schedule": "fixed", "as_needed": "", "strategy": "linear", "rate_percent": "25",
            "step_days": "4", "precision": "0.1", "start": TODAY.isoformat()}
    data.update(overrides)
    client.force_login(cleo)
    response = client.post(reverse("clinic-medication-new", args=[pat.pk]), data)
    assert response.status_code == 200 and field in field_errors(response)
    assert not TaperPlanRecord.objects.exists()


def test_due_doses_across_plans(pat: Any, cleo: Any) -> None:
    start(pat)
    medication(pat, cleo, schedule="as-needed", as_needed="Only if sweating or restless.")
    due = due_doses(pat, TODAY, now=NOW)
    kratom = [d for d in due if d.kind == "kratom"]
    medicine = [d for d in due if d.kind == "medication"]
    assert [d.amount for d in kratom] == [5.0, 5.0, 5.0]
    assert [(d.number, d.of) for d in kratom] == [(1, 3), (2, 3), (3, 3)]
    assert all(d.as_needed == "Only if sweating or restless." for d in medicine)
    assert sum(d.amount for d in medicine) == pytest.approx(0.3)
    assert due_doses(pat, TODAY + timedelta(days=7), now=NOW)[0].amount == 4.5


# --- access -----------------------------------------------------------------------------------


def clinic_urls(pat: Any, series: Any) -> list[str]:
    names = ["clinic-taper", "clinic-taper-edit", "clinic-taper-stop", "clinic-taper-calendar",
             "clinic-taper-ics", "clinic-taper-json"]
    return [reverse(n, args=[pat.pk, series]) for n in names] + [
        reverse("clinic-tapers", args=[pat.pk]), reverse("clinic-medication-new", args=[pat.pk])]


def test_unrelated_clinician_gets_404(client: Client, pat: Any, otto: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(otto)
    for url in clinic_urls(pat, record.series):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("clinic-taper-edit", args=[pat.pk, record.series]),
                       edit_post()).status_code == 404
    assert TaperPlanRecord.objects.count() == 1


def test_patient_on_clinician_urls_gets_403(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(pat.user)
    for url in clinic_urls(pat, record.series):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("clinic-taper-edit", args=[pat.pk, record.series]),
                       edit_post()).status_code == 403
    assert TaperPlanRecord.objects.count() == 1


def test_other_patients_plan_is_404(client: Client, pat: Any, bob: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(bob.user)
    for name in ("taper-plan", "taper-log", "taper-stop", "taper-calendar", "taper-ics",
                 "taper-json"):
        assert client.get(reverse(name, args=[record.series])).status_code == 404, name
    response = client.post(reverse("taper-log", args=[record.series]),
                           {"taken_at": "2026-11-20T08:00", "amount": "1"})
    assert response.status_code == 404 and not DoseTaken.objects.exists()


def test_clinicians_cannot_use_patient_pages(client: Client, pat: Any, cleo: Any) -> None:
    record = start(pat)
    client.force_login(cleo)
    for url in (reverse("tapers"), reverse("taper-new"),
                reverse("taper-plan", args=[record.series])):
        assert client.get(url).status_code == 403


# --- exports ----------------------------------------------------------------------------------


def test_ics_download_round_trips_the_steps(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(pat.user)
    response = client.get(reverse("taper-ics", args=[record.series]))
    assert response["Content-Type"] == "text/calendar"
    assert "attachment" in response["Content-Disposition"]
    steps = json.loads(client.get(reverse("taper-json", args=[record.series])).content)["steps"]
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(events) == len(steps)
    for event, step in zip(events, steps, strict=True):
        assert event.decoded("dtstart") == date.fromisoformat(step["start"])
        assert event.decoded("dtend") == date.fromisoformat(step["end"]) + timedelta(days=1)
        if step["daily_amount"]:
            assert f"{step['daily_amount']:.1f} g a day" in str(event["summary"])


def test_json_download(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(pat.user)
    response = client.get(reverse("taper-json", args=[record.series]))
    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert data["steps"][0]["daily_amount"] == 15.0 and data["steps"][-1]["daily_amount"] == 0
    assert data["rate_percent"] == 10.0 and SUPPORT_NOTE in data["warnings"]


def test_clinician_exports_are_audited(
    client: Client, pat: Any, cleo: Any, at_now: None
) -> None:
    record = start(pat)
    client.force_login(cleo)
    for name in ("clinic-taper-ics", "clinic-taper-json", "clinic-taper-calendar"):
        assert client.get(reverse(name, args=[pat.pk, record.series])).status_code == 200
    targets = set(AuditEntry.objects.filter(actor=cleo, action="export")
                  .values_list("target", flat=True))
    assert targets == {f"taper-ics:{record.pk}", f"taper-json:{record.pk}",
                       f"taper-calendar:{record.series}"}


def test_printable_calendar_has_every_day(client: Client, pat: Any, at_now: None) -> None:
    record = start(pat)
    client.force_login(pat.user)
    response = client.get(reverse("taper-calendar", args=[record.series]))
    months = response.context["months"]
    cells = [c for m in months for w in m.weeks for c in w if c.day and c.amount]
    shown = response.context["shown"]
    assert cells[0].day == TODAY and cells[-1].day == shown.plan.end_date
    assert len(cells) == shown.plan.total_days + 1
    assert "taper-calendar" in response.content.decode()


# --- query counts -----------------------------------------------------------------------------


def test_plan_page_query_count_is_bounded(
    client: Client, pat: Any, cleo: Any, django_assert_max_num_queries: Any, at_now: None
) -> None:
    record = start(pat, start=(TODAY - timedelta(days=20)).isoformat())
    for day in range(1, 15):
        record_checkin(pat, pat.user, {"sows": sows(1), "craving": [3]},
                       now=NOW - timedelta(days=day))
        actions.log_dose(record, pat.user, taken_at=NOW - timedelta(days=day), amount="4",
                         now=NOW)
    actions.edit_taper(record, cleo, {"rate_percent": "5"}, reason="slower", now=NOW)
    client.force_login(pat.user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("taper-plan", args=[record.series])).status_code == 200
    client.force_login(cleo)
    with django_assert_max_num_queries(11):  # 9, plus the audit chain head's lock and move
        assert client.get(reverse("clinic-taper", args=[pat.pk, record.series])).status_code \
            == 200
