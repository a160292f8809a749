"""The caseload's live part: clinician times in the viewer's zone, the open-alerts poll
(/clinic/alerts.json), the pinned emergency banner and the count in the page title."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.common.clock import relative, wall_clock
from kratom_recovery.web.common.polling import POLL_HEADER, is_background_poll
from kratom_recovery.web.patients import actions
from kratom_recovery.web.program.models import ProgramSettingsRow
from kratom_recovery.web.safety.models import Alert
from tests.support.personas import NOW

FEED = "/clinic/alerts.json"
FEED_FIELDS = {"id", "patient_id", "patient", "severity", "title", "created_at", "when", "ago",
               "url"}


def raise_alert(patient: Any, symptom: str, when: datetime = NOW) -> Alert:
    """An alert through the real check-in action (the safety rules run inside it)."""
    actions.record_checkin(patient, patient.user, {"craving": [2]}, danger_symptoms=[symptom],
                           self_harm_thoughts=False, now=when)
    return Alert.objects.filter(patient=patient, acknowledged_at=None).order_by(
        "-severity_rank", "-created_at").first()  # type: ignore[return-value]


# --- the clock: wall time with the zone's abbreviation, and how long ago -------------------

@pytest.mark.parametrize(("seconds", "text"), [
    (0, "just now"), (59, "just now"), (60, "1 min ago"), (12 * 60 + 59, "12 min ago"),
    (3600, "1 h ago"), (23 * 3600 + 3599, "23 h ago"), (86400, "1 day ago"),
    (3 * 86400, "3 days ago"), (400 * 86400, "1 year ago"),
    (-5 * 60, "in 5 min"), (-2 * 3600, "in 2 h"), (-2 * 86400, "in 2 days"),
])
def test_relative_time_table(seconds: int, text: str) -> None:
    assert relative(NOW - timedelta(seconds=seconds), NOW) == text


@pytest.mark.parametrize(("zone", "when", "text"), [
    # NOW is 2026-11-20 15:00 UTC: 10:00 in New York (EST, no DST in November).
    ("America/New_York", NOW - timedelta(minutes=12), "09:48 EST"),
    ("America/New_York", NOW - timedelta(hours=16), "Thu 19 Nov, 18:00 EST"),
    ("Europe/Berlin", NOW, "16:00 CET"),
    ("UTC", NOW, "15:00 UTC"),
    ("America/New_York", NOW - timedelta(days=400), "16 Oct 2025, 11:00 EDT"),
])
def test_wall_clock_in_the_active_zone(zone: str, when: datetime, text: str) -> None:
    with timezone.override(zone):
        assert wall_clock(when, NOW) == text


def test_filter_renders_a_time_element_with_the_exact_instant() -> None:
    template = Template("{% load clinic_time %}{{ when|clinic_time }}|{{ nothing|clinic_time }}")
    instant = datetime(2026, 1, 15, 2, 4, tzinfo=UTC)
    with time_machine.travel(instant + timedelta(minutes=12), tick=False), \
            timezone.override("America/New_York"):
        html = template.render(Context({"when": instant, "nothing": None}))
    assert html == ('<time class="clinic-time" datetime="2026-01-15T02:04:00+00:00" '
                    'title="2026-01-15 02:04 UTC">21:04 EST · <span class="ago">12 min ago'
                    "</span></time>|–")


# --- the viewer's zone on clinician pages ---------------------------------------------------

@pytest.mark.parametrize(("own", "program", "shown"), [
    ("America/New_York", "Europe/Berlin", "09:48 EST · <span class=\"ago\">12 min ago</span>"),
    ("", "America/Chicago", "08:48 CST · <span class=\"ago\">12 min ago</span>"),
    ("", None, "14:48 UTC · <span class=\"ago\">12 min ago</span>"),
])
def test_caseload_times_are_in_the_clinicians_zone(
    client: Client, cleo: Any, pat: Any, own: str, program: str | None, shown: str
) -> None:
    raise_alert(pat, "chest-pain", NOW - timedelta(minutes=12))
    cleo.timezone = own
    cleo.save(update_fields=["timezone"])
    if program:
        ProgramSettingsRow.objects.create(timezone=program)
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        html = client.get(reverse("caseload")).content.decode()
    assert html.count(shown) >= 2  # the pinned banner and the open-alert list
    assert "Loaded at" in html


def test_a_broken_zone_name_falls_back_to_utc(client: Client, cleo: Any, pat: Any) -> None:
    raise_alert(pat, "chest-pain", NOW)
    cleo.timezone = "Mars/Olympus_Mons"
    cleo.save(update_fields=["timezone"])
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("caseload"))
    assert response.status_code == 200
    assert "15:00 UTC" in response.content.decode()


# --- the poll ------------------------------------------------------------------------------

def test_feed_lists_only_the_clinicians_open_alerts(
    client: Client, cleo: Any, otto: Any, pat: Any, make_patient: Any
) -> None:
    mine = raise_alert(pat, "chest-pain")
    theirs = raise_alert(make_patient("olga", otto), "chest-pain")
    client.force_login(cleo)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    ids = [a["id"] for a in body["alerts"]]
    assert mine.pk in ids and theirs.pk not in ids
    first = body["alerts"][0]
    assert set(first) == FEED_FIELDS
    assert first == {
        "id": mine.pk, "patient_id": pat.pk, "patient": "Pat", "severity": "emergency",
        "title": "Emergency symptom reported", "created_at": mine.created_at.isoformat(),
        "when": "15:00 UTC", "ago": "5 min ago", "url": f"/clinic/alerts/{mine.pk}/",
    }
    assert body["count"] == sum(a["severity"] in ("urgent", "emergency")
                                for a in body["alerts"]) >= 1
    # Nothing but the rule's title: what matched (the symptom) stays on the alert page.
    assert "chest" not in json.dumps(body).lower()
    client.force_login(otto)
    assert [a["id"] for a in client.get(FEED).json()["alerts"]] == [theirs.pk]


def test_feed_drops_an_acknowledged_alert(client: Client, cleo: Any, pat: Any) -> None:
    from kratom_recovery.web.safety.actions import acknowledge_alert

    alert = raise_alert(pat, "chest-pain")
    client.force_login(cleo)
    before = client.get(FEED).json()
    acknowledge_alert(alert, cleo, "Called, seen in clinic")
    after = client.get(FEED).json()
    assert alert.pk in [a["id"] for a in before["alerts"]]
    assert alert.pk not in [a["id"] for a in after["alerts"]]


@pytest.mark.parametrize("who", ["pat", "ada"])
def test_feed_refuses_anyone_but_a_clinician(client: Client, pat: Any, ada: Any,
                                             who: str) -> None:
    raise_alert(pat, "chest-pain")
    client.force_login(pat.user if who == "pat" else ada)
    response = client.get(FEED)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only clinicians have a caseload."}


def test_feed_answers_an_anonymous_poll_with_json_401(client: Client) -> None:
    response = client.get(FEED)
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in again."}
    assert response["Cache-Control"] == "no-store"
    assert "WWW-Authenticate" in response


def test_feed_refuses_writes(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    assert client.post(FEED).status_code == 405


def test_feed_writes_no_audit_rows_and_leaves_the_session_alone(
    client: Client, cleo: Any, pat: Any, django_assert_max_num_queries: Any
) -> None:
    raise_alert(pat, "chest-pain")
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    client.force_login(cleo)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=NOW + timedelta(hours=1))
    audits = AuditEntry.objects.count()
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False), \
            django_assert_max_num_queries(4):
        response = client.get(FEED, headers={POLL_HEADER: "1"})
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # no Set-Cookie
    assert Session.objects.get(session_key=key).expire_date == NOW + timedelta(hours=1)
    assert AuditEntry.objects.count() == audits
    assert response.wsgi_request.background_poll is True  # type: ignore[attr-defined]
    assert is_background_poll(response.wsgi_request)
    # Opening the caseload page is a read of each listed record: that one is audited.
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        client.get(reverse("caseload"))
    assert AuditEntry.objects.count() > audits


def test_poll_header_alone_marks_a_request(rf: Any) -> None:
    assert is_background_poll(rf.get("/", headers={POLL_HEADER: "1"}))
    assert not is_background_poll(rf.get("/"))


# --- the pinned banner and the title ---------------------------------------------------------

def test_emergency_is_pinned_and_the_title_counts_urgent_alerts(
    client: Client, cleo: Any, pat: Any, bob: Any
) -> None:
    raise_alert(pat, "chest-pain")
    raise_alert(bob, "severe-abdominal-pain")
    open_counted = Alert.objects.filter(acknowledged_at=None,
                                        severity__in=("urgent", "emergency")).count()
    emergencies = Alert.objects.filter(acknowledged_at=None, severity="emergency")
    client.force_login(cleo)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        # Filtered down to Bob: Pat's emergency is still pinned, and still counted.
        html = client.get(reverse("caseload"), {"q": "bob"}).content.decode()
    assert f"<title>({open_counted}) Caseload — Kratom recovery</title>" in html
    banner = html.split('id="emergency-banner"', 1)[1].split("</section>", 1)[0]
    assert " hidden" not in banner.split(">", 1)[0]
    assert "<strong>Pat</strong> — Emergency symptom reported" in banner
    for alert in emergencies:
        assert f'data-alert-id="{alert.pk}"' in banner
    assert "Bob" not in banner  # urgent, not an emergency: counted, not pinned


def test_without_alerts_no_banner_and_no_count(client: Client, cleo: Any, pat: Any) -> None:
    client.force_login(cleo)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("caseload"))
    html = response.content.decode()
    assert "<title>Caseload — Kratom recovery</title>" in html
    assert 'data-testid="emergency-banner" hidden' in html
    assert response.context["alert_count"] == 0


def test_live_part_loads_its_script_with_the_nonce_and_works_without_it(
    client: Client, cleo: Any
) -> None:
    client.force_login(cleo)
    response = client.get(reverse("caseload"), {"tier": "attention"})
    html = response.content.decode()
    nonce = response.wsgi_request.csp_nonce  # type: ignore[attr-defined]
    assert f'src="/static/js/caseload.js" nonce="{nonce}" defer></script>' in html
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert 'data-poll-url="/clinic/alerts.json" data-poll-seconds="30"' in html
    # No JavaScript: a refresh link back to the same filtered view, and when it was loaded.
    assert 'href="/clinic/?tier=attention">Refresh</a>' in html
    assert "Loaded at" in html
    assert 'data-testid="not-updating" hidden' in html
