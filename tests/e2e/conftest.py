"""Browser tests drive Debian's Chromium through Playwright (never a downloaded browser).

Without /usr/bin/chromium they skip, unless REQUIRE_BROWSER=1 (CI), where they fail. They run
in the SQLite pass only: the PostgreSQL pass (DATABASE_URL set) skips them, since what they check
is the page, not the database, and CI time is better spent elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

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
