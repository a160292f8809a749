"""Alerts reach a person: delivery at once, the outbox sweep, no duplicates, retries, the
signed webhook, escalation and the digest. A real SMTP server (aiosmtpd) and a real HTTP
server receive what is sent; jobs run inline (HUEY_IMMEDIATE, tests/conftest.py)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.notify import delivery
from kratom_recovery.web.notify.models import AlertDispatch, Delivery, DigestClaim, Status
from kratom_recovery.web.patients import actions
from kratom_recovery.web.safety.actions import acknowledge_alert
from kratom_recovery.web.safety.models import Alert
from tests.support.notify import Mailbox, smtp_server, webhook_server
from tests.support.personas import NOW

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CALM_SOWS = [1] * 8 + [0] * 8
SECRET = "s" * 40


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.SITE_URL = "https://care.example.org"
        yield box


@pytest.fixture
def staff_emails(cleo: Any, ada: Any) -> None:
    for user, address in ((cleo, "cleo@example.org"), (ada, "ada@example.org")):
        user.email = address
        user.save(update_fields=["email"])


Checkin = Callable[..., Alert]


@pytest.fixture
def emergency(pat: Any, staff_emails: None,
              django_capture_on_commit_callbacks: Any) -> Checkin:
    """An emergency check-in through the real action; the commit's callbacks run (or not)."""

    def checkin(*, when: Any = NOW, commit: bool = True, symptom: str = "chest-pain") -> Alert:
        answers = {"sows": CALM_SOWS, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
        with django_capture_on_commit_callbacks(execute=commit):
            actions.record_checkin(pat, pat.user, answers, now=when, danger_symptoms=[symptom])
        return Alert.objects.get(patient=pat, rule="emergency-symptoms", acknowledged_at=None)

    return checkin


def test_an_emergency_checkin_emails_the_clinician_at_once(
    mailbox: Mailbox, emergency: Checkin, pat: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
    [message] = mailbox.to("cleo@example.org")
    body = message.get_payload()
    assert isinstance(body, str)
    assert f"https://care.example.org/clinic/alerts/{alert.pk}/" in body
    assert "emergency alert is waiting" in body
    # No health data and no name: not the patient, the symptom, or the product.
    text = (str(message["Subject"]) + body).lower()
    for private in ("pat", "chest", "kratom", "pain", "withdrawal"):
        assert private not in text.replace("waiting", "")
    row = Delivery.objects.get(alert=alert, recipient__username="cleo")
    assert (row.status, row.attempts, row.reason) == (Status.SENT, 1, "primary clinician")
    assert message["Message-ID"] == row.message_id


def test_killed_between_commit_and_enqueue_the_sweep_delivers_it(
    mailbox: Mailbox, emergency: Checkin
) -> None:
    """The commit happened, the job was never queued (the callback never ran)."""
    with time_machine.travel(NOW, tick=False):
        alert = emergency(commit=False)
        assert not AlertDispatch.objects.filter(pk=alert.pk).exists()
        assert mailbox.messages == []
        counts = delivery.sweep(NOW + timedelta(seconds=30))
    assert (counts.dispatched, counts.sent) == (1, 1)
    assert len(mailbox.to("cleo@example.org")) == 1


def test_running_every_job_twice_sends_each_message_once(
    mailbox: Mailbox, emergency: Checkin
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
        for _ in range(2):
            delivery.deliver_alert(alert.pk, NOW)
            delivery.sweep(NOW + timedelta(minutes=1))
            delivery.dispatch(alert.pk, NOW)
    assert len(mailbox.to("cleo@example.org")) == 1
    assert Delivery.objects.filter(alert=alert).count() == 1


def test_a_worker_that_died_mid_send_is_relieved_when_its_lease_ends(
    mailbox: Mailbox, emergency: Checkin
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency(commit=False)
        delivery.dispatch(alert.pk, NOW)
        row = Delivery.objects.get(alert=alert)
        assert delivery._claim(row.pk, NOW)  # a worker took it, then died
        assert delivery.sweep(NOW + timedelta(seconds=30)).sent == 0  # still leased
        assert delivery.sweep(NOW + delivery.LEASE + timedelta(seconds=1)).sent == 1
    assert len(mailbox.to("cleo@example.org")) == 1


def test_an_unreachable_smtp_server_never_fails_the_write_and_is_retried(
    settings: Any, emergency: Checkin, pat: Any
) -> None:
    with smtp_server() as (_, port):
        pass  # the port is free again: nothing listens
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = SMTP, "127.0.0.1", port
    with time_machine.travel(NOW, tick=False):
        alert = emergency()  # the check-in is stored all the same
    row = Delivery.objects.get(alert=alert)
    assert (row.status, row.attempts) == (Status.QUEUED, 1)
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    assert row.last_error and "cleo" not in row.last_error
    # Then 2, 4, 8, 16, 32 minutes, then hourly, for a day; then "delivery failed".
    moment, waits = row.next_attempt_at, []
    while row.status == Status.QUEUED:
        delivery.sweep(moment)
        row.refresh_from_db()
        waits.append(row.next_attempt_at - moment)
        moment = row.next_attempt_at
    assert [w.total_seconds() / 60 for w in waits[:6]] == [2, 4, 8, 16, 32, 60]
    assert row.status == Status.FAILED
    assert moment - alert.created_at <= timedelta(hours=24)
    assert row.attempts == 1 + len(waits)


def test_console_or_memory_email_is_no_channel(emergency: Checkin) -> None:
    """pytest-django's in-memory backend counts as no channel: recorded as failed, not sent."""
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
    row = Delivery.objects.get(alert=alert)
    assert (row.status, row.last_error) == (Status.FAILED, "no e-mail channel configured")


def test_the_webhook_is_signed_over_timestamp_event_and_body(
    settings: Any, emergency: Checkin
) -> None:
    with webhook_server() as (hook, url):
        settings.ALERT_WEBHOOK_URL, settings.ALERT_WEBHOOK_SECRET = url, SECRET
        with time_machine.travel(NOW, tick=False):
            alert = emergency()
    [(headers, body)] = hook.calls
    event = headers["X-Kratom-Event-Id"]
    assert event == f"alert-{alert.pk}-immediate"
    stamp, signature = (part.split("=", 1)[1] for part in
                        headers["X-Kratom-Signature"].split(","))
    expected = hmac.new(SECRET.encode(), f"{stamp}.{event}.".encode() + body,
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(signature, expected)
    assert int(stamp) == int(NOW.timestamp())
    payload = hook.payloads()[0]
    assert payload["severity"] == "emergency" and payload["alert_id"] == alert.pk
    assert set(payload) == {"event_id", "event", "alert_id", "severity", "created_at", "url"}
    assert Delivery.objects.get(alert=alert, channel="webhook").status == Status.DELIVERED


def test_a_failing_webhook_is_retried_and_a_refusing_one_is_not(
    settings: Any, emergency: Checkin
) -> None:
    with webhook_server(status=503) as (hook, url):
        settings.ALERT_WEBHOOK_URL, settings.ALERT_WEBHOOK_SECRET = url, SECRET
        with time_machine.travel(NOW, tick=False):
            alert = emergency()
            row = Delivery.objects.get(alert=alert, channel="webhook")
            assert (row.status, row.last_error) == (Status.QUEUED, "HTTP 503")
            hook.status = 200
            delivery.sweep(NOW + timedelta(minutes=1))
    row.refresh_from_db()
    assert row.status == Status.DELIVERED and len(hook.calls) == 2
    assert {h["X-Kratom-Event-Id"] for h, _ in hook.calls} == {row.message_id}


def test_an_unacknowledged_emergency_escalates_once(
    mailbox: Mailbox, emergency: Checkin
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
        assert delivery.escalate(NOW + timedelta(minutes=14)) == 0  # default delay: 15 min
        assert delivery.escalate(NOW + timedelta(minutes=16)) == 1
        assert delivery.escalate(NOW + timedelta(minutes=17)) == 0
    [message] = mailbox.to("ada@example.org")
    assert "not been acknowledged" in str(message.get_payload())
    assert len(mailbox.to("cleo@example.org")) == 1  # told once, not again
    assert AlertDispatch.objects.get(pk=alert.pk).escalated_at is not None


def test_an_acknowledged_emergency_does_not_escalate(
    mailbox: Mailbox, emergency: Checkin, cleo: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
        acknowledge_alert(alert, cleo, "Called, safe.", now=NOW + timedelta(minutes=3))
        assert delivery.escalate(NOW + timedelta(minutes=30)) == 0
    assert mailbox.to("ada@example.org") == []


def test_warnings_wait_for_the_daily_digest_once_a_day(
    mailbox: Mailbox, pat: Any, staff_emails: None, django_capture_on_commit_callbacks: Any
) -> None:
    answers = {"sows": [2] * 8 + [0] * 8, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        actions.record_checkin(pat, pat.user, answers, now=NOW)  # SOWS 16: a warning
    warning = Alert.objects.get(patient=pat, rule="sows-moderate")
    assert warning.severity == "warning" and mailbox.messages == []
    assert not Delivery.objects.exists()
    morning = NOW.replace(hour=7, minute=30) + timedelta(days=1)  # program zone: UTC
    assert delivery.send_digests(morning) == 0  # before 08:00
    later = morning + timedelta(hours=1)
    assert delivery.send_digests(later) == 1
    assert delivery.send_digests(later + timedelta(hours=2)) == 0  # once that day
    [message] = mailbox.to("cleo@example.org")
    body = str(message.get_payload())
    assert "last day that did not need an immediate call" in body
    assert ": 1." in body and "/clinic/" in body
    assert "Pat " not in body and "sows" not in body.lower()
    assert DigestClaim.objects.count() == 1


def test_the_alert_page_shows_who_was_told(
    client: Client, mailbox: Mailbox, emergency: Checkin, cleo: Any, otto: Any
) -> None:
    with time_machine.travel(NOW, tick=False):
        alert = emergency()
    client.force_login(cleo)
    response = client.get(reverse("alert", args=[alert.pk]))
    assert response.status_code == 200, response
    page = response.content.decode()
    assert page, (type(response), response.headers)
    assert 'data-testid="alert-deliveries"' in page
    assert 'data-status="sent"' in page and "primary clinician" in page
    client.force_login(otto)
    assert client.get(reverse("alert", args=[alert.pk])).status_code == 404


def test_the_job_sends_at_once_on_the_wall_clock(mailbox: Mailbox, pat: Any,
                                                 staff_emails: None,
                                                 django_capture_on_commit_callbacks: Any) -> None:
    """Regression: rows were due at their own creation time, a moment after the job's clock,
    so a job (or a sweep) made them and then skipped them until the next minute."""
    answers = {"sows": CALM_SOWS, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_checkin(pat, pat.user, answers, danger_symptoms=["seizure"])
    assert len(mailbox.to("cleo@example.org")) == 1
