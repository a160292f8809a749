"""Helpers for the API tests: tokens for personas and JSON calls with a bearer token."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.test import Client

if TYPE_CHECKING:  # the test client's response type (with .json()) exists only in the stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BASE = "/api/v1"


def token_for(user: Any, name: str = "test") -> str:
    from kratom_recovery.web.accounts.tokens import create_token

    return create_token(user, name)[1]


def call(client: Client, method: str, path: str, token: str | None = None,
         body: Any = None, raw: str | None = None, **headers: str) -> TestResponse:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None or raw is not None:
        kwargs["data"] = raw if raw is not None else json.dumps(body)
        kwargs["content_type"] = "application/json"
    response: TestResponse = getattr(client, method.lower())(BASE + path, **kwargs)
    return response


def sows(value: int = 1) -> list[int]:
    return [value] * 16


def checkin_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"answers": {"sows": sows(1), "craving": [4]}, "sleep_hours": 6.5,
                            "mood": 3, "note": "rough night"}
    body.update(overrides)
    return body
