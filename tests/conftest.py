"""Shared fixtures: personas built through the real actions.

Pat is a patient on Cleo's caseload; Bob is another patient of Cleo's; Otto is a clinician
with no relation to Pat; Ada is a program admin.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from kratom_recovery.commands import _django
from tests.support.personas import PASSWORD, make_patient

# The test run is an entry point like the CLI's web commands: it makes the data folder (logs,
# static files, the secret key), then sets Django up; the settings only read the folder.
# Hence no DJANGO_SETTINGS_MODULE in pyproject: pytest-django would load them first.
# Jobs run inline in tests (no worker); the end-to-end worker tests start a real consumer
# with HUEY_IMMEDIATE=false in its own environment.
os.environ.setdefault("HUEY_IMMEDIATE", "true")
_django.setup()

# The sync Playwright API runs an event loop in the test thread (live_server tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# In CI, property tests draw the same examples every run: a red build is always reproducible.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def fast_hasher(request: pytest.FixtureRequest) -> None:
    """Tests that touch the database hash passwords with MD5: fast, and never in production."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("settings").PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher"
        ]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"],
    }


@pytest.fixture
def cleo(db: None) -> Any:
    from kratom_recovery.web.accounts.actions import create_staff_user

    return create_staff_user("cleo", PASSWORD, "clinician", "Cleo")


@pytest.fixture
def otto(db: None) -> Any:
    from kratom_recovery.web.accounts.actions import create_staff_user

    return create_staff_user("otto", PASSWORD, "clinician", "Otto")


@pytest.fixture
def ada(db: None) -> Any:
    from kratom_recovery.web.accounts.actions import create_staff_user

    return create_staff_user("ada", PASSWORD, "admin", "Ada")


@pytest.fixture(name="make_patient")
def make_patient_fixture(db: None) -> Any:
    return make_patient


@pytest.fixture
def pat(cleo: Any) -> Any:
    return make_patient("pat", cleo)


@pytest.fixture
def bob(cleo: Any) -> Any:
    return make_patient("bob", cleo)
