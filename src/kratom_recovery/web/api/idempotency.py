"""Idempotency-Key for POSTs that write patient records (docs/api.md).

A retried POST with the same key by the same user gets the stored response and writes
nothing again; the same key with a different request is refused (422). The key row is
written in the same transaction as the record, so a crash leaves both or neither.
Failed requests (4xx) are not stored: nothing was written, so a retry simply runs again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
# Printable ASCII without spaces, like the IETF draft's examples (UUIDs, random strings).
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")

Result = tuple[int, dict[str, Any]]


def request_hash(request: HttpRequest, payload: dict[str, Any]) -> str:
    """Method, path and the validated body (so whitespace or key order do not matter)."""
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "body": payload},
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    if not KEY_PATTERN.fullmatch(raw):
        raise InvalidInput(HEADER, "must be 1–255 printable ASCII characters without spaces")
    return raw


def _replay(stored: IdempotencyKey, digest: str) -> tuple[int, dict[str, Any], bool]:
    if stored.request_hash != digest:
        raise InvalidInput(
            HEADER,
            "this key was already used for a different request; use a new key for new data",
        )
    return stored.response_status, stored.response_body, True


def run_once(
    request: HttpRequest,
    user: User,
    raw_key: str | None,
    payload: dict[str, Any],
    write: Callable[[], Result],
) -> tuple[int, dict[str, Any], bool]:
    """Run `write` unless this user's Idempotency-Key already has a stored response.

    Returns (status, body, replayed). Without a key, `write` simply runs.
    """
    key = check_key(raw_key)
    if key is None:
        return (*write(), False)
    digest = request_hash(request, payload)
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is not None:
        return _replay(stored, digest)
    try:
        with transaction.atomic():
            status, body = write()
            IdempotencyKey.objects.create(
                user=user, key=key, request_hash=digest, response_status=status,
                response_body=body,
            )
    except IntegrityError:
        # A concurrent request with the same key won the race; its write stands, ours was
        # rolled back with the key row.
        stored = IdempotencyKey.objects.filter(user=user, key=key).first()
        if stored is None:
            raise
        return _replay(stored, digest)
    return status, body, False
