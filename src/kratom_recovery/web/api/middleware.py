"""Every answer under /api/ is JSON, errors included (docs/api.md).

Some errors never reach the API's own handlers: an unknown path (Django's 404 page), a
method an operation does not have (ninja's plain 405), a body Django refuses before ninja
parses it, a server error. Their HTML or text bodies are replaced with the API's shape,
`{"detail": "..."}`, keeping the status and headers such as `Allow`.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

API_PREFIX = "/api/"
# Messages for statuses the endpoints do not word themselves (errors.py words the rest).
MESSAGES = {404: "Not found", 405: "Method not allowed", 500: "Server error"}


def error_body(status: int) -> dict[str, Any]:
    """The documented shape: a list naming the body for 400 and 413, a message otherwise."""
    if status == 400:
        return {"detail": [{"field": "body", "message": "the request could not be read"}]}
    if status == 413:
        return {"detail": [{"field": "body", "message": "is too large"}]}
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return {"detail": MESSAGES.get(status, phrase)}


def is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "application/json"


class JsonErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (not request.path.startswith(API_PREFIX) or response.status_code < 400
                or is_json(response) or response.streaming):
            return response
        replaced = JsonResponse(error_body(response.status_code), status=response.status_code)
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                replaced[header] = response[header]
        return replaced
