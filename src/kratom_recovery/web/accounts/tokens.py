"""Create, list, check and revoke API tokens: the one place that knows the token format.

The token page (web/api/views.py), `kratom-recovery token` and the API's bearer
authentication all call these; only the hash is stored (web/common/hashing.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import ApiToken, User
from kratom_recovery.web.common.hashing import hash_secret, new_secret

TOKEN_PREFIX = "kr_"
PREFIX_LENGTH = 11  # "kr_" and 8 random characters: enough to tell tokens apart
MAX_NAME = 80
MAX_TOKEN = 200  # longer Authorization values are refused before hashing
MAX_ACTIVE_TOKENS = 20
# last_used_at is a hint for people reviewing their tokens, not an audit trail: writing it
# at most once a minute keeps a busy client from turning every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name", _("give the token a name, e.g. the app that will use it"))
    name = name.strip()
    if len(name) > MAX_NAME:
        raise InvalidInput("name", _("at most %(n)d characters") % {"n": MAX_NAME})
    if any(ord(c) < 32 for c in name):
        raise InvalidInput("name", _("contains a character that is not allowed"))
    return name


@transaction.atomic
def create_token(user: User, name: object, *, now: datetime | None = None
                 ) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain token (shown once, never stored)."""
    clean = check_name(name)
    if not user.is_active:
        raise InvalidInput("user", _("this account is deactivated"))
    if ApiToken.objects.filter(user=user, revoked_at=None).count() >= MAX_ACTIVE_TOKENS:
        raise InvalidInput(
            "name", _("at most %(n)d active tokens; revoke one first") % {"n": MAX_ACTIVE_TOKENS}
        )
    plain = TOKEN_PREFIX + new_secret()
    token = ApiToken.objects.create(
        user=user, name=clean, token_hash=hash_secret(plain), prefix=plain[:PREFIX_LENGTH],
        created_at=now or timezone.now(),
    )
    return token, plain


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A user's tokens, oldest first (never the tokens themselves: only prefixes are kept)."""
    return ApiToken.objects.filter(user=user).order_by("created_at", "pk")


def revoke_token(token: ApiToken, *, now: datetime | None = None) -> ApiToken:
    """Revoke a token (idempotent: revoking twice keeps the first time)."""
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(plain: str, *, now: datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked, inactive user)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > MAX_TOKEN:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_secret(plain), revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
