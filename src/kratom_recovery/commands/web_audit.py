"""`kratom-recovery audit verify`: check every audit hash chain.

Exits 0 when every chain holds and 1 naming the first broken entry (an edited, removed or
reordered row). Django is imported inside run().
"""

from __future__ import annotations

import argparse

HELP = "check the audit log's hash chains (exit 1 names the first broken entry)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("verify", help="recompute every chain; exit 1 at the first break")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup

    setup()
    migrate()
    from kratom_recovery.web.audit.chain import verify

    checked, broken = verify()
    if broken is not None:
        print(f"audit log BROKEN at {broken.describe()}")
        return 1
    print(f"audit log intact: {checked} entries")
    return 0
