"""`kratom-recovery createuser`: create a clinician or program admin."""

from __future__ import annotations

import argparse
import getpass
import os

HELP = "create a clinician or program-admin account"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username")
    parser.add_argument("--role", choices=("clinician", "admin"), required=True)
    parser.add_argument("--display-name", default="")
    parser.add_argument("--email", default="")
    parser.add_argument(
        "--password-env", metavar="VAR",
        help="read the password from this environment variable instead of prompting",
    )


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup

    setup()
    migrate()
    from kratom_recovery.web.accounts.actions import create_staff_user

    if args.password_env:
        password = os.environ.get(args.password_env, "")
    else:
        password = getpass.getpass("Password: ")
    user = create_staff_user(args.username, password, args.role, args.display_name, args.email)
    print(f"created {user.role} {user.username}")
    return 0
