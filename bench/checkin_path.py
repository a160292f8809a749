"""Check-in request path under load: gunicorn (as `serve` runs it) on SQLite.

Starts `kratom-recovery serve` on a throw-away data folder with synthetic demo patients,
signs each in, then POSTs daily check-ins from several client threads for a fixed number
of requests and reports throughput and latency percentiles. Compare with the stack baseline
measured before the project began ("POST one row, SQLite": gunicorn 2 sync workers, p99
9.7 ms) — ours
scores three instruments, evaluates the safety rules and the forecast, and writes the audit
trail in the same transaction, so it is expected to be slower than one bare row.

Run: .venv/bin/python bench/checkin_path.py [--requests 600] [--clients 8]
Writes bench/results/checkin_path.json. Traffic goes to 127.0.0.1 only, and stops by itself.
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
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._processes import wait_for_port  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "recovery-demo-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    """A tiny cookie-keeping HTTP client for one signed-in patient."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None
                ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": "http://127.0.0.1/"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/login/")
        token = CSRF.search(page)
        assert token, "no CSRF token on the login page"
        status, _ = self.request("POST", "/login/", {
            "csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD})
        assert status == 302, f"login failed for {username}: {status}"

    def checkin_form(self) -> dict[str, str]:
        _, page = self.request("GET", "/me/checkin/")
        token = CSRF.search(page)
        assert token, "no CSRF token on the check-in page"
        names = sorted(set(re.findall(r'name="((?:sows|craving|daily-extra)-[a-z-]+)"', page)))
        form = {name: "1" for name in names}
        form.update({"csrfmiddlewaretoken": token.group(1), "daily-extra-pulse": "80",
                     "sleep_hours": "6", "mood": "3", "self_harm_thoughts": "no"})
        return form



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--patients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="kr-bench-")
    env = {**os.environ, "KRATOM_RECOVERY_HOME": home}
    env.pop("DATABASE_URL", None)
    cli = str(BIN / "kratom-recovery")
    seeded = subprocess.run([cli, "demo", "--patients", str(args.patients)], env=env,
                            check=True, capture_output=True, text=True)
    usernames = [line.split()[1] for line in seeded.stdout.splitlines()
                 if line.split()[:1] == ["patient"]]
    server = subprocess.Popen([cli, "serve", "--port", str(args.port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(args.port, 30)
        sessions = []
        for index in range(args.clients):
            session = Session(args.port)
            session.login(usernames[index % len(usernames)])
            sessions.append(session)
        latencies: list[float] = []
        errors: list[int] = []
        lock = threading.Lock()
        per_client = args.requests // args.clients

        def worker(session: Session) -> None:
            form = session.checkin_form()
            for _ in range(per_client):
                started = time.perf_counter()
                status, _ = session.request("POST", "/me/checkin/", form)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status != 302:
                        errors.append(status)

        threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)

    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100)
    result = {
        "benchmark": "POST /me/checkin/ (score 3 instruments, safety, audit) via gunicorn",
        "database": "sqlite (WAL, synchronous=NORMAL, IMMEDIATE)",
        "server": "gunicorn, 2 sync workers",
        "requests": len(latencies),
        "clients": args.clients,
        "errors": len(errors),
        "requests_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(quantiles[49], 2),
        "p95_ms": round(quantiles[94], 2),
        "p99_ms": round(quantiles[98], 2),
        "max_ms": round(latencies[-1], 2),
        "baseline": "stack baseline: POST one row, SQLite, gunicorn 2 sync: 2.7k req/s, p99 9.7 ms",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with the client)",
    }
    out = ROOT / "bench" / "results" / "checkin_path.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
