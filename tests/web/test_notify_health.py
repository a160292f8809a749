"""Nothing silently stuck: /healthz, /readyz, the staff banner and the patient's honest words
in each state (worker heartbeat fresh or stale, an urgent alert undelivered after five
minutes, a delivery given up, after hours with nobody on call)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.notify import delivery
from kratom_recovery.web.notify.health import beat, delivery_health
from kratom_recovery.web.notify.models import Delivery, Status
from kratom_recovery.web.notify.state import patient_delivery
from kratom_recovery.web.patients import actions
from kratom_recovery.web.program.actions import add_shift
from kratom_recovery.web.safety.actions import acknowledge_alert
from kratom_recovery.web.safety.models import Alert
from tests.support.notify import Mailbox, smtp_server
from tests.support.personas import NOW

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CALM_SOWS = [1] * 8 + [0] * 8
BANNER = 'data-testid="delivery-banner"'


@pytest.fixture
def worker_mode(settings: Any, db: None) -> None:
    """As in production: jobs go to a worker, so its heartbeat counts."""
    settings.HUEY_IMMEDIATE = False


@pytest.fixture
def mailbox(settings: Any, cleo: Any, ada: Any) -> Iterator[Mailbox]:
    for user, address in ((cleo, "cleo@example.org"), (ada, "ada@example.org")):
        user.email = address
        user.save(update_fields=["email"])
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield box


Raise = Callable[..., Alert]


@pytest.fixture
def emergency(pat: Any, django_capture_on_commit_callbacks: Any) -> Raise:
    def checkin(*, when: Any = NOW, commit: bool = True) -> Alert:
        answers = {"sows": CALM_SOWS, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
        with django_capture_on_commit_callbacks(execute=commit):
            actions.record_checkin(pat, pat.user, answers, now=when,
                                   danger_symptoms=["chest-pain"])
        return Alert.objects.get(patient=pat, rule="emergency-symptoms", acknowledged_at=None)

    return checkin


def test_healthz_answers_while_the_process_is_up(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_readyz_with_a_fresh_heartbeat(client: Client, worker_mode: None) -> None:
    beat(NOW - timedelta(seconds=90))
    with time_machine.travel(NOW, tick=False):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "queue": True,
                                         "worker_heartbeat": True, "alerts_delivered": True}


@pytest.mark.parametrize("last_beat", [None, timedelta(minutes=2, seconds=1)])
def test_readyz_fails_without_a_fresh_heartbeat(
    client: Client, worker_mode: None, last_beat: timedelta | None
) -> None:
    if last_beat is not None:
        beat(NOW - last_beat)
    with time_machine.travel(NOW, tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker_heartbeat"] is False


def test_readyz_fails_when_an_urgent_alert_waits_five_minutes(
    client: Client, worker_mode: None, emergency: Raise
) -> None:
    alert = emergency(commit=False)  # never queued, and no worker swept it
    beat(NOW + timedelta(minutes=5))
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert client.get("/readyz").status_code == 200  # five minutes: not yet late
    beat(NOW + timedelta(minutes=6))
    with time_machine.travel(NOW + timedelta(minutes=6), tick=False):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["alerts_delivered"] is False
    assert str(alert.pk) not in response.content.decode()  # nothing about anyone


@pytest.mark.parametrize("page", ["caseload", "program"])
def test_staff_pages_show_the_banner_only_when_delivery_is_in_trouble(
    client: Client, worker_mode: None, cleo: Any, ada: Any, page: str
) -> None:
    client.force_login(cleo if page == "caseload" else ada)
    beat(NOW - timedelta(minutes=1))
    with time_machine.travel(NOW, tick=False):
        assert BANNER not in client.get(reverse(page)).content.decode()
    with time_machine.travel(NOW + timedelta(minutes=3), tick=False):
        html = client.get(reverse(page)).content.decode()
    assert BANNER in html and 'data-problem="worker"' in html


def test_a_late_alert_and_a_failed_delivery_show_on_the_banner(
    client: Client, worker_mode: None, emergency: Raise, ada: Any, pat: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()  # in-memory e-mail: no channel, so the delivery fails at once
    row = Delivery.objects.get(alert=alert)
    assert row.status == Status.FAILED, row.last_error
    later = NOW + timedelta(minutes=10)
    beat(later)
    client.force_login(ada)
    with time_machine.travel(later, tick=False):
        html = client.get(reverse("program")).content.decode()
    assert 'data-problem="undelivered"' in html and 'data-problem="failed"' in html
    assert "worker" not in html.split(BANNER)[1].split("</div>")[0].split("data-problem")[0]
    assert pat.display_name not in html.split(BANNER)[1].split("</div>")[0]


def test_the_patient_card_says_sending_then_sent_with_the_local_time(
    client: Client, mailbox: Mailbox, emergency: Raise, pat: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency(commit=False)
        before = patient_delivery(pat, NOW)
        assert before is not None and before.state == "sending" and before.poll
        assert "notified" not in before.text
        delivery.sweep(NOW)
        client.force_login(pat.user)
        state = client.get(reverse("my-alert-delivery")).json()
        home = client.get(reverse("patient-home")).content.decode()
    assert state["state"] == "sent" and not state["poll"]
    # 15:00 UTC is 10:00 in New York (the patient's zone); the program is open (9-17 UTC).
    assert state["text"] == "Your clinician has been notified. Sent to your clinician at 10:00."
    assert 'data-testid="alert-delivery"' in home and "Sent to your clinician at 10:00." in home
    assert 'src="/static/js/alert-delivery.js"' in home and "<script>" not in home
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None


def test_the_patient_card_says_not_yet_delivered_when_it_was_not(
    emergency: Raise, pat: Any
) -> None:
    """No channel (in-memory e-mail): never "notified"; the help numbers instead."""
    with time_machine.travel(NOW, tick=False):
        emergency()
    state = patient_delivery(pat, NOW)
    assert state is not None and state.state == "not-delivered"
    assert state.text == ("Not yet delivered to your care team. Right now, call or text 988, "
                          "or call 911.")


def test_after_hours_with_nobody_on_call_the_patient_is_told_when(
    mailbox: Mailbox, emergency: Raise, pat: Any
) -> None:
    friday_night = NOW.replace(hour=23)  # the program (UTC, Mon-Fri 9-17) is closed
    with time_machine.travel(friday_night, tick=False):
        emergency(when=friday_night)
    state = patient_delivery(pat, friday_night)
    assert state is not None and state.state == "sent"
    assert "notified" not in state.text  # an inbox nobody reads tonight
    assert state.after_hours == ("Your team will see this on Monday 23 November. Right now, "
                                 "call or text 988, or call 911.")


def test_after_hours_with_someone_on_call_names_them(
    mailbox: Mailbox, emergency: Raise, pat: Any, ada: Any, cleo: Any, otto: Any
) -> None:
    otto.email = "otto@example.org"
    otto.save(update_fields=["email"])
    night = NOW.replace(hour=23)
    add_shift(ada, night - timedelta(hours=2), night + timedelta(hours=8), otto, None)
    with time_machine.travel(night, tick=False):
        emergency(when=night)
    state = patient_delivery(pat, night)
    assert state is not None and state.after_hours == ""
    assert state.text == "Your clinician has been notified. Sent to the on-call clinician at 18:00."
    assert len(mailbox.to("otto@example.org")) == 1


def test_an_acknowledged_alert_says_when_it_was_seen(
    mailbox: Mailbox, emergency: Raise, pat: Any, cleo: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
    acknowledge_alert(alert, cleo, "Called.", now=NOW + timedelta(minutes=4))
    state = patient_delivery(pat, NOW + timedelta(minutes=5))
    assert state is not None and state.text == "Your care team saw this at 10:04."


def test_the_delivery_state_is_the_patients_own_only(
    client: Client, cleo: Any, pat: Any
) -> None:
    client.force_login(cleo)
    assert client.get(reverse("my-alert-delivery")).status_code in (302, 403)
    client.force_login(pat.user)
    assert client.get(reverse("my-alert-delivery")).json() == {"state": None}


def test_immediate_mode_needs_no_worker(settings: Any, db: None) -> None:
    settings.HUEY_IMMEDIATE = True
    health = delivery_health(NOW)
    assert health.ok and not health.worker_expected
