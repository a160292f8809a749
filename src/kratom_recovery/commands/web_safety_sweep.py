"""`kratom-recovery safety-sweep`: re-evaluate every patient's safety rules now.

Some rules cannot fire on a write (no check-in for days during acute withdrawal), so run
this from cron, e.g. hourly. Idempotent: a second run raises nothing new.
"""

from __future__ import annotations

import argparse
import json

HELP = "re-evaluate every patient's safety rules (missed check-ins); safe to run repeatedly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import setup

    setup()
    from django.utils import timezone

    from kratom_recovery.web.safety.engine import sweep

    counts = sweep(timezone.now())
    if args.format == "json":
        print(json.dumps(counts))
    else:
        print(f"evaluated {counts['patients']} patients, raised {counts['alerts']} new alerts")
    return 0
