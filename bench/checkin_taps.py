"""Taps, screens and estimated seconds of a daily check-in on a 390×844 phone.

Starts `kratom-recovery serve` on a throw-away data folder with the synthetic demo, signs in
as the demo patient `pat` (someone who has checked in before), and drives Debian's Chromium
through the full check-in and the quick (bad-night) one, answering every required question
with one tap and counting each tap, each screen and each scroll a screen needs. Then it
estimates the time with stated costs per action (a returning user who knows the questions):

    answer tap   2.0 s  read a familiar question, tap an answer
    other tap    1.0 s  Next, Save
    scroll       1.0 s  one swipe, for each further phone-screen of a long screen

These costs are our assumption for a practised user, not a measurement of people; the counts
are measured. Goal: 60 s or less for the full check-in.

Run: .venv/bin/python bench/checkin_taps.py
Writes bench/results/checkin_taps.json and the table in docs/phone.md.
"""

from __future__ import annotations

import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "recovery-demo-2026"
VIEWPORT: ViewportSize = {"width": 390, "height": 844}
SECONDS = {"answer": 2.0, "tap": 1.0, "scroll": 1.0}
GOAL_S = 60.0
DOC = ROOT / "docs" / "phone.md"
BEGIN, END = "<!-- checkin_taps:begin -->", "<!-- checkin_taps:end -->"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def scrolls_for(page: Page, selector: str) -> int:
    """Further phone-screens a screen's section needs beyond the first."""
    height = page.locator(selector).evaluate("el => el.getBoundingClientRect().height")
    return max(0, math.ceil(float(height) / VIEWPORT["height"]) - 1)


def run_checkin(page: Page, base: str, quick: bool) -> dict[str, Any]:
    page.goto(f"{base}/me/checkin/{'?quick=1' if quick else ''}")
    counts = {"answer": 0, "tap": 0, "scroll": 0, "screens": 0}
    screens = page.locator("[data-screen]")
    for index in range(screens.count()):
        screen = screens.nth(index)
        counts["screens"] += 1
        counts["scroll"] += scrolls_for(page, f"#{screen.get_attribute('id')}")
        fields = screen.locator(".field.required")
        for n in range(fields.count()):
            field = fields.nth(n)
            # One tap: "No" on the yes/no question, 1 on a scale.
            no = field.locator("input[value=no]")
            target = no if no.count() else field.locator("input[type=radio]").nth(1)
            target.check(force=True)
            counts["answer"] += 1
        next_button = screen.get_by_test_id("next")
        if next_button.count():
            next_button.click()
            counts["tap"] += 1
    page.get_by_test_id("save-checkin").click()
    counts["tap"] += 1
    page.get_by_test_id("result-card").wait_for()
    taps = counts["answer"] + counts["tap"]
    seconds = sum(counts[k] * SECONDS[k] for k in SECONDS)
    return {**counts, "taps": taps, "seconds": round(seconds, 1)}


def write_doc(results: dict[str, Any]) -> None:
    rows = [
        "| check-in | screens | answer taps | other taps | scrolls | taps | estimated s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in ("full", "quick"):
        r = results[name]
        rows.append(f"| {name} | {r['screens']} | {r['answer']} | {r['tap']} | {r['scroll']} "
                    f"| {r['taps']} | {r['seconds']} |")
    rows.append("")
    rows.append(f"Measured {results['measured_at']} with `.venv/bin/python bench/checkin_taps.py`"
                f" at {VIEWPORT['width']}×{VIEWPORT['height']}; seconds per action: answer "
                f"{SECONDS['answer']}, other tap {SECONDS['tap']}, scroll {SECONDS['scroll']}. "
                f"Goal for the full check-in: {GOAL_S:.0f} s or less "
                f"({'met' if results['full']['seconds'] <= GOAL_S else 'not met'}).")
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    DOC.write_text(text[:start] + "\n" + "\n".join(rows) + "\n" + text[end:], encoding="utf-8")


def main() -> int:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kr-taps-") as home:
        env = {**os.environ, "KRATOM_RECOVERY_HOME": home, "SECURE_COOKIES": "false",
               "LOG_LEVEL": "WARNING"}
        env.pop("DATABASE_URL", None)
        cli = str(BIN / "kratom-recovery")
        subprocess.run([cli, "demo"], env=env, check=True, capture_output=True, timeout=300)
        server = subprocess.Popen([cli, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            base = f"http://127.0.0.1:{port}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM)
                try:
                    page = browser.new_context(viewport=VIEWPORT).new_page()
                    page.goto(f"{base}/login/")
                    page.fill("#id_username", "pat")
                    page.fill("#id_password", PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_url(lambda url: "/login/" not in url)
                    results: dict[str, Any] = {
                        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                        "viewport": VIEWPORT, "seconds_per_action": SECONDS,
                        "full": run_checkin(page, base, quick=False),
                        "quick": run_checkin(page, base, quick=True),
                    }
                finally:
                    browser.close()
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    out = ROOT / "bench" / "results" / "checkin_taps.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    write_doc(results)
    print(json.dumps(results, indent=2))
    return 0 if results["full"]["seconds"] <= GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
