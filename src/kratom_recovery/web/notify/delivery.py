"""Delivering alerts: choose recipients once, claim each (alert, recipient, channel), send,
retry, escalate, and the daily digest.

Every function here is safe to run twice or in two workers at once:
- `dispatch` claims the alert by creating its `AlertDispatch` (primary key = the alert);
- `attempt` leases a queued row with one conditional UPDATE before sending, so two workers
  never send the same row; a worker that dies mid-send frees it when the lease ends and the
  row is sent again (at least once, with the same Message-ID);
- `escalate` claims `AlertDispatch.escalated_at` the same way; the digest claims one
  `DigestClaim` per clinician and day.
Nothing here raises into the patient's write: failures become a row's status and a retry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Final

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from kratom_recovery.care.safety import NOTIFYING, RULE_BY_ID
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.notify import channels, texts
from kratom_recovery.web.notify.models import (
    AlertDispatch,
    Channel,
    Delivery,
    DigestClaim,
    Status,
    Step,
)
from kratom_recovery.web.patients.access import visible_patients
from kratom_recovery.web.program.recipients import (
    Recipient,
    current_settings,
    escalation_recipients,
    immediate_recipients,
)
from kratom_recovery.web.safety.models import Alert

log = logging.getLogger(__name__)

# Retries after 1, 2, 4, 8, 16 and 32 minutes, then hourly; after a day, "delivery failed".
RETRY_DELAYS: Final = tuple(timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32))
HOURLY: Final = timedelta(hours=1)
GIVE_UP_AFTER: Final = timedelta(hours=24)
# Longer than one SMTP conversation or webhook call (channels.TIMEOUT) with room to spare.
LEASE: Final = timedelta(minutes=1)
# The sweep hands over alerts raised in the last day; older ones predate the notifier.
OUTBOX_WINDOW: Final = timedelta(hours=24)
CRISIS: Final = ("urgent", "emergency")
# The digest goes out at the first run after this program-local time each day.
DIGEST_AT: Final = time(8, 0)


def notifies(rule: str, severity: str) -> bool:
    """Whether an alert of this rule tells a person at once (care.safety's `.notifies`);
    rules raised outside the table (a missed follow-up) go by severity."""
    known = RULE_BY_ID.get(rule)
    notify = known.notifies if known is not None else severity in NOTIFYING
    return notify and severity in CRISIS


# Crisis-severity rules marked not to notify: excluded from the outbox and health queries.
SILENT_RULES: Final = frozenset(r.id for r in RULE_BY_ID.values()
                                if r.severity in CRISIS and not r.notifies)


def outbox(now: datetime) -> QuerySet[Alert]:
    """Alerts that should notify at once, raised in the last day: the notifier's to-do list."""
    return (Alert.objects.filter(severity__in=CRISIS, created_at__gt=now - OUTBOX_WINDOW,
                                 created_at__lte=now)
            .exclude(rule__in=SILENT_RULES))


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try (1 = the first)."""
    return RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else HOURLY


def _rows(alert: Alert, recipients: list[Recipient], step: str, now: datetime) -> None:
    """One row per recipient (e-mail) and one for the webhook, due at `now` (the caller's
    clock, so the same run sends them)."""
    due = {"created_at": now, "next_attempt_at": now}
    for recipient in recipients:
        Delivery.objects.get_or_create(
            alert=alert, recipient=recipient.user, channel=Channel.EMAIL,
            defaults={"reason": recipient.reason, "step": step, **due},
        )
    if channels.webhook_configured():
        Delivery.objects.get_or_create(alert=alert, recipient=None, channel=Channel.WEBHOOK,
                                       step=step, defaults=due)


def dispatch(alert_id: int, now: datetime) -> bool:
    """Choose the alert's recipients and make their rows, once; False if done before, the
    alert is gone, or it does not notify."""
    alert = Alert.objects.select_related("patient").filter(pk=alert_id).first()
    if alert is None or not notifies(alert.rule, alert.severity):
        return False
    recipients = immediate_recipients(alert.patient, now)
    try:
        with transaction.atomic():
            AlertDispatch.objects.create(alert=alert, dispatched_at=now,
                                         recipients=len(recipients))
            _rows(alert, recipients, Step.IMMEDIATE, now)
    except IntegrityError:  # another worker dispatched it first
        return False
    return True


def deliver_alert(alert_id: int, now: datetime) -> int:
    """The job queued when an alert commits: dispatch it, then send what is due. The number
    of rows handed to a channel."""
    dispatch(alert_id, now)
    due = Delivery.objects.filter(alert_id=alert_id, status=Status.QUEUED,
                                  next_attempt_at__lte=now)
    return sum(attempt(pk, now) for pk in due.values_list("pk", flat=True))


def _claim(delivery_id: int, now: datetime) -> bool:
    free = Q(lease_until=None) | Q(lease_until__lte=now)
    return bool(Delivery.objects.filter(free, pk=delivery_id, status=Status.QUEUED,
                                        next_attempt_at__lte=now)
                .update(lease_until=now + LEASE, attempts=F("attempts") + 1))


def _send(delivery: Delivery, now: datetime) -> str:
    """Send one row; its new status (raises ChannelError when the channel refused it)."""
    alert = delivery.alert
    escalation = delivery.step == Step.ESCALATION
    if delivery.channel == Channel.WEBHOOK:
        event_id = f"alert-{alert.pk}-{delivery.step}"
        channels.send_webhook(event_id, {
            "event_id": event_id,
            "event": "alert.escalated" if escalation else "alert.raised",
            "alert_id": alert.pk,
            "severity": alert.severity,
            "created_at": alert.created_at.isoformat(),
            "url": texts.alert_link(alert.pk),
        }, now=now.timestamp())
        delivery.message_id = event_id
        return Status.DELIVERED
    recipient = delivery.recipient
    assert recipient is not None  # e-mail rows always have one (constraint on creation)
    subject, body = texts.alert_notice(alert, escalation)
    delivery.message_id = channels.message_id("alert", alert.pk, recipient.pk)
    channels.send_email(recipient.email, subject, body, delivery.message_id)
    return Status.SENT


def attempt(delivery_id: int, now: datetime) -> int:
    """Try one row if it is due and nobody else holds it; 1 if it was handed over."""
    if not _claim(delivery_id, now):
        return 0
    delivery = Delivery.objects.select_related("alert", "recipient").get(pk=delivery_id)
    try:
        try:
            delivery.status = _send(delivery, now)
        except channels.ChannelError:
            raise
        except Exception as unexpected:  # a bug or an outage here: retry, never lose it
            raise channels.ChannelError(type(unexpected).__name__) from unexpected
    except channels.ChannelError as error:
        delivery.last_error = str(error)[:200]
        wait = retry_delay(delivery.attempts)
        if error.permanent or now + wait - delivery.created_at > GIVE_UP_AFTER:
            delivery.status = Status.FAILED
        else:
            delivery.next_attempt_at = now + wait
        log.warning("alert delivery %s failed (%s), attempt %s", delivery.pk,
                    delivery.last_error, delivery.attempts)
    else:
        delivery.sent_at = now
        delivery.last_error = ""
    delivery.lease_until = None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at", "lease_until",
                                 "sent_at", "message_id"])
    return int(delivery.status in (Status.SENT, Status.DELIVERED))


@dataclass
class SweepCounts:
    dispatched: int = 0
    sent: int = 0
    escalated: int = 0
    digests: int = 0


def sweep(now: datetime) -> SweepCounts:
    """Hand over alerts nobody queued (a process died between commit and enqueue, the queue
    was down) and send every row that is due (retries, expired leases)."""
    counts = SweepCounts()
    for alert_id in outbox(now).filter(dispatch=None, acknowledged_at=None) \
            .values_list("pk", flat=True):
        counts.dispatched += dispatch(alert_id, now)
    due = Delivery.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    for delivery_id in due.values_list("pk", flat=True):
        counts.sent += attempt(delivery_id, now)
    return counts


def escalate(now: datetime) -> int:
    """Emergencies unacknowledged past the program's escalation delay go to the escalation
    recipients, once per alert. The number of alerts escalated."""
    delay = current_settings().escalation_delay
    waiting = (outbox(now).filter(severity="emergency", acknowledged_at=None,
                                  created_at__lte=now - delay, dispatch__escalated_at=None)
               .exclude(dispatch=None).select_related("patient"))
    done = 0
    for alert in waiting:
        recipients = escalation_recipients(alert.patient, now)
        with transaction.atomic():
            if not AlertDispatch.objects.filter(pk=alert.pk, escalated_at=None) \
                    .update(escalated_at=now):
                continue  # another worker escalated it
            _rows(alert, recipients, Step.ESCALATION, now)
        done += 1
        for delivery_id in Delivery.objects.filter(alert=alert, step=Step.ESCALATION,
                                                   status=Status.QUEUED) \
                .values_list("pk", flat=True):
            attempt(delivery_id, now)
    return done


def digest_counts(clinician: User, now: datetime) -> tuple[int, int]:
    """(new in the last day, open in total) of the alerts that did not notify at once."""
    quiet = (Alert.objects.filter(patient__in=visible_patients(clinician).values("pk"),
                                  acknowledged_at=None)
             .filter(Q(severity__in=("info", "warning")) | Q(rule__in=SILENT_RULES)))
    return (quiet.filter(created_at__gt=now - timedelta(days=1),
                         created_at__lte=now).count(), quiet.count())


def send_digests(now: datetime) -> int:
    """Once per program-local day, after DIGEST_AT, one e-mail per clinician with new quiet
    alerts. The number sent."""
    if not channels.email_configured():
        return 0
    local = current_settings().local(now)
    if local.time() < DIGEST_AT:
        return 0
    sent = 0
    clinicians = User.objects.filter(role=Role.CLINICIAN, is_active=True).exclude(email="")
    for clinician in clinicians.order_by("pk"):
        new, open_total = digest_counts(clinician, now)
        if not new:
            continue
        try:
            with transaction.atomic():
                claim = DigestClaim.objects.create(user=clinician, day=local.date(),
                                                   sent_at=now)
        except IntegrityError:
            continue  # sent today already (or another worker is sending it)
        subject, body = texts.digest_notice(new, open_total)
        try:
            channels.send_email(clinician.email, subject, body,
                                channels.message_id("digest", clinician.pk,
                                                    int(local.date().strftime("%Y%m%d"))))
        except channels.ChannelError as error:
            claim.delete()  # try again at the next run
            log.warning("digest for user %s failed (%s)", clinician.pk, error)
            continue
        sent += 1
    return sent
