"""Throttling of sign-in steps, keyed so that nobody can lock another person out.

Failures are counted per (username, client address): a wrong password, a wrong second-factor
code and a wrong reset code all count. After FREE_FAILURES a key is locked for a minute, and
each later lock-out doubles, up to an hour. A stranger guessing at `cleo` from their own
address locks only that pair: Cleo signs in from her address as usual, and failures on
unknown usernames lock only those usernames. Unknown and real usernames are treated alike.

Sign-up and reset e-mails are limited per address (SIGNUP_LIMIT attempts an hour). Rows live
in the database (SignInThrottle), so every app server shares them and a row lock makes
counting exact.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.db import transaction
from django.utils import timezone

from kratom_recovery.web.accounts.models import SignInThrottle

FREE_FAILURES: Final = 5  # failures before the first lock-out
FIRST_LOCK: Final = timedelta(minutes=1)
LONGEST_LOCK: Final = timedelta(hours=1)
FORGET_AFTER: Final = timedelta(days=1)  # a quiet key starts again from nothing
SIGNUP_LIMIT: Final = 20  # attempts an hour: a clinic signing people up on one network is fine
SIGNUP_WINDOW: Final = timedelta(hours=1)
MAX_USERNAME: Final = 150


@dataclass(frozen=True)
class Lock:
    """A refusal: the key is locked until `until`."""

    until: datetime

    def minutes_left(self, now: datetime) -> int:
        return max(1, -(-int((self.until - now).total_seconds()) // 60))


def sign_in_key(username: str, address: str) -> str:
    name = username.strip().lower()[:MAX_USERNAME]
    return hashlib.sha256(f"sign-in\0{name}\0{address}".encode("utf-8", "surrogatepass")
                          ).hexdigest()


def address_key(kind: str, address: str) -> str:
    return hashlib.sha256(f"{kind}\0{address}".encode("utf-8", "surrogatepass")).hexdigest()


def lock_length(strikes: int) -> timedelta:
    """1, 2, 4, … minutes for the 1st, 2nd, 3rd lock-out, at most an hour."""
    return min(FIRST_LOCK * (1 << min(max(strikes - 1, 0), 10)), LONGEST_LOCK)


def locked(username: str, address: str, now: datetime | None = None) -> Lock | None:
    """The lock on this username at this address, if any (checked before any password)."""
    now = now or timezone.now()
    row = SignInThrottle.objects.filter(key=sign_in_key(username, address)).first()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return Lock(row.locked_until)


@transaction.atomic
def record_failure(username: str, address: str, now: datetime | None = None) -> Lock | None:
    """Count a failure; returns the lock it starts, if it starts one."""
    now = now or timezone.now()
    forget_stale(now)
    row = locked_row(sign_in_key(username, address), now)
    row.failures += 1
    lock = None
    if row.failures >= FREE_FAILURES:
        row.strikes += 1
        row.failures = 0
        row.locked_until = now + lock_length(row.strikes)
        lock = Lock(row.locked_until)
    row.updated_at = now
    row.save()
    return lock


def clear(username: str, address: str) -> None:
    """A complete sign-in forgets this pair's failures and lock-outs."""
    SignInThrottle.objects.filter(key=sign_in_key(username, address)).delete()


def locked_row(key: str, now: datetime) -> SignInThrottle:
    """The key's row, created if missing and locked for this transaction."""
    SignInThrottle.objects.get_or_create(key=key, defaults={"updated_at": now})
    return SignInThrottle.objects.select_for_update().get(key=key)


def forget_stale(now: datetime) -> None:
    SignInThrottle.objects.filter(updated_at__lt=now - FORGET_AFTER).delete()


@transaction.atomic
def allow(kind: str, address: str, now: datetime | None = None) -> Lock | None:
    """Count an attempt of `kind` ("sign-up", "reset-mail") from `address`; a Lock when the
    hour's allowance (SIGNUP_LIMIT) is used up."""
    now = now or timezone.now()
    row = locked_row(address_key(kind, address), now)
    if row.locked_until is not None and row.locked_until > now:
        return Lock(row.locked_until)
    if now - row.updated_at > SIGNUP_WINDOW:  # a new window
        row.failures = 0
        row.updated_at = now
    row.failures += 1
    if row.failures > SIGNUP_LIMIT:
        row.locked_until = row.updated_at + SIGNUP_WINDOW
        row.save()
        return Lock(row.locked_until)
    row.save()
    return None
