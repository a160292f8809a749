"""`kratom-recovery token`: create, list and revoke API tokens from the command line.

The plain token is printed once by `create` and never stored (only its SHA-256 hash).
Django is imported inside run() so `kratom-recovery --help` stays fast.
"""

from __future__ import annotations

import argparse

from kratom_recovery.care.errors import InvalidInput

HELP = "create, list or revoke API tokens (docs/api.md)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = sub.add_parser("create", help="create a token and print it (shown once)")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="what will use it, e.g. 'phone app'")
    listing = sub.add_parser("list", help="list a user's tokens (never the tokens themselves)")
    listing.add_argument("username")
    revoke = sub.add_parser("revoke", help="revoke a token by its id (from `token list`)")
    revoke.add_argument("id", help="token id")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import migrate, setup

    setup()
    migrate()
    from kratom_recovery.web.accounts import tokens
    from kratom_recovery.web.accounts.models import ApiToken, User

    if args.action == "revoke":
        try:
            token = ApiToken.objects.get(pk=int(args.id))
        except (ValueError, OverflowError, ApiToken.DoesNotExist):
            raise InvalidInput("id", f"no token with id {args.id!r}; see `token list USERNAME`"
                               ) from None
        tokens.revoke_token(token)
        print(f"revoked token {token.pk} ({token.name}) of {token.user.username}")
        return 0
    try:
        user = User.objects.get(username=args.username)
    except User.DoesNotExist:
        raise InvalidInput("username", f"no user {args.username!r}") from None
    if args.action == "create":
        token, plain = tokens.create_token(user, args.name)
        print(plain)
        return 0
    for token in tokens.tokens_of(user):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        print(f"{token.pk}\t{token.prefix}…\t{token.name}\t{state}\tlast used {used}")
    return 0
