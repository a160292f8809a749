"""The request log: one JSON line per request with the route pattern, never the path."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    logger = logging.getLogger("kratom_recovery.requests")
    logger.addHandler(caplog.handler)  # the logger does not propagate to the root
    caplog.set_level(logging.INFO, logger="kratom_recovery.requests")
    yield caplog
    logger.removeHandler(caplog.handler)


def test_one_json_line_with_the_route_pattern(client: Client, cleo: Any, pat: Any,
                                              lines: pytest.LogCaptureFixture) -> None:
    client.force_login(cleo)
    response = client.get(reverse("chart", args=[pat.pk]) + "?tab=notes&name=Pat")
    (record,) = [r for r in lines.records if r.name == "kratom_recovery.requests"]
    line = record.getMessage()
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "method", "route", "status", "duration_ms", "request_id"}
    assert entry["method"] == "GET" and entry["status"] == 200
    assert entry["route"] == "/clinic/patients/<int:patient_id>/"
    assert entry["request_id"] == response["X-Request-ID"]
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    # No id, query string or name from the request.
    assert str(pat.pk) not in entry["route"] and "Pat" not in line and "tab" not in line


def test_unrouted_and_refused_requests_are_logged_without_their_path(
    client: Client, lines: pytest.LogCaptureFixture
) -> None:
    client.get("/no/such/page/12345")
    (record,) = [r for r in lines.records if r.name == "kratom_recovery.requests"]
    entry = json.loads(record.getMessage())
    assert (entry["route"], entry["status"]) == ("-", 404)
    assert "12345" not in record.getMessage()
