"""The offline round trip with the server really stopped (Playwright's offline switch does not
stop a service worker's requests): the check-in page and the crisis numbers open from the
service worker's cache, a check-in finished with the server down is kept on the phone and
sent when it is back, recorded once even when sent twice; a refused one is shown with its
reason; signing out with one unsent asks, and leaves no cache or queue behind."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from kratom_recovery.web.config import SQLITE_NAME
from tests.support.serve import free_port, run_cli, server_env, serving

pytestmark = [pytest.mark.e2e]

PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "offline-test-password-7"
QUEUE = "kr-offline-checkins"

MIGRATE = "from django.core.management import call_command; call_command('migrate', verbosity=0)"
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from kratom_recovery.web.patients.actions import complete_onboarding, register_patient
from tests.support.personas import profile_data
p = register_patient("olive", {PASSWORD!r}, "Olive", zone="America/Chicago")
complete_onboarding(p, p.user, profile_data(
    timezone="America/Chicago",
    last_dose=(timezone.now() - timedelta(hours=60)).isoformat()), now=timezone.now())
"""
# Every question answered (the first choice of each radio group, no danger symptom, "No" to
# the self-harm question), then submitted as the person's Save button would.
FILL_AND_SUBMIT = """() => {
  const form = document.getElementById('checkin-form');
  const groups = new Set([...form.querySelectorAll('input[type=radio]')].map(i => i.name));
  for (const name of groups) {
    const wanted = name === 'self_harm_thoughts' ? '[value=no]' : '';
    const input = form.querySelector(`input[name="${name}"]${wanted}`) ||
      form.querySelector(`input[name="${name}"]`);
    input.checked = true;
  }
  form.dispatchEvent(new Event('change', {bubbles: true}));
  form.requestSubmit();
}"""


def counts(env: dict[str, str]) -> tuple[int, int]:
    """Check-ins and stored idempotency keys, read from the server's SQLite file (browser
    tests run in the SQLite pass only; a Django shell per look would cost seconds)."""
    path = Path(env["KRATOM_RECOVERY_HOME"]) / SQLITE_NAME
    with closing(sqlite3.connect(path)) as db:
        checkins = db.execute("SELECT COUNT(*) FROM patients_checkin").fetchone()[0]
        keys = db.execute("SELECT COUNT(*) FROM api_idempotencykey").fetchone()[0]
    return int(checkins), int(keys)


def queue(page: Page) -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads(
        page.evaluate(f"() => localStorage.getItem('{QUEUE}') || '[]'"))
    return items


def cache_names(page: Page) -> list[str]:
    names: list[str] = page.evaluate("() => caches.keys()")
    return names


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    with server_env(tmp_path / "home") as base_env:
        env = {**base_env, "SECURE_COOKIES": "false", "REQUEST_LOG": "off"}
        run_cli(env, "manage", "shell", "-c", f"{MIGRATE}\n{SETUP}")  # one start-up
        yield env


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, timezone_id="America/Chicago")
    yield context
    context.close()


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", "olive")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/me/**")


def installed(page: Page, base: str) -> None:
    """The worker controls the page and has kept the check-in form and the help page."""
    page.evaluate("() => navigator.serviceWorker.ready")
    page.goto(f"{base}/me/checkin/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.goto(f"{base}/me/checkin/")  # fetched through the worker, which keeps a copy
    page.wait_for_function("""() => Promise.all([caches.match('/me/checkin/'),
                                                 caches.match('/help/')])
                                      .then(found => found.every(Boolean))""")


def test_offline_checkin_round_trip(env: dict[str, str], phone: BrowserContext,
                                    tmp_path: Path, artifacts: Path) -> None:
    port = free_port()
    page = phone.new_page()
    with serving(env, tmp_path / "serve-1.out", workers=1, port=port) as base:
        sign_in(page, base)
        installed(page, base)

    # The server is stopped. The check-in form and the crisis numbers still open.
    page.goto(f"{base}/me/checkin/")
    expect(page.locator("#checkin-form")).to_be_attached()
    page.evaluate(FILL_AND_SUBMIT)
    status = page.get_by_test_id("offline-status")
    expect(status).to_contain_text("kept on this phone")
    page.screenshot(path=str(artifacts / "offline-queued.png"), full_page=True)
    [item] = queue(page)
    assert item["state"] == "queued" and item["completedAt"]
    page.goto(f"{base}/me/")  # never kept: the offline page, with the numbers as links
    expect(page.locator("a[href='tel:988']").first).to_be_visible()
    expect(page.locator("a[href='tel:911']").first).to_be_visible()
    page.goto(f"{base}/help/")
    expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
    assert counts(env) == (0, 0)

    with serving(env, tmp_path / "serve-2.out", workers=1, port=port):
        page.goto(f"{base}/me/")
        expect(page.get_by_test_id("offline-sent")).to_be_visible()
        assert queue(page) == []
        assert counts(env) == (1, 1)

        # The answer was lost on the way (the phone sends it again): recorded once.
        page.evaluate(f"(item) => localStorage.setItem('{QUEUE}', JSON.stringify([item]))",
                      item)
        page.reload()
        expect(page.get_by_test_id("offline-sent")).to_be_visible()
        assert counts(env) == (1, 1)

        # Refused (finished too long ago): shown with the reason, kept until discarded.
        stale = {**item, "key": "stale-1", "completedAt": "2020-01-01T08:00:00Z"}
        page.evaluate(f"(item) => localStorage.setItem('{QUEUE}', JSON.stringify([item]))",
                      stale)
        page.reload()
        reason = page.get_by_test_id("offline-reason")
        expect(reason).to_contain_text("completed_at")
        page.screenshot(path=str(artifacts / "offline-refused.png"), full_page=True)
        assert [i["state"] for i in queue(page)] == ["refused"]
        assert counts(env) == (1, 1)
        page.get_by_role("button", name="Discard it").click()
        assert queue(page) == []

        # Signing out with a check-in not saved asks first; discarding clears everything.
        # (A refused one, so the page's own resend cannot empty the queue first.)
        waiting = {**stale, "key": "waiting-1", "state": "refused", "reason": "kept"}
        page.evaluate(f"(item) => localStorage.setItem('{QUEUE}', JSON.stringify([item]))",
                      waiting)
        page.goto(f"{base}/help/")
        page.get_by_role("button", name="Sign out").click()
        dialog = page.get_by_test_id("signout-dialog")
        expect(dialog).to_be_visible()
        page.screenshot(path=str(artifacts / "offline-signout-question.png"))
        dialog.get_by_role("button", name="Discard it and sign out").click()
        page.wait_for_url(f"{base}/login/**")
        assert queue(page) == []
        assert not any(name == "kr-pages" for name in cache_names(page))
