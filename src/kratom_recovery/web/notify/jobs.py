"""The background jobs (Huey, `huey.contrib.djhuey`; the queue is settings.HUEY).

`kratom-recovery worker` runs them; `db_` tasks close their database connections after each
run. Jobs carry ids only: no free text and no health data goes into the queue. Periodic jobs
claim their time slot (`JobClaim`), so with two workers, or a worker beside cron, each slot
runs once; the work inside is idempotent besides (notify/delivery.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from kratom_recovery.process import after_fork
from kratom_recovery.web.notify import delivery
from kratom_recovery.web.notify.health import beat
from kratom_recovery.web.notify.models import JobClaim

Job = TypeVar("Job", bound=Callable[..., Any])


def task() -> Callable[[Job], Job]:
    """Huey's db_task, typed: calling the job queues it (or runs it inline when immediate)."""
    return cast(Callable[[Job], Job], db_task())


def periodic(schedule: Callable[[datetime], bool]) -> Callable[[Job], Job]:
    return cast(Callable[[Job], Job], db_periodic_task(schedule))


def on_startup() -> Callable[[Job], Job]:
    return cast(Callable[[Job], Job], HUEY.on_startup())


def queue() -> Any:
    """The Huey instance (settings.HUEY) the jobs are registered on."""
    return HUEY


def claim_slot(name: str, slot: str, now: datetime) -> bool:
    """True for the first caller for (name, slot), False for every other."""
    try:
        with transaction.atomic():
            JobClaim.objects.create(name=name, slot=slot, claimed_at=now)
    except IntegrityError:
        return False
    return True


@on_startup()
def worker_started() -> None:
    """First thing in each worker (a forked process or a thread): no inherited connection."""
    after_fork()


@task()
def deliver_alert_job(alert_id: int) -> int:
    return delivery.deliver_alert(alert_id, timezone.now())


@periodic(crontab(minute="*"))
def outbox_job() -> None:
    """Every minute: the heartbeat, undelivered alerts, retries and escalations."""
    now = timezone.now()
    beat(now)
    delivery.sweep(now)
    if claim_slot("escalate", now.strftime("%Y-%m-%dT%H:%M"), now):
        delivery.escalate(now)


@periodic(crontab(minute="*/15"))
def digest_job() -> None:
    now = timezone.now()
    if claim_slot("digest", now.strftime("%Y-%m-%dT%H:%M"), now):
        delivery.send_digests(now)


@periodic(crontab(minute="*/15"))
def reminders_job() -> None:
    """What `send-reminders` does from cron (itself idempotent per reminder)."""
    # Imported here: a problem in another app's jobs never stops alert delivery.
    from kratom_recovery.web.followup.reminders import send_due

    now = timezone.now()
    if claim_slot("send-reminders", now.strftime("%Y-%m-%dT%H:%M"), now):
        send_due(now, settings.SITE_URL)


@periodic(crontab(minute="7"))
def safety_sweep_job() -> None:
    """What `safety-sweep` does from cron, hourly."""
    from kratom_recovery.web.safety.engine import sweep

    now = timezone.now()
    if claim_slot("safety-sweep", now.strftime("%Y-%m-%dT%H"), now):
        sweep(now)
