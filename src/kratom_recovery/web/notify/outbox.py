"""The alert row is its own outbox: a new alert that should notify is queued once its
transaction commits, and the periodic sweep hands over any that were not (the process died
between commit and enqueue, the queue was down). The job carries the alert's id only."""

from __future__ import annotations

import logging

from django.db import transaction

from kratom_recovery.web.notify.delivery import notifies
from kratom_recovery.web.safety.models import Alert

log = logging.getLogger(__name__)


def enqueue(alert_id: int) -> None:
    """Queue the delivery job; a queue that cannot be reached never fails the write."""
    from kratom_recovery.web.notify.jobs import deliver_alert_job

    try:
        deliver_alert_job(alert_id)
    except Exception as error:
        log.warning("could not queue alert %s (%s); the sweep will deliver it", alert_id,
                    type(error).__name__)


def alert_raised(alert: Alert) -> None:
    """safety/hooks.py listener: in the raising transaction, queue for after the commit."""
    if notifies(alert.rule, alert.severity):
        alert_id = alert.pk
        transaction.on_commit(lambda: enqueue(alert_id))
