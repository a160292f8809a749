"""Is delivery working? The worker's heartbeat and the oldest undelivered urgent alert.

Read by /readyz, the staff banner and the patient's card. Limits: a heartbeat older than two
minutes (the worker beats every minute) or an urgent alert undelivered after five minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.db.models import Exists, OuterRef

from kratom_recovery.web.notify.delivery import outbox
from kratom_recovery.web.notify.models import HANDED_OVER, Delivery, Heartbeat, Status

WORKER: Final = "worker"
HEARTBEAT_STALE: Final = timedelta(minutes=2)
UNDELIVERED_LIMIT: Final = timedelta(minutes=5)


def beat(now: datetime) -> None:
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"beat_at": now})


def handed_over() -> Exists:
    return Exists(Delivery.objects.filter(alert=OuterRef("pk"), status__in=HANDED_OVER))


def oldest_undelivered(now: datetime) -> datetime | None:
    """When the oldest open urgent or emergency alert that reached nobody was raised."""
    first = (outbox(now).filter(acknowledged_at=None).exclude(handed_over())
             .order_by("created_at").values_list("created_at", flat=True).first())
    return first


@dataclass(frozen=True)
class DeliveryHealth:
    worker_expected: bool  # False in immediate mode: jobs run inline, no worker
    heartbeat_at: datetime | None
    heartbeat_fresh: bool
    undelivered_since: datetime | None
    undelivered_late: bool
    failed: int  # deliveries of open alerts given up ("delivery failed")

    @property
    def ok(self) -> bool:
        return self.heartbeat_fresh and not self.undelivered_late


def delivery_health(now: datetime, *, with_failed: bool = True) -> DeliveryHealth:
    """Three small indexed queries (two without `with_failed`)."""
    expected = not settings.HUEY_IMMEDIATE
    row = Heartbeat.objects.filter(name=WORKER).first() if expected else None
    beat_at = row.beat_at if row else None
    fresh = not expected or (beat_at is not None and now - beat_at <= HEARTBEAT_STALE)
    since = oldest_undelivered(now)
    failed = (Delivery.objects.filter(status=Status.FAILED, alert__acknowledged_at=None)
              .count() if with_failed else 0)
    return DeliveryHealth(expected, beat_at, fresh, since,
                          since is not None and now - since > UNDELIVERED_LIMIT, failed)
