"""Follow-up schedule, patient pages, calendar feed, appointments, help links, manifest."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.timeline import forecast
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.followup import actions
from kratom_recovery.web.followup.models import (
    Appointment,
    CalendarFeed,
    FollowUpPlan,
    ReminderPreference,
)
from kratom_recovery.web.followup.plans import choose_anchor, rows_for
from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.patients.models import InstrumentResponse
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

PHQ9_OK = ["0"] * 9
GAD7_OK = ["0"] * 7


def answer(client: Client, instrument: str, n: int) -> Any:
    return client.post(reverse("questionnaire", args=[instrument]),
                       {f"{instrument}-{i}": "0" for i in _item_ids(instrument)[:n]})


def _item_ids(instrument: str) -> list[str]:
    from kratom_recovery.care.instruments import get_instrument

    return [item.id for item in get_instrument(instrument).items]


def checkin_answers() -> dict[str, list[object]]:
    return {"sows": [0] * 16, "craving": [2]}


def test_anchor_is_forecast_end_of_acute_phase(pat: Any) -> None:
    expected = forecast(pat.profile.to_domain(), NOW).acute_end_expected
    assert choose_anchor(pat, NOW) == (expected, "acute-end-forecast")
    plan = actions.ensure_plan(pat, NOW)
    assert plan is not None and plan.anchor == expected
    # The anchor is kept once made: a later call does not move it.
    assert actions.ensure_plan(pat, NOW + timedelta(days=40)).anchor == expected  # type: ignore[union-attr]


def test_anchor_falls_back_to_last_dose_plus_seven(pat: Any) -> None:
    before_last_dose = NOW - timedelta(days=3)  # forecast refuses a last dose after "now"
    anchor, source = choose_anchor(pat, before_last_dose)  # type: ignore[misc]
    assert source == "last-dose-plus-7"
    assert anchor == pat.last_use_at.astimezone(pat.zone).date() + timedelta(days=7)


def test_no_plan_before_onboarding(make_patient: Any) -> None:
    newcomer = make_patient("newcomer", None, onboard=False)
    assert actions.ensure_plan(newcomer, NOW) is None


@pytest.mark.parametrize(
    ("answered", "today_offset", "states"),
    [
        ({}, 0, ["upcoming"] * 5),
        ({}, 7, ["due", "upcoming", "upcoming", "upcoming", "upcoming"]),
        ({}, 10, ["missed", "upcoming", "upcoming", "upcoming", "upcoming"]),
        ({"sows": 6, "craving": 6}, 10, ["done", "upcoming", "upcoming", "upcoming", "upcoming"]),
        # only part of day 14 answered: still due inside the window, missed after it
        ({"sows": 14, "craving": 14, "phq9": 14}, 15, ["missed", "due", "upcoming",
                                                       "upcoming", "upcoming"]),
        ({"sows": 14, "craving": 14, "phq9": 14}, 18, ["missed", "missed", "upcoming",
                                                       "upcoming", "upcoming"]),
        ({"phq9": 30, "gad7": 33}, 36, ["missed", "missed", "done", "upcoming", "upcoming"]),
        # a response long before the window does not count
        ({"phq9": 1, "gad7": 1}, 37, ["missed", "missed", "missed", "upcoming", "upcoming"]),
    ],
)
def test_status_derived_from_responses(
    pat: Any, answered: dict[str, int], today_offset: int, states: list[str]
) -> None:
    anchor = date(2026, 12, 1)
    plan, _ = FollowUpPlan.objects.update_or_create(
        patient=pat, defaults={"anchor": anchor, "anchor_source": "last-dose"})
    for instrument, offset in answered.items():
        moment = datetime(2026, 12, 1, 17, 0, tzinfo=pat.zone) + timedelta(days=offset)
        InstrumentResponse.objects.create(patient=pat, instrument=instrument, version="1",
                                          answers=[], total=0, max_total=0, recorded_at=moment)
    rows = rows_for(plan, anchor + timedelta(days=today_offset))
    assert [r.state for r in rows] == states


def test_page_shows_schedule_and_links(client: Client, pat: Any) -> None:
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 1)})
    client.force_login(pat.user)
    with time_machine.travel(datetime(2026, 11, 16, 15, 0, tzinfo=pat.zone), tick=False):
        page = client.get(reverse("followup")).content.decode()
    assert "Day 14" in page and "Due now" in page and "Missed" in page
    assert reverse("questionnaire", args=["phq9"]) in page
    assert reverse("questionnaire", args=["gad7"]) in page
    assert reverse("checkin") in page


def test_onboarding_anchors_the_schedule(pat: Any, client: Client) -> None:
    """The plan is made with the onboarding write, so no page has to write it on a read."""
    plan = FollowUpPlan.objects.get(patient=pat)
    assert plan.anchor_source == "acute-end-forecast"
    client.force_login(pat.user)
    client.get(reverse("patient-home"))
    assert FollowUpPlan.objects.get(patient=pat) == plan


def test_home_panel_says_what_is_due(pat: Any) -> None:
    from django.template.loader import render_to_string

    from kratom_recovery.web.followup.panels import home_panel
    from kratom_recovery.web.pages.panels import HOME_PANELS
    from kratom_recovery.web.patients.page import PatientPage

    assert home_panel in HOME_PANELS
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 1)})
    pat.refresh_from_db()  # as a request would load it
    panel = home_panel(PatientPage(pat, pat.user, datetime(2026, 11, 16, 15, 0, tzinfo=pat.zone)))
    assert panel is not None
    html = render_to_string(panel.template, {"panel": panel})
    assert "day-14 follow-up is due" in html
    assert reverse("questionnaire", args=["phq9"]) in html
    # after the last follow-up there is nothing to show
    assert home_panel(PatientPage(pat, pat.user, datetime(2027, 6, 1, tzinfo=pat.zone))) is None


def test_answering_a_questionnaire_completes_follow_up(client: Client, pat: Any) -> None:
    # day 30 = 20 Nov
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 10, 21)})
    pat.refresh_from_db()
    for instrument, answers in (("phq9", [0] * 9), ("gad7", [0] * 7)):
        patient_actions.record_questionnaire(pat, pat.user, instrument, answers, now=NOW)
    rows = rows_for(pat.followup_plan, date(2026, 11, 20))
    assert rows[2].state == "done"


@pytest.mark.parametrize("page", ["followup", "followup-sud", "followup-ics", "reminders"])
def test_patient_pages_refuse_other_roles(
    client: Client, cleo: Any, ada: Any, page: str
) -> None:
    for user in (cleo, ada):
        client.force_login(user)
        assert client.get(reverse(page)).status_code == 403
    client.logout()
    assert client.get(reverse(page)).status_code == 302


def test_sud_questionnaire_saves_and_rejects_bad_input(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    ids = _item_ids("sud")
    response = client.post(reverse("followup-sud"), {f"sud-{ids[0]}": "7"})
    assert response.status_code == 200
    assert "errors" in response.content.decode() or "error" in response.content.decode()
    assert not InstrumentResponse.objects.filter(patient=pat, instrument="sud").exists()
    from kratom_recovery.care.instruments import get_instrument

    data = {f"sud-{item.id}": str(item.options[0].value) if item.options else "0"
            for item in get_instrument("sud").items}
    response = client.post(reverse("followup-sud"), data)
    assert response.status_code == 302
    assert InstrumentResponse.objects.filter(patient=pat, instrument="sud").count() == 1


def test_feed_works_without_session_and_wrong_token_404(client: Client, pat: Any) -> None:
    FollowUpPlan.objects.update_or_create(patient=pat, defaults={"anchor": date(2026, 11, 1)})
    token = actions.new_feed_token(pat, pat.user)
    assert len(token) >= 40
    assert CalendarFeed.objects.get(patient=pat).token_hash != token  # stored hashed
    response = client.get(reverse("calendar-feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.count("BEGIN:VEVENT") == 5 and "Follow-up check-in (day 90)" in body
    for private in ("kratom", "Kratom", "PHQ", "SOWS", "craving", "withdrawal"):
        assert private not in body
    assert client.get(reverse("calendar-feed", args=[token[:-1] + "x"])).status_code == 404
    assert client.get(reverse("calendar-feed", args=["x" * 200])).status_code == 404
    assert client.get("/feeds/short.ics").status_code == 404


def test_regenerate_and_revoke_feed(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post(reverse("calendar-feed-settings"), {"action": "new"})
    first_url = response.context["feed_url"]
    second = client.post(reverse("calendar-feed-settings"), {"action": "new"})
    second_url = second.context["feed_url"]
    client.logout()
    assert client.get(first_url).status_code == 404
    assert client.get(second_url).status_code == 200
    client.force_login(pat.user)
    client.post(reverse("calendar-feed-settings"), {"action": "revoke"})
    client.logout()
    assert client.get(second_url).status_code == 404
    client.force_login(pat.user)
    assert client.post(reverse("calendar-feed-settings"), {"action": "?"}).status_code == 400


def test_ics_download_for_signed_in_patient(client: Client, pat: Any) -> None:
    ReminderPreference.objects.create(patient=pat, checkin_time=time(19, 0), weekdays=[0, 4])
    client.force_login(pat.user)
    response = client.get(reverse("followup-ics"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"BEGIN:VCALENDAR" in response.content
    body = response.content.decode()
    assert "RRULE:FREQ=WEEKLY;BYDAY=MO,FR" in body
    assert "TZID=America/New_York:" in body and "BEGIN:VTIMEZONE" in body


def test_reminder_settings_save_turn_off_and_bad_input(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    good = {"enabled": "on", "checkin_time": "18:30", "weekdays": ["0", "2", "4"],
            "quiet_start": "22:00", "quiet_end": "07:00", "email": "pat@example.invalid",
            "followup_reminders": "on"}
    assert client.post(reverse("reminders"), good).status_code == 302
    preference = pat.reminder_preference
    assert preference.weekdays == [0, 2, 4] and str(preference.checkin_time) == "18:30:00"
    assert client.post(reverse("reminders"), {**good, "enabled": ""}).status_code == 302
    preference.refresh_from_db()
    assert preference.enabled is False
    for bad, field in (({"weekdays": []}, "weekdays"), ({"quiet_end": ""}, "quiet_end"),
                       ({"checkin_time": "25:99"}, "checkin_time"),
                       ({"email": "not-an-address"}, "email")):
        response = client.post(reverse("reminders"), {**good, **bad})
        assert response.status_code == 200
        assert response.context["form"].errors.get(field), field
    preference.refresh_from_db()
    assert preference.enabled is False  # nothing written by the bad posts


def appointment_data(**overrides: Any) -> dict[str, Any]:
    return {"starts_at": "2026-12-03T10:30", "duration_minutes": "45", "kind": "video",
            "note": "Discuss sleep", **overrides}


def test_clinician_adds_appointment_audited(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("new-appointment", args=[pat.pk]), appointment_data())
    assert response.status_code == 302
    appointment = Appointment.objects.get(patient=pat)
    assert appointment.starts_at == datetime(2026, 12, 3, 10, 30, tzinfo=pat.zone)
    assert AuditEntry.objects.filter(actor=cleo, patient=pat,
                                     target=f"appointment:{appointment.pk}").exists()
    # the patient sees it; the calendar shows the kind but never the note
    token = actions.new_feed_token(pat, pat.user)
    client.logout()
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("calendar-feed", args=[token])).content.decode()
    assert "Appointment (Video call)" in body and "sleep" not in body
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        assert "Video call" in client.get(reverse("followup")).content.decode()


@pytest.mark.parametrize(("who", "status"), [("otto", 404), ("pat", 403), ("ada", 403)])
def test_appointment_access(client: Client, pat: Any, otto: Any, ada: Any, who: str,
                            status: int) -> None:
    client.force_login({"otto": otto, "pat": pat.user, "ada": ada}[who])
    assert client.post(reverse("new-appointment", args=[pat.pk]),
                       appointment_data()).status_code == status
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("bad", "field"), [
    ({"starts_at": "2026-11-01T10:00"}, "starts_at"),
    ({"kind": "carrier-pigeon"}, "kind"),
    ({"duration_minutes": "0"}, "duration_minutes"),
])
def test_appointment_bad_input(client: Client, pat: Any, cleo: Any, bad: dict[str, str],
                               field: str) -> None:
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("new-appointment", args=[pat.pk]),
                               appointment_data(**bad))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Appointment.objects.exists()


def test_clinician_restarts_schedule(client: Client, pat: Any, cleo: Any, otto: Any) -> None:
    client.force_login(otto)
    url = reverse("followup-anchor", args=[pat.pk])
    assert client.post(url, {"anchor": "2026-12-01"}).status_code == 404
    client.force_login(cleo)
    assert client.post(url, {"anchor": "not a date"}).status_code == 400
    assert client.post(url, {"anchor": "2026-12-01"}).status_code == 302
    assert FollowUpPlan.objects.get(patient=pat).anchor_source == "set-by-clinician"
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Restart schedule" in chart and "Add appointment" in chart


def test_find_treatment_zip_redirects_or_explains(client: Client) -> None:
    response = client.get(reverse("find-treatment"), {"zip": "20001"})
    assert response.status_code == 302
    assert response["Location"] == "https://findtreatment.gov/locator?sAddr=20001"
    for bad in ("2000", "abcde", "20001&x=1", "200011"):
        response = client.get(reverse("find-treatment"), {"zip": bad})
        assert response.status_code == 200
        assert "5-digit ZIP" in response.content.decode()
    assert 'action="/help/find-treatment/"' in client.get(reverse("help")).content.decode()


def test_manifest(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/me/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"] if icon["src"].endswith(".png")}
    assert {"192x192", "512x512"} <= sizes  # installable: PNG icons, maskable among them
    assert any("maskable" in icon.get("purpose", "") for icon in data["icons"])
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200
    assert 'rel="manifest"' in client.get(reverse("login")).content.decode()
