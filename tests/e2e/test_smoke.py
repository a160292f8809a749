"""Smoke: a new person signs up, onboards, checks in and sees the history; a clinician
sees them on the caseload — all in a real browser against a live server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from kratom_recovery.care.instruments import get_instrument

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password-9"


def test_signup_onboard_checkin_and_caseload(
    page: Page, live_server: Any, artifacts: Path
) -> None:
    from kratom_recovery.web.accounts.actions import create_invite, create_staff_user

    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    code = create_invite(cleo).code
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}/signup/")
    page.get_by_label("Username").fill("robin")
    page.get_by_label("What should we call you?").fill("Robin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Your age").fill("34")
    page.get_by_label("Invite code from your clinician (optional)").fill(code)
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="About your kratom use")).to_be_visible()
    page.get_by_label("Leaf powder or tea").check()
    page.get_by_label("How much per day, in total?").fill("15")
    page.get_by_label("How many times a day do you take it?").fill("3")
    page.get_by_label("For how many years have you used it regularly?").fill("2")
    page.get_by_label("When was your last dose?").fill("2026-01-01T08:00")
    page.get_by_label("Some support").check()
    page.get_by_label("Stop now").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("days-free")).to_be_visible()
    page.get_by_role("link", name="Check in for today").click()
    # One section per screen: answer what each shows, then Next (the last one saves).
    page.locator("input[name='self_harm_thoughts'][value='no']").check(force=True)
    page.locator("input[name='craving-craving'][value='6']").check(force=True)
    page.locator("#screen-now").get_by_test_id("next").click()
    items = get_instrument("sows").items
    for screen, part in (("sows-1", items[:8]), ("sows-2", items[8:])):
        for item in part:
            page.locator(f"input[name='sows-{item.id}'][value='1']").check(force=True)
        page.locator(f"#screen-{screen}").get_by_test_id("next").click()
    for item in get_instrument("daily-extra").items:
        if not item.optional:
            page.locator(f"input[name='daily-extra-{item.id}'][value='2']").check(force=True)
    page.locator("#screen-extras").get_by_test_id("next").click()
    page.get_by_test_id("save-checkin").click()

    expect(page.get_by_text("Check-in saved")).to_be_visible()
    page.screenshot(path=str(artifacts / "smoke-after-checkin.png"), full_page=True)
    page.get_by_role("link", name="Home", exact=True).click()
    row = page.get_by_test_id("history-table").locator("tbody tr").first
    expect(row).to_contain_text("16")  # SOWS total: 16 items × 1
    page.screenshot(path=str(artifacts / "smoke-patient-home.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    # Sign-out first clears this device's caches (js/offline.js), then leaves the page.
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("cleo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The caseload table's row, not the alerts list above it (which names Robin too).
    row = page.get_by_role("table", name="Patients, most urgent first").get_by_role(
        "row").filter(has_text="Robin")
    expect(row.get_by_role("link", name="Robin", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "smoke-caseload.png"), full_page=True)
