"""`kratom-recovery safety-sweep`: re-evaluate every patient's safety rules now.

Some rules cannot fire on a write (no check-in for days during acute withdrawal), so run
this from cron, e.g. hourly. Idempotent: a second run raises nothing new. `--shard I/N` takes
one of N disjoint parts of the patients, so N processes (or machines) can share a large
program: run `--shard 0/4` ... `--shard 3/4` side by side.
"""

from __future__ import annotations

import argparse
import json

HELP = "re-evaluate every patient's safety rules (missed check-ins); safe to run repeatedly"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--shard", default="0/1", metavar="I/N",
                        help="only shard I of N (patient id mod N = I), e.g. 0/4; default all")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import setup

    setup()
    from django.utils import timezone

    from kratom_recovery.web.safety.engine import Shard, sweep

    shard = Shard.parse(args.shard)  # bad input: exit 2 before anything is read
    counts = sweep(timezone.now(), shard)
    if args.format == "json":
        print(json.dumps(counts))
    else:
        print(f"evaluated {counts['patients']} patients, raised {counts['alerts']} new alerts")
    return 0
