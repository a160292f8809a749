"""Two-factor sign-in in a real browser: a clinician enrols by reading the key off the page,
keeps the backup codes, and signs in again with a code, on a phone-sized screen and on a
desktop one (screenshots in test-artifacts/)."""

from __future__ import annotations

import time
from base64 import b32decode
from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password-9"


def code_from(secret_text: str, at: float) -> str:
    key = b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = at
    return f"{totp.token():06d}"


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 900)])
def test_enrol_and_sign_in_with_a_code(page: Page, live_server: Any, artifacts: Path,
                                       width: int, height: int) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user

    create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("cleo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/account/two-factor/")
    expect(page.get_by_test_id("totp-qr")).to_be_visible()
    page.screenshot(path=str(artifacts / f"two-factor-enrol-{width}.png"), full_page=True)
    secret = page.get_by_test_id("totp-secret").inner_text()
    enrolled_at = time.time() - 30  # the previous time step: the sign-in below uses a new one
    page.get_by_label("Code from the app").fill(code_from(secret, enrolled_at))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_test_id("backup-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    page.get_by_role("button", name="Sign out").click()
    # Sign-out first clears this device's caches (js/offline.js), then leaves the page.
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("cleo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your sign-in code")).to_be_visible()
    page.screenshot(path=str(artifacts / f"two-factor-code-{width}.png"), full_page=True)
    page.get_by_label("Code").fill(code_from(secret, time.time()))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="Caseload")).to_be_visible()
