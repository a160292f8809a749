"""The caseload keeps itself current in a real browser: an emergency raised for a caseload
patient is pinned and counted in the title within one poll; a failed poll (network error,
then a signed-out session) puts up "NOT UPDATING" within one poll interval."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, Route, expect

from tests.support.personas import PASSWORD, make_patient

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POLL = 1  # seconds; the page's own setting is 30
WITHIN = POLL * 1000 * 4  # ms: one poll interval plus the request, with room for a slow CI


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def screenshots(page: Page, artifacts: Path) -> None:
    """Desktop and phone, light and dark, with the emergency pinned."""
    for width, height, size in ((1280, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.screenshot(path=str(artifacts / f"caseload-emergency-{size}-{scheme}.png"))
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_caseload_pins_a_new_emergency_and_says_when_it_stops_updating(
    page: Page, browser: Browser, live_server: Any, artifacts: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.clinic import live
    from kratom_recovery.web.patients.actions import record_checkin
    from kratom_recovery.web.safety.models import Alert

    monkeypatch.setattr(live, "POLL_SECONDS", POLL)
    cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo")
    cleo.timezone = "America/New_York"
    cleo.save(update_fields=["timezone"])
    pat = make_patient("pat", cleo)
    make_patient("sam", cleo)

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, "cleo")
    expect(page).to_have_url(re.compile(r"/clinic/$"))
    banner = page.get_by_test_id("emergency-banner")
    expect(banner).to_be_hidden()
    expect(page).to_have_title("Caseload — Kratom recovery")
    expect(page.get_by_test_id("live-status")).to_contain_text("Loaded at")

    # The patient reports chest pain: the real check-in action runs the safety rules.
    record_checkin(pat, pat.user, {"craving": [3]}, danger_symptoms=["chest-pain"],
                   self_harm_thoughts=False, now=timezone.now() - timedelta(minutes=3))
    counted = Alert.objects.filter(acknowledged_at=None,
                                   severity__in=("urgent", "emergency")).count()
    assert counted >= 1
    expect(banner).to_be_visible(timeout=WITHIN)
    expect(banner).to_contain_text("Pat — Emergency symptom reported")
    expect(banner).to_contain_text(re.compile(r"\d\d:\d\d E[SD]T · 3 min ago"))
    expect(page).to_have_title(f"({counted}) Caseload — Kratom recovery", timeout=WITHIN)
    expect(page.locator("#new-alerts")).to_contain_text("New alerts since this page loaded")
    expect(page.get_by_test_id("live-status")).to_contain_text("Last updated at")
    screenshots(page, artifacts)

    # The network fails: NOT UPDATING within a poll; it clears when a poll gets through.
    stale = page.get_by_test_id("not-updating")
    expect(stale).to_be_hidden()

    def fail(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/clinic/alerts.json", fail)
    expect(stale).to_be_visible(timeout=WITHIN)
    expect(stale).to_contain_text("NOT UPDATING")
    page.unroute("**/clinic/alerts.json", fail)
    expect(stale).to_be_hidden(timeout=WITHIN)

    # Signed out elsewhere with the same session: the next poll gets 401.
    other = browser.new_context(storage_state=page.context.storage_state())
    try:
        elsewhere = other.new_page()
        elsewhere.goto(f"{live_server.url}/clinic/")
        elsewhere.get_by_role("button", name="Sign out").click()
        expect(elsewhere).to_have_url(re.compile(r"/login/"))
    finally:
        other.close()
    expect(stale).to_be_visible(timeout=WITHIN)
    expect(stale).to_have_text(re.compile(r"NOT UPDATING: sign in again"))
    expect(banner).to_be_visible()  # the last known emergencies stay on screen
    page.screenshot(path=str(artifacts / "caseload-not-updating.png"))
