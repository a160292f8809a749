"""Create, list, check and revoke API tokens: the one place that knows the token format.

The token page (web/api/views.py), `kratom-recovery token` and the API's bearer
authentication all call these; only the hash is stored (web/common/hashing.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
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


def live(now: datetime) -> Q:
    """Tokens that still work: not revoked and not expired."""
    return Q(revoked_at=None) & (Q(expires_at=None) | Q(expires_at__gt=now))


@transaction.atomic
def create_token(user: User, name: object, *, verified: bool = True,
                 now: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the plain token (shown once, never stored).

    A clinician's or admin's token needs `verified`: made from a session that gave the
    second factor (the token page passes `request.user.is_verified()`), or by the operator
    at the command line. Theirs expire after API_TOKEN_DAYS; a patient's live until revoked.
    """
    clean = check_name(name)
    now = now or timezone.now()
    if not user.is_active:
        raise InvalidInput("user", _("this account is deactivated"))
    if user.is_staff_role and not verified:
        raise InvalidInput("name", _("sign in with your authenticator app (two-factor "
                                     "sign-in, on your account page) before creating a token"))
    if ApiToken.objects.filter(live(now), user=user).count() >= MAX_ACTIVE_TOKENS:
        raise InvalidInput(
            "name", _("at most %(n)d active tokens; revoke one first") % {"n": MAX_ACTIVE_TOKENS}
        )
    plain = TOKEN_PREFIX + new_secret()
    token = ApiToken.objects.create(
        user=user, name=clean, token_hash=hash_secret(plain), prefix=plain[:PREFIX_LENGTH],
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_DAYS) if user.is_staff_role else None,
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
    """The active user a live token belongs to, or None (unknown, revoked, expired, inactive
    user)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > MAX_TOKEN:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(live(now), token_hash=hash_secret(plain))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
