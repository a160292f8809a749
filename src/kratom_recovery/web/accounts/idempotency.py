"""Idempotency-Key for POSTs that write patient records (docs/api.md): the API's, and the
signed-in web check-in that a phone sends again after being offline (`keyed_form_post`).

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
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import IdempotencyKey, User

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


class _Unwritten(Exception):
    """The form view answered without writing (its page with errors): roll back, store
    nothing, hand its page back."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__()
        self.response = response


REDIRECTS = (301, 302, 303)


def keyed_form_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a script POST a signed-in form with an Idempotency-Key (the offline check-in
    queue, static/js/offline.js); without the header the view runs as it always does.

    With a key, the view's success (its redirect) becomes 201 JSON `{"location": …}`,
    stored with the key, so a resend after a lost answer gets the same 201 and writes nothing
    again. A page with form errors is answered 400 with that page (the script shows its
    error messages); nothing is stored, so a corrected resend runs. Signed out: the view's
    own answer (a redirect to sign in), untouched.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.headers.get(HEADER)
        user = request.user
        if request.method != "POST" or raw is None or not isinstance(user, User):
            return view(request, *args, **kwargs)
        payload = {name: request.POST.getlist(name) for name in sorted(request.POST)
                   if name != "csrfmiddlewaretoken"}

        def write() -> Result:
            response = view(request, *args, **kwargs)
            if response.status_code not in REDIRECTS:
                raise _Unwritten(response)
            return 201, {"location": response["Location"]}

        try:
            status, body, replayed = run_once(request, user, raw, payload, write)
        except InvalidInput as error:
            return JsonResponse({"field": error.field, "message": error.message}, status=422)
        except _Unwritten as unwritten:
            page = unwritten.response
            if page.status_code == 200:
                page.status_code = 400
            return page
        answer = JsonResponse(body, status=status)
        if replayed:
            answer["Idempotent-Replayed"] = "true"
        return answer

    return wrapper
