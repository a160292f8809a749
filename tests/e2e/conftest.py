"""Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).

Without /usr/bin/chromium they skip, unless REQUIRE_BROWSER=1 (CI), where they fail. They run
in the SQLite pass only: the PostgreSQL pass (DATABASE_URL set) skips them, since what they check
is the page, not the database, and CI time is better spent elsewhere.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("DATABASE_URL"):
        postgres_pass = pytest.mark.skip(reason="browser tests run in the SQLite pass only")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(postgres_pass)
        return
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
    skip = pytest.mark.skip(reason="Debian chromium is not installed")
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def live_server(live_server: Any) -> Any:
    """pytest-django's live server, running the application one request at a time. On SQLite
    the test database lives in memory, and the server's threads share its one connection:
    two requests writing at once interleave their transactions on it ("cannot start a
    transaction within a transaction"), which a real server, with a connection per thread,
    never does. Connections stay threaded; only the application is serialized."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def serialized(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            result: Iterable[bytes] = app(environ, start_response)
            try:
                return list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()  # request_finished, inside the lock

    httpd.set_app(serialized)
    return live_server
