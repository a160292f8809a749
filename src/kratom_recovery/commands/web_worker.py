"""`kratom-recovery worker`: the background worker (a Huey consumer) with the periodic jobs.

It delivers alerts (at once, retries, escalation), sends the daily digest and the
reminders, runs the safety sweep and writes the heartbeat /readyz reads. Run one or more
beside the web server (`make run` does); two workers never send a message twice.

No database connection crosses a fork (kratom_recovery.process): the parent closes its
connections before the consumer starts its workers, and each worker starts with none.
"""

from __future__ import annotations

import argparse

HELP = "run the background worker: alert delivery, retries, escalation, digests, sweeps"
MAX_WORKERS = 32


def worker_count(raw: str) -> int:
    """--workers: a whole number from 1 to MAX_WORKERS."""
    try:
        value: int | None = int(raw)
    except ValueError:
        value = None
    if value is None or not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_WORKERS}, "
                                         f"got {raw!r}")
    return value


def poll_seconds(raw: str) -> float:
    """--delay, --max-delay: seconds from 0.01 to 1 (alerts wait at most that long)."""
    try:
        value: float | None = float(raw)
    except ValueError:
        value = None
    if value is None or not 0.01 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be a number of seconds from 0.01 to 1, "
                                         f"got {raw!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=worker_count, default=None,
                        help=f"jobs run at once, 1 to {MAX_WORKERS} (default 2)")
    parser.add_argument("--worker-type", choices=("thread", "process"), default=None,
                        help="threads (default) or forked processes")
    parser.add_argument("--delay", type=poll_seconds, default=None,
                        help="seconds between queue polls after work, 0.01 to 1 (default 0.1)")
    parser.add_argument("--max-delay", type=poll_seconds, default=None,
                        help="longest wait between polls when idle, 0.01 to 1 s (default 1)")
    parser.add_argument("--no-periodic", action="store_true",
                        help="do not run the periodic jobs (another worker or cron does)")
    parser.add_argument("--no-migrate", action="store_true", help="skip migrations at start")


def consumer_options(args: argparse.Namespace, defaults: dict[str, object]) -> dict[str, object]:
    options = dict(defaults)
    for key, value in (("workers", args.workers), ("worker_type", args.worker_type),
                       ("initial_delay", args.delay), ("max_delay", args.max_delay)):
        if value is not None:
            options[key] = value
    if args.no_periodic:
        options["periodic"] = False
    return options


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup
    from kratom_recovery.process import before_fork, private_process

    private_process()
    setup()
    from django.conf import settings
    from django.utils import timezone

    from kratom_recovery.care.errors import InvalidInput

    if settings.HUEY_IMMEDIATE:
        raise InvalidInput("HUEY_IMMEDIATE", "is on: jobs run inline, so there is nothing for "
                                             "a worker to do; unset it to run the worker")
    if not args.no_migrate:
        migrate()
    from huey.consumer_options import ConsumerConfig

    from kratom_recovery.web.notify import jobs
    from kratom_recovery.web.notify.health import beat

    beat(timezone.now())  # up from the first second, before the first periodic run
    defaults: dict[str, object] = dict(settings.HUEY_CONSUMER)
    config = ConsumerConfig(**consumer_options(args, defaults))
    config.validate()
    consumer = jobs.queue().create_consumer(**config.values)
    before_fork()  # the parent keeps no connection for a worker to inherit
    print(f"kratom-recovery: worker started ({config.workers} {config.worker_type}s, "
          f"queue {settings.HUEY_QUEUE!r}; Ctrl-C to stop)", flush=True)
    consumer.run()
    return 0
