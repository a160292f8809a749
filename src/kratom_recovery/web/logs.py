"""Logs never hold health data: database errors are logged by class name only.

A database error's text carries the values it failed on (PostgreSQL's DETAIL lines: "Key
(…)=(…)", "Failing row contains (…)"), and Django logs every 500 with its traceback, so a
failed profile write once put a patient's values in app.log. `RedactDatabaseErrors`, on
every handler, cuts such a record down to the error's class, the route and the request id,
and drops the statement records django.db.backends writes at DEBUG. Log files are 0600.
The request log (`kratom_recovery.requests`) is one JSON line per request with the route
pattern, status, duration and request id only.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from io import TextIOWrapper
from logging.handlers import RotatingFileHandler
from typing import Any

from django.db import Error as DjangoDatabaseError
from django.http import HttpRequest, HttpResponse

DRIVER_PACKAGES = {"psycopg", "psycopg2", "sqlite3"}


def database_error(exc: BaseException | None) -> BaseException | None:
    """The database error in `exc` or the chain behind it, if any."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if (isinstance(exc, DjangoDatabaseError | sqlite3.Error)
                or type(exc).__module__.split(".")[0] in DRIVER_PACKAGES):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def route_of(request: Any) -> str:
    """The URL pattern (no ids, no query string), or '-' when the request did not resolve."""
    match = getattr(request, "resolver_match", None)
    return f"/{match.route}" if match is not None and match.route else "-"


class RedactDatabaseErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "sql") or hasattr(record, "params"):
            return False  # a statement and its parameters (django.db.backends at DEBUG)
        exc = record.exc_info[1] if record.exc_info else None
        error = database_error(exc)
        if error is None and isinstance(record.args, tuple):
            error = next((found for arg in record.args if isinstance(arg, BaseException)
                          if (found := database_error(arg)) is not None), None)
        if error is None:
            return True
        request = getattr(record, "request", None)
        record.msg = "Database error %s on %s %s (request %s)"
        record.args = (type(error).__name__, getattr(request, "method", "-"),
                       route_of(request), getattr(request, "request_id", "-"))
        record.exc_info = record.exc_text = record.stack_info = None
        return True


class PrivateFileHandler(RotatingFileHandler):
    """A rotating log file created 0600, whatever the process umask."""

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


REQUEST_LOG = logging.getLogger("kratom_recovery.requests")


def request_line(request: HttpRequest, status: int, started: float) -> str:
    """One request as one JSON line: the route pattern, never the path (ids, tokens) or the
    query string, and nothing about the person or their records."""
    return json.dumps({
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": request.method,
        "route": route_of(request),
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "request_id": getattr(request, "request_id", "-"),
    }, separators=(",", ":"))


class RequestIdMiddleware:
    """A random id per request, in the `X-Request-ID` header, in any database-error log
    line and in the request log, so a person's report of a failure can be matched to the
    log without health data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = secrets.token_hex(8)  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        if REQUEST_LOG.isEnabledFor(logging.INFO):
            REQUEST_LOG.info(request_line(request, response.status_code, started))
        return response
