"""Changing and resetting passwords.

A reset comes by an e-mailed link (Django's token generator: the token covers the password
hash and last sign-in, so it works once, and PASSWORD_RESET_TIMEOUT ends it after 15
minutes) or by a short code a clinician reads to a patient without e-mail (hashed, single
use, 15 minutes). Either way the new password ends every session and API token, and the
second factor stays: the next sign-in still asks for it. Every change is audited.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Final

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.events import emit
from kratom_recovery.web.accounts.models import ApiToken, ResetCode, Role, User
from kratom_recovery.web.common.hashing import hash_secret

CODE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # nothing to mishear or misread
CODE_LENGTH: Final = 8  # read aloud as XXXX-XXXX; 40 bits, throttled, 15 minutes, once
CODE_LIFETIME: Final = timedelta(minutes=15)
MAX_INPUT: Final = 200


def check_new_password(user: User, password: str, field: str = "new_password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(field, " ".join(error.messages)) from None


def revoke_sessions_and_tokens(user: User, now: datetime, *, tokens: bool = True) -> int:
    """End every session (the session epoch is part of the session hash) and, with
    `tokens`, every API token. Returns the number of tokens revoked. Caller saves `user`."""
    user.session_epoch += 1
    if not tokens:
        return 0
    return ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)


@transaction.atomic
def change_password(user: User, current: str, new: str, *, revoke_tokens: bool,
                    now: datetime | None = None) -> None:
    """The signed-in user's own change; other sessions end (the caller keeps this one)."""
    now = now or timezone.now()
    if not user.check_password(current[:MAX_INPUT]):
        raise InvalidInput("current_password", _("this is not your current password"))
    check_new_password(user, new)
    user.set_password(new)
    if revoke_tokens:
        ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    user.save()
    emit(user, user, "update", "password-change" + ("+tokens" if revoke_tokens else ""))


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password-reset-confirm", args=[uid, token])


def send_reset_links(email: str) -> int:
    """E-mail a reset link to each active account with this address. The page says the
    same whatever happens, so it never tells whether an address has an account."""
    email = email.strip()[:254]
    if "@" not in email:
        return 0
    users = list(User.objects.filter(email__iexact=email, is_active=True))
    for user in users:
        send_mail(
            _("Reset your password"),
            _("Someone asked to reset the password of the account %(username)s.\n\n"
              "To choose a new password, open this link within 15 minutes:\n%(link)s\n\n"
              "If it was not you, ignore this e-mail; your password stays as it is.")
            % {"username": user.username, "link": reset_link(user)},
            None, [user.email],
        )
    return len(users)


def user_for_link(uidb64: str, token: str) -> User | None:
    """The account a reset link is for, if the link is still valid (unused, < 15 min)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64[:40]).decode())
    except (ValueError, UnicodeDecodeError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token[:100]):
        return None
    return user


@transaction.atomic
def reset_with_link(uidb64: str, token: str, new: str, now: datetime | None = None) -> User:
    user = user_for_link(uidb64, token)
    if user is None:
        raise InvalidInput("link", _("this reset link has expired or was already used; "
                                     "ask for a new one"))
    return finish_reset(user, new, "password-reset-link", now or timezone.now())


def finish_reset(user: User, new: str, what: str, now: datetime) -> User:
    check_new_password(user, new)
    user.set_password(new)
    revoke_sessions_and_tokens(user, now)
    user.save()
    emit(None, user, "update", what)
    return user


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_hash(user: User, code: str) -> str:
    cleaned = "".join(c for c in code[:MAX_INPUT] if c.isalnum()).upper()
    return hash_secret(f"reset-code:{user.pk}:{cleaned}")


@transaction.atomic
def issue_reset_code(actor: User, user: User, now: datetime | None = None) -> str:
    """A new reset code for a patient (the caller checked the actor may reach them); any
    earlier unused code stops working. Returns the plain code, shown once."""
    now = now or timezone.now()
    if not actor.is_clinician or not actor.is_active:
        raise InvalidInput("role", _("only a clinician gives out reset codes"))
    if user.role != Role.PATIENT or not user.is_active:
        raise InvalidInput("patient", _("reset codes are for active patient accounts"))
    ResetCode.objects.filter(user=user, used_at=None).update(used_at=now)
    code = new_code()
    ResetCode.objects.create(user=user, code_hash=code_hash(user, code), issued_by=actor,
                             created_at=now, expires_at=now + CODE_LIFETIME)
    emit(actor, user, "create", "reset-code")
    return code


@transaction.atomic
def reset_with_code(username: str, code: str, new: str, now: datetime | None = None) -> User:
    """Redeem a clinician's code. An unknown username gets the same refusal as a wrong code;
    a refused new password leaves the code unused (the transaction rolls back)."""
    now = now or timezone.now()
    user = User.objects.filter(username=username[:150], is_active=True,
                               role=Role.PATIENT).first()
    row = None if user is None else (
        ResetCode.objects.select_for_update()
        .filter(user=user, used_at=None, expires_at__gt=now, code_hash=code_hash(user, code))
        .first())
    if user is None or row is None:
        raise InvalidInput("code", _("this code is not valid or has expired; ask your "
                                     "clinician for a new one"))
    row.used_at = now
    row.save(update_fields=["used_at"])
    return finish_reset(user, new, "password-reset-code", now)
