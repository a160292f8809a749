"""`kratom-recovery manage …`: Django's management commands (migrate, shell, …)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

HELP = "run a Django management command, e.g. `kratom-recovery manage migrate`"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("args", nargs=argparse.REMAINDER, help="the command and its arguments")


def run_raw(argv: Sequence[str]) -> int:
    from kratom_recovery.commands._django import setup

    setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kratom-recovery manage", *argv])
    return 0


def run(args: argparse.Namespace) -> int:
    return run_raw(args.args)
