"""`kratom-recovery 2fa`: the operator's help for a lost authenticator.

`2fa reset USER` removes the account's authenticator and backup codes and signs it out
everywhere; the reset is in the audit log (actor: the command line). A clinician or admin
past their grace period is sent to enrolment at their next sign-in. `2fa status USER` shows
whether the account has a second factor. Django is imported inside run().
"""

from __future__ import annotations

import argparse

from kratom_recovery.care.errors import InvalidInput

HELP = "reset or show a user's two-factor sign-in (a lost phone)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    reset = sub.add_parser("reset", help="remove the authenticator and backup codes, sign out")
    reset.add_argument("username")
    reset.add_argument("--yes", action="store_true",
                       help="do not ask for confirmation (scripts)")
    status = sub.add_parser("status", help="show whether the user has two-factor sign-in")
    status.add_argument("username")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup

    setup()
    migrate()
    from kratom_recovery.web.accounts import twofactor
    from kratom_recovery.web.accounts.models import User

    user = User.objects.filter(username=args.username).first()
    if user is None:
        raise InvalidInput("username", f"no user {args.username!r}")
    enrolled = twofactor.is_enrolled(user)
    if args.action == "status":
        deadline = twofactor.grace_deadline(user)
        state = (f"on ({twofactor.backup_codes_left(user)} backup codes left)" if enrolled
                 else "off")
        due = f"; required from {deadline:%Y-%m-%d %H:%M} UTC" if deadline else ""
        print(f"{user.username}: two-factor sign-in {state}{due}")
        return 0
    if not args.yes:
        answer = input(f"Remove {user.username}'s authenticator and backup codes and sign "
                       "them out everywhere? Check who is asking first. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing changed")
            return 1
    twofactor.remove_second_factor(None, user, via="cli")
    print(f"two-factor sign-in of {user.username} is reset"
          + ("" if enrolled else " (there was none)")
          + "; every session is signed out. They set up a new authenticator at their next "
            "sign-in.")
    return 0
