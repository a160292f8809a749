"""Secrets we hand out (API tokens, calendar-feed URLs) are stored only as a hash.

A database leak then gives nothing usable. The secrets are at least 256 bits of randomness
(`secrets.token_urlsafe(32)`), so there is nothing to brute-force: an unsalted, fast SHA-256
is enough and lets a request find its row by an indexed lookup on the hash.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Final

SECRET_BYTES: Final = 32  # 256 bits


def new_secret(nbytes: int = SECRET_BYTES) -> str:
    """A URL-safe random secret; only `hash_secret` of it is stored."""
    return secrets.token_urlsafe(nbytes)


def hash_secret(plain: str) -> str:
    """The SHA-256 hex digest (64 characters) stored in place of a secret.

    Lone surrogates (which a URL or header can carry) are encoded rather than refused, so a
    malformed secret simply matches nothing.
    """
    return hashlib.sha256(plain.encode("utf-8", "surrogatepass")).hexdigest()
