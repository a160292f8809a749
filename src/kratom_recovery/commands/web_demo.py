"""`kratom-recovery demo`: migrate and seed synthetic demo accounts (idempotent)."""

from __future__ import annotations

import argparse

HELP = "create the database if needed and seed synthetic demo patients and staff"
PATIENTS = (1, 500)  # a demo caseload; each patient brings weeks of check-ins


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patients", type=int, default=4,
                        help=f"synthetic patients, {PATIENTS[0]}–{PATIENTS[1]} (default 4)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care.errors import InvalidInput

    if not PATIENTS[0] <= args.patients <= PATIENTS[1]:
        raise InvalidInput("--patients", f"must be from {PATIENTS[0]} to {PATIENTS[1]} "
                           f"(got {args.patients})")
    from kratom_recovery.commands._django import migrate, setup

    setup()
    migrate()
    from kratom_recovery.web.demo import DEMO_PASSWORD, seed

    logins = seed(patients=args.patients, seed=args.seed)
    print(f"Demo accounts (synthetic data; password for all: {DEMO_PASSWORD}):")
    shown = 12
    for role, username in logins[:shown]:
        print(f"  {role:<10} {username}")
    if len(logins) > shown:
        more = len(logins) - shown
        print(f"  … and {more} more patients (`kratom-recovery patients` lists them)")
    from kratom_recovery.web.accounts.twofactor import grace_days

    print(f"Staff (clinician, admin) sign in with the password alone for "
          f"{grace_days()} days (a program setting), then must set up an "
          "authenticator app (Your account → Two-factor sign-in). Each `demo` run restarts "
          "this for demo staff who have not set one up.")
    return 0
