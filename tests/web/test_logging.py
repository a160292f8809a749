"""Logs never hold health data, even when the database fails.

A database error's text carries the values it failed on (PostgreSQL: `DETAIL: Key
(username)=(…) already exists`, `Failing row contains (…)`), and Django logged each 500 with
that text and its traceback into app.log. Only the error's class, the route and the request
id may reach the log; SQL statements never do. The assertions read the real log file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.logs import RedactDatabaseErrors

MARKER = "zz-marker-7f3a"  # stands in for a patient's value


def duplicate_user(request: HttpRequest, n: int) -> HttpResponse:
    """A write that fails in the database itself (not in our validation)."""
    with transaction.atomic():
        User.objects.create(username=f"{MARKER}-{n}")
    with transaction.atomic():
        User.objects.create(username=f"{MARKER}-{n}")
    return HttpResponse("unreachable")


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("not a database error")


urlpatterns = [path("boom/<int:n>/", duplicate_user), path("broken/", broken)]


@pytest.fixture
def log_tail() -> Iterator[Callable[[], str]]:
    """What the app wrote to app.log since the fixture started."""
    log = Path(settings.LOG_DIR) / "app.log"
    start = log.stat().st_size if log.exists() else 0

    def read() -> str:
        with log.open("rb") as handle:
            handle.seek(start)
            return handle.read().decode()

    yield read


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_logging")
def test_a_database_error_is_logged_without_its_values(log_tail: Callable[[], str]) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/42/")
    assert response.status_code == 500
    logged = log_tail()
    assert MARKER not in logged
    assert "Traceback" not in logged and "DETAIL" not in logged
    line = next(line for line in logged.splitlines() if "Database error" in line)
    assert "IntegrityError" in line and "GET /boom/<int:n>/" in line
    assert f"(request {response['X-Request-ID']})" in line


@pytest.mark.django_db
@pytest.mark.urls("tests.web.test_logging")
def test_other_errors_keep_their_traceback(log_tail: Callable[[], str]) -> None:
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    logged = log_tail()
    assert "Traceback" in logged and "ValueError: not a database error" in logged


@pytest.mark.django_db
def test_sql_is_never_logged_even_when_someone_turns_on_debug(log_tail: Callable[[], str]) -> None:
    assert logging.getLogger("django.db.backends").getEffectiveLevel() > logging.DEBUG
    backends = logging.getLogger("django.db.backends")
    level, connection.force_debug_cursor = backends.level, True
    backends.setLevel(logging.DEBUG)  # an operator's debugging override
    try:
        assert not User.objects.filter(username=MARKER).exists()
    finally:
        backends.setLevel(level)
        connection.force_debug_cursor = False
    assert MARKER not in log_tail()


def test_every_app_handler_redacts() -> None:
    handlers = [h for h in logging.getLogger().handlers if h.get_name() in ("console", "file")]
    assert len(handlers) == 2
    for handler in handlers:
        assert any(isinstance(f, RedactDatabaseErrors) for f in handler.filters)


def test_a_database_error_passed_as_an_argument_is_reduced_to_its_class() -> None:
    from django.db import IntegrityError

    error = IntegrityError(f"DETAIL: Key (username)=({MARKER}) already exists.")
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "failed: %s", (error,), None)
    assert RedactDatabaseErrors().filter(record)
    assert MARKER not in record.getMessage() and "IntegrityError" in record.getMessage()
