"""A check-in against an authenticated GET /api/v1/me, in one run: in-process and via gunicorn.

1. In-process (Django's test client, the whole middleware stack, no network): the median
   server time of a check-in (API POST /api/v1/patients/<id>/checkins and the signed-in web
   form POST /me/checkin/) over the median of GET /api/v1/me, the requests interleaved so a
   busy machine slows both alike; and the SQL statements each sends (BEGIN/COMMIT apart).
2. Through gunicorn as `kratom-recovery serve` runs it (2 sync workers), with 16 client
   threads: requests per second of each check-in over GET /api/v1/me, phases alternated
   (me, API, web, me, API, web) and summed.

Patients are synthetic, made through the real actions, each with yesterday's check-in, so
the measured check-ins are the first of the day and then updates of it. SQLite by default;
`DATABASE_URL=postgres://…/perf_write_bench` (a database this script may drop and create)
measures PostgreSQL. Targets: in-process ratio ≤ 3.5, throughput ratio ≥ 0.35.

Run: .venv/bin/python bench/checkin_ratio.py [--requests 300] [--seconds 8] [--clients 16]
Writes bench/results/checkin_ratio_<sqlite|postgresql>.json. Traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._processes import wait_for_port  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "a-long-bench-password-1"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SOWS = [1] * 16
# A browser follows the form's redirect, and that page shows (and so clears) the "saved"
# message the form left in this cookie. The bench does not fetch that page, so it drops the
# cookie before each form post instead: kept, it would pile up one message per post to the
# cookie's 4 KB limit, and Django would trim that pile on every response, which no real
# visitor's post pays for.
MESSAGES_COOKIE = "messages"


def recreate_postgres(url: str) -> None:
    """Drop and create the database named in `url` (the benchmark's own)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(database_url: str) -> None:
    os.environ["KRATOM_RECOVERY_HOME"] = tempfile.mkdtemp(prefix="kr-bench-ratio-")
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        recreate_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["SECURE_COOKIES"] = "false"
    os.environ["HUEY_IMMEDIATE"] = "true"
    os.environ["REQUEST_LOG"] = "off"  # in-process only: the server below logs as it would
    from kratom_recovery.commands import _django

    _django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_patients(prefix: str, count: int) -> list[tuple[Any, str]]:
    """(patient, API token) each, onboarded, with yesterday's check-in."""
    from django.utils import timezone

    from kratom_recovery.web.accounts.tokens import create_token
    from kratom_recovery.web.patients.actions import (
        complete_onboarding,
        record_checkin,
        register_patient,
    )

    now = timezone.now()
    made = []
    for n in range(count):
        patient = register_patient(f"{prefix}{n}", PASSWORD, f"Bench {n}")
        complete_onboarding(patient, patient.user, {
            "product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
            "years_of_use": "2", "last_dose": (now - timedelta(hours=40)).isoformat(),
            "timezone": "UTC", "support": "some", "previous_attempts": 1, "goal": "stop",
        }, now=now - timedelta(days=1, hours=2))
        record_checkin(patient, patient.user, {"sows": SOWS, "craving": [3]},
                       now=now - timedelta(days=1), mood=3)
        made.append((patient, create_token(patient.user, "bench")[1]))
    return made


def api_body(n: int) -> dict[str, Any]:
    return {"answers": {"sows": SOWS, "craving": [n % 10]}, "mood": 3, "sleep_hours": 6.5}


def web_form(page: str, n: int) -> dict[str, str]:
    names = sorted(set(re.findall(r'name="((?:sows|craving|daily-extra)-[a-z-]+)"', page)))
    form = dict.fromkeys(names, "1")
    form.update({"craving-craving": str(n % 10), "daily-extra-pulse": "80",
                 "self_harm_thoughts": "no", "note": "ok"})
    return form


def in_process(requests: int, patients: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    made = make_patients("inproc", patients)
    api, web = Client(), Client()
    web.force_login(made[0][0].user)
    token = made[0][1]
    auth = {"Authorization": f"Bearer {token}"}
    page = web.get("/me/checkin/").content.decode()

    def me() -> int:
        return api.get("/api/v1/me", headers=auth).status_code

    def post_api(n: int) -> int:
        patient, key = made[n % len(made)]
        return api.post(f"/api/v1/patients/{patient.pk}/checkins", json.dumps(api_body(n)),
                        content_type="application/json",
                        headers={"Authorization": f"Bearer {key}"}).status_code

    def post_web(n: int) -> int:
        # Encoded as the page's form is sent (no enctype: urlencoded), not as the test
        # client's multipart default, whose parser costs several times more. The "saved"
        # message is dropped as the redirect's page would show it (MESSAGES_COOKIE).
        web.cookies.pop(MESSAGES_COOKIE, None)
        return web.post("/me/checkin/", urllib.parse.urlencode(web_form(page, n)),
                        content_type="application/x-www-form-urlencoded").status_code

    def statements(send: Callable[[], int]) -> int:
        with CaptureQueriesContext(connection) as queries:
            send()
        return sum(not q["sql"].startswith(("BEGIN", "COMMIT")) for q in queries)

    counts = {"me": statements(me), "api_first_of_day": statements(lambda: post_api(1)),
              "api_update": statements(lambda: post_api(1)),
              "web_first_of_day": statements(lambda: post_web(1)),
              "web_update": statements(lambda: post_web(2))}
    times: dict[str, list[float]] = {"me": [], "api": [], "web": []}
    senders: dict[str, Callable[[int], int]] = {"me": lambda n: me(), "api": post_api,
                                                "web": post_web}
    for n in range(requests):
        for name, send in senders.items():
            started = time.perf_counter()
            status = send(n)
            times[name].append((time.perf_counter() - started) * 1000)
            assert status in ((302,) if name == "web" else (200, 201)), f"{name}: {status}"
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "requests_each": requests,
        "median_ms": {name: round(value, 2) for name, value in medians.items()},
        "ratio_api_to_me": round(medians["api"] / medians["me"], 2),
        "ratio_web_to_me": round(medians["web"] / medians["me"], 2),
        "target_ratio_at_most": 3.5,
        "queries": counts,
    }


class Session:
    """A tiny cookie-keeping HTTP client (one connection, keep-alive)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": "http://127.0.0.1/", **(headers or {})}
        self.conn.request(method, path, body=body, headers=sent)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def form(self, path: str, data: dict[str, str]) -> int:
        body = urllib.parse.urlencode(data)
        return self.request("POST", path, body,
                            {"Content-Type": "application/x-www-form-urlencoded"})[0]

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/login/")
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        status = self.form("/login/", {"csrfmiddlewaretoken": token.group(1),
                                       "username": username, "password": PASSWORD})
        assert status == 302, f"login failed for {username}: {status}"



def through_gunicorn(port: int, clients: int, seconds: float) -> dict[str, Any]:
    made = make_patients("served", clients)
    server = subprocess.Popen([str(BIN / "kratom-recovery"), "serve", "--port", str(port),
                               "--workers", "2", "--no-migrate"],
                              env={k: v for k, v in os.environ.items() if k != "REQUEST_LOG"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        sessions = []
        for patient, token in made:
            session = Session(port)
            session.login(patient.user.username)
            _, page = session.request("GET", "/me/checkin/")
            csrf = CSRF.search(page)
            assert csrf, "no CSRF token on the check-in page"
            sessions.append((session, patient, token, {**web_form(page, 1),
                                                       "csrfmiddlewaretoken": csrf.group(1)}))

        def me(s: Any, n: int) -> int:
            return s[0].request("GET", "/api/v1/me", None,
                                {"Authorization": f"Bearer {s[2]}"})[0]

        def post_api(s: Any, n: int) -> int:
            return s[0].request("POST", f"/api/v1/patients/{s[1].pk}/checkins",
                                json.dumps(api_body(n)),
                                {"Authorization": f"Bearer {s[2]}",
                                 "Content-Type": "application/json"})[0]

        def post_web(s: Any, n: int) -> int:
            s[0].cookies.pop(MESSAGES_COOKIE, None)  # shown by the redirect's page
            return s[0].form("/me/checkin/", s[3])

        def phase(send: Callable[[Any, int], int]) -> tuple[int, float, list[float], int]:
            latencies: list[float] = []
            errors = [0]
            lock = threading.Lock()
            stop = time.monotonic() + seconds

            def client(s: Any) -> None:
                n = 0
                while time.monotonic() < stop:
                    started = time.perf_counter()
                    status = send(s, n)
                    elapsed = (time.perf_counter() - started) * 1000
                    n += 1
                    with lock:
                        latencies.append(elapsed)
                        errors[0] += status not in ((302,) if send is post_web else (200, 201))

            threads = [threading.Thread(target=client, args=(s,)) for s in sessions]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return len(latencies), time.perf_counter() - started, latencies, errors[0]

        totals: dict[str, list[Any]] = {"me": [0, 0.0, [], 0], "api": [0, 0.0, [], 0],
                                        "web": [0, 0.0, [], 0]}
        for _ in range(2):
            for name, send in (("me", me), ("api", post_api), ("web", post_web)):
                count, wall, latencies, errors = phase(send)
                totals[name][0] += count
                totals[name][1] += wall
                totals[name][2] += latencies
                totals[name][3] += errors
    finally:
        server.terminate()
        server.wait(timeout=20)
    result: dict[str, Any] = {"clients": clients, "seconds_per_phase": seconds, "phases": 2}
    rps = {}
    for name, (count, wall, latencies, errors) in totals.items():
        rps[name] = count / wall
        cuts = statistics.quantiles(latencies, n=100)
        result[name] = {"requests": count, "errors": errors,
                        "requests_per_second": round(rps[name], 1),
                        "p50_ms": round(cuts[49], 1), "p99_ms": round(cuts[98], 1)}
    result["ratio_api_to_me"] = round(rps["api"] / rps["me"], 3)
    result["ratio_web_to_me"] = round(rps["web"] / rps["me"], 3)
    result["target_ratio_at_least"] = 0.35
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="in-process, each kind")
    parser.add_argument("--patients", type=int, default=20, help="in-process API patients")
    parser.add_argument("--seconds", type=float, default=8.0, help="gunicorn, each phase")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    setup(database_url)
    from django.db import connection

    vendor = connection.vendor
    result = {
        "benchmark": "check-in (API and web form) against GET /api/v1/me, in one run",
        "database": vendor,
        "in_process": in_process(args.requests, args.patients),
        "gunicorn": through_gunicorn(args.port, args.clients, args.seconds),
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared (client and server "
                   f"on the same cores; other work running)",
    }
    out = ROOT / "bench" / "results" / f"checkin_ratio_{vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    errors = sum(result["gunicorn"][k]["errors"] for k in ("me", "api", "web"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
