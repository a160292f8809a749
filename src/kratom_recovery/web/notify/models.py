"""The delivery record of each alert: one claim row per (alert, recipient, channel).

The alert row itself is the outbox (an alert with no `AlertDispatch` has not been handed to
anyone yet); the unique rows below make delivery at least once without duplicates, even
with two workers or a job that runs twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Step(models.TextChoices):
    IMMEDIATE = "immediate", "at once"
    ESCALATION = "escalation", "escalation"


class Channel(models.TextChoices):
    EMAIL = "email", "e-mail"
    WEBHOOK = "webhook", "webhook"


class Status(models.TextChoices):
    QUEUED = "queued", "queued"
    SENT = "sent", "sent"  # handed to the SMTP server
    DELIVERED = "delivered", "delivered"  # the receiver said so (webhook 2xx)
    FAILED = "failed", "delivery failed"  # no channel, or retries used up (24 h)


HANDED_OVER = (Status.SENT, Status.DELIVERED)


class AlertDispatch(models.Model):
    """An alert was handed to the notifier: recipients chosen and their rows made.

    Created once per alert (the primary key is the claim); `escalated_at` is claimed the same
    way by the escalation job.
    """

    alert = models.OneToOneField("safety.Alert", primary_key=True, on_delete=models.CASCADE,
                                 related_name="dispatch")
    dispatched_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)


class Delivery(models.Model):
    """One message about one alert to one recipient on one channel (the webhook has none)."""

    alert = models.ForeignKey("safety.Alert", on_delete=models.CASCADE,
                              related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40, blank=True)  # program.recipients reason
    step = models.CharField(max_length=16, choices=Step.choices, default=Step.IMMEDIATE)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While a worker is sending, the row is leased to it; a worker that dies mid-send frees it
    # when the lease runs out, and the sweep sends again (at least once).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # error class and code, no PHI
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "recipient", "channel"],
                                    condition=models.Q(recipient__isnull=False),
                                    name="delivery_once_per_recipient"),
            models.UniqueConstraint(fields=["alert", "channel", "step"],
                                    condition=models.Q(recipient__isnull=True),
                                    name="delivery_once_per_hook_step"),
        ]
        # Serves the sweep: queued rows whose next attempt is due.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]


class Heartbeat(models.Model):
    """The worker's last sign of life (one row per name): /readyz and the banners read it."""

    name = models.CharField(max_length=32, primary_key=True)
    beat_at = models.DateTimeField()


class DigestClaim(models.Model):
    """The daily digest to one clinician for one program-local day: claimed before sending."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]


class JobClaim(models.Model):
    """One run of a periodic job for one time slot ("safety-sweep", "2026-11-20T15"): two
    workers, or the worker and cron, never both run it."""

    name = models.CharField(max_length=32)
    slot = models.CharField(max_length=32)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="job_once_per_slot")]
