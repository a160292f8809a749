"""`kratom-recovery send-reminders`: e-mail due reminders and alert clinicians about missed
follow-ups. Safe to run as often as you like (e.g. every 15 minutes from cron): nothing is
sent twice."""

from __future__ import annotations

import argparse
import os
from datetime import datetime

from kratom_recovery.care.errors import InvalidInput

HELP = "send due check-in and follow-up reminders; alert clinicians about missed follow-ups"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--now", help="act as if it were this ISO time (with UTC offset)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be sent; send and record nothing")
    parser.add_argument(
        "--base-url", default=os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
        help="address of the app for links in e-mails (default: $SITE_URL or local)",
    )


def parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            "--now", "must be an ISO date-time like 2026-11-20T18:00:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput("--now", "must include a UTC offset, e.g. +00:00")
    return moment


def run(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    base_url = str(args.base_url).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise InvalidInput("--base-url", "must start with http:// or https://")
    from kratom_recovery.commands._django import setup

    setup()
    from django.utils import timezone

    from kratom_recovery.web.followup.reminders import send_due

    done = send_due(now or timezone.now(), base_url, dry_run=args.dry_run)
    verb = "would send" if args.dry_run else "sent"
    for reminder in done:
        what = "alert" if reminder.kind == "missed-followup" else "e-mail"
        print(f"{verb} {what}: {reminder.kind} for {reminder.patient.user.username} "
              f"({reminder.key})")
    print(f"{len(done)} {'to send' if args.dry_run else 'sent'}")
    return 0
