"""Scale-out proof: two app servers and two workers behind nginx, on one PostgreSQL and one Redis.

Starts, on loopback only, the topology docs/operations.md describes ("Several app servers"):
- a fresh PostgreSQL database (dropped and made again) and a Redis queue of its own;
- two `kratom-recovery serve` processes (2 gunicorn workers each) and two `kratom-recovery
  worker` processes, all sharing the same settings and data folder;
- nginx (Debian's package) in front, balancing requests between the two app servers;
- an SMTP server in this process, as the clinicians' mailbox.

Then runs mixed load through nginx for --seconds (default 30): patients check in (some with a
danger symptom, which raises an emergency alert the workers deliver by e-mail), log uses and
read their own records; two clinicians read their caseloads. It reports throughput and p99 per
kind of request and checks, at the end:
- no response carried another user's data (each answer names its caller, and a caseload lists
  only that clinician's patients);
- no write was lost (every acknowledged use is in the database, and every patient's check-in
  holds the last note that was acknowledged);
- every alert was delivered, and no notice arrived twice.

Not in CI: it needs nginx, PostgreSQL and Redis, and takes about a minute.
Run: .venv/bin/python bench/scale_out.py [--seconds 30] [--patients 40] [--clients 16]
Writes bench/results/scale_out.json; exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._processes import percentile, stop, wait_for_port  # noqa: E402

RESULT = ROOT / "bench" / "results" / "scale_out.json"
CALM = {"sows": [1] * 8 + [0] * 8, "craving": [3], "daily-extra": [1, 1, 1, 1, 1]}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ALERT_SHARE = 0.1  # of the patients: each sends one check-in with a danger symptom
NGINX_CONF = """\
worker_processes 1;
pid {home}/nginx.pid;
error_log {home}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {home}/nginx-body;
    proxy_temp_path {home}/nginx-proxy;
    fastcgi_temp_path {home}/nginx-fastcgi;
    uwsgi_temp_path {home}/nginx-uwsgi;
    scgi_temp_path {home}/nginx-scgi;
    upstream app {{ server 127.0.0.1:{app1}; server 127.0.0.1:{app2}; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


@dataclass
class Tally:
    """What the load threads saw: latencies per kind, failures, and what was acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    foreign: list[str] = field(default_factory=list)
    uses: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    last_note: dict[int, str] = field(default_factory=dict)
    alerts_sent: set[int] = field(default_factory=set)

    def took(self, kind: str, seconds: float, status: int, expected: tuple[int, ...]) -> bool:
        with self.lock:
            self.latencies[kind].append(seconds)
            if status not in expected:
                self.errors[f"{kind} {status}"] += 1
                return False
        return True


class Client:
    """One keep-alive connection to nginx with a bearer token."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             key: str = "") -> tuple[int, Any, float]:
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        started = time.perf_counter()
        try:
            self.conn.request(method, f"/api/v1{path}", body=data, headers=headers)
            response = self.conn.getresponse()
            text = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, None, time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            payload = json.loads(text) if text else None
        except ValueError:
            payload = None
        return response.status, payload, elapsed


def patient_loop(port: int, patients: list[dict[str, Any]], tally: Tally,
                 stop_at: float) -> None:
    """Some patients' phones, in turn: check-ins (each with a new note), use logs and reads of
    their own data. Each patient belongs to one thread, so "last acknowledged" is well defined."""
    clients = [Client(port, patient["token"]) for patient in patients]
    rng = random.Random(patients[0]["id"])
    count = 0
    while time.monotonic() < stop_at:
        count += 1
        turn = count % len(patients)
        client, patient = clients[turn], patients[turn]
        pid, name = patient["id"], patient["username"]
        roll = rng.random()
        if roll < 0.4:
            note = f"{name}-{count}"
            body: dict[str, Any] = {"answers": CALM, "note": note, "mood": 3}
            alert = patient["alerting"] and pid not in tally.alerts_sent
            if alert:
                body["danger_symptoms"] = ["chest-pain"]
            status, _, took = client.call("POST", f"/patients/{pid}/checkins", body,
                                          key=secrets.token_hex(8))
            if tally.took("check-in", took, status, (200, 201)):
                with tally.lock:
                    tally.last_note[pid] = note
                    if alert:
                        tally.alerts_sent.add(pid)
        elif roll < 0.6:
            body = {"taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "amount": 1.5, "unit": "g"}
            status, payload, took = client.call("POST", f"/patients/{pid}/uses", body,
                                                key=secrets.token_hex(8))
            if tally.took("use log", took, status, (201,)):
                with tally.lock:
                    tally.uses[pid].add(int(payload["id"]))
        elif roll < 0.8:
            status, payload, took = client.call("GET", "/me")
            if tally.took("me", took, status, (200,)) and (
                    payload["username"] != name or payload["patient_id"] != pid):
                with tally.lock:
                    tally.foreign.append(f"/me for {name} answered {payload['username']}")
        else:
            status, payload, took = client.call("GET", f"/patients/{pid}")
            if tally.took("own record", took, status, (200,)) and payload["id"] != pid:
                with tally.lock:
                    tally.foreign.append(f"record of {name} answered patient {payload['id']}")


def sign_in(port: int, username: str) -> dict[str, str]:
    """A signed-in browser session (cookies) through the proxy, as the login form makes one."""
    from tests.support.personas import PASSWORD

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login/")
    response = conn.getresponse()
    page = response.read().decode()
    cookies = cookie_jar(response, {})
    token = CSRF.search(page)
    if token is None:
        raise SystemExit("the sign-in page has no CSRF token")
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrfmiddlewaretoken": token.group(1)})
    conn.request("POST", "/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)})
    response = conn.getresponse()
    response.read()
    cookies = cookie_jar(response, cookies)
    if response.status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"{username} could not sign in ({response.status})")
    return cookies


def cookie_jar(response: http.client.HTTPResponse, cookies: dict[str, str]) -> dict[str, str]:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def clinician_loop(port: int, clinician: dict[str, Any], strangers: list[str], tally: Tally,
                   stop_at: float) -> None:
    """A clinician's caseload: the web page (signed in) and the API list, read in turn. Neither
    may name a patient of the other clinician."""
    client = Client(port, clinician["token"])
    mine = set(clinician["patients"])
    cookies = sign_in(port, clinician["username"])
    web = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        web.request("GET", "/clinic/", headers={"Cookie": cookie_header(cookies)})
        response = web.getresponse()
        page = response.read().decode()
        if tally.took("caseload page", time.perf_counter() - started, response.status, (200,)):
            seen = [name for name in strangers if name in page]
            if seen:
                with tally.lock:
                    tally.foreign.append(f"caseload page of {clinician['username']} named "
                                         f"{len(seen)} other patients")
        status, payload, took = client.call("GET", "/patients?limit=50")
        if tally.took("caseload API", took, status, (200,)):
            items = payload["items"] if isinstance(payload, dict) else payload
            others = {item["id"] for item in items} - mine
            if others:
                with tally.lock:
                    tally.foreign.append(f"caseload API of {clinician['username']} listed "
                                         f"{len(others)} other patients")



def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)




def fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup(patients: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two clinicians, each with half the patients, and an API token for everyone."""
    from kratom_recovery.commands import _django

    _django.setup()
    _django.migrate()
    from kratom_recovery.web.accounts.actions import create_staff_user
    from kratom_recovery.web.accounts.tokens import create_token
    from tests.support.personas import PASSWORD, make_patient

    clinicians = []
    people = []
    alerting = max(1, round(patients * ALERT_SHARE))
    for index, name in enumerate(("cleo", "dana")):
        user = create_staff_user(name, PASSWORD, "clinician", name.title(),
                                 f"{name}@example.org")
        mine = []
        for number in range(index, patients, 2):
            patient = make_patient(f"pat{number:04d}", user)  # fixed width: no name in another
            mine.append(patient.pk)
            people.append({"id": patient.pk, "username": patient.user.username,
                           "token": create_token(patient.user, "bench")[1],
                           "name": patient.user.display_name, "alerting": number < alerting})
        clinicians.append({"username": name, "patients": mine,
                           "token": create_token(user, "bench", verified=True)[1]})
    from django.db import connections

    connections.close_all()
    return clinicians, people


def check_writes(tally: Tally) -> dict[str, Any]:
    """Compare what the servers acknowledged with what is in the database."""
    from kratom_recovery.web.patients.models import CheckIn, UseEvent

    acknowledged = {use for uses in tally.uses.values() for use in uses}
    stored = set(UseEvent.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
    stale = [pid for pid, note in tally.last_note.items()
             if CheckIn.objects.filter(patient_id=pid).order_by("-updated_at")
             .values_list("note", flat=True).first() != note]
    return {"uses_acknowledged": len(acknowledged), "uses_missing": len(acknowledged - stored),
            "checkins_with_stale_note": len(stale)}


def check_notices(mailbox: Any, alerts: int, timeout: float) -> dict[str, Any]:
    """Wait until every alert's deliveries are sent, then count what the mailbox received."""
    from kratom_recovery.web.notify.models import Delivery, Status
    from kratom_recovery.web.safety.models import Alert

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        raised = Alert.objects.filter(severity="emergency").count()
        pending = Delivery.objects.exclude(status__in=(Status.SENT, Status.FAILED)).count()
        if raised >= alerts and pending == 0 and Delivery.objects.exists():
            break
        time.sleep(0.5)
    time.sleep(3)  # long enough for a duplicate to show up
    sent = list(Delivery.objects.filter(status=Status.SENT, channel="email")
                .values_list("message_id", flat=True))
    with mailbox.lock:
        received = [str(message["Message-ID"]) for _, message in mailbox.messages]
    counts = Counter(received)
    return {
        "alerts_raised": Alert.objects.filter(severity="emergency").count(),
        "alerts_expected": alerts,
        "deliveries_sent": len(sent),
        "deliveries_not_sent": Delivery.objects.exclude(status=Status.SENT).count(),
        "messages_received": len(received),
        "duplicate_messages": sum(n - 1 for n in counts.values()),
        "sent_but_not_received": len(set(sent) - set(counts)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--patients", type=int, default=40)
    parser.add_argument("--clients", type=int, default=16, help="patient threads (plus 2 "
                        "clinician threads)")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/kr_scale_out",
                        help="PostgreSQL URL; the database is dropped and made again")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    from tests.support.notify import smtp_server
    from tests.support.serve import free_port

    home = Path(tempfile.mkdtemp(prefix="kr-bench-scale-"))
    fresh_database(args.database)
    queue = f"kr-scale-{secrets.token_hex(4)}"
    with ExitStack() as stack:
        mailbox, smtp_port = stack.enter_context(smtp_server())
        env = {**os.environ, "KRATOM_RECOVERY_HOME": str(home), "DATABASE_URL": args.database,
               "REDIS_URL": args.redis, "HUEY_QUEUE": queue, "HUEY_IMMEDIATE": "false",
               "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "LOG_LEVEL": "WARNING",
               "SITE_URL": "https://care.example.org", "TRUSTED_PROXIES": "127.0.0.1",
               "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        os.environ.clear()
        os.environ.update(env)
        clinicians, people = setup(args.patients)
        app_ports = [free_port(), free_port()]
        proxy_port = free_port()
        python = [sys.executable, "-m", "kratom_recovery"]
        processes = [start([*python, "serve", "--port", str(port), "--workers", "2",
                            "--no-migrate"], env, home / f"app-{port}.log")
                     for port in app_ports]
        processes += [start([*python, "worker", "--no-migrate"], env, home / f"worker-{n}.log")
                      for n in (1, 2)]
        for process in processes:
            stack.callback(stop, process)
        for port in app_ports:
            wait_for_port(port)
        conf = home / "nginx.conf"
        conf.write_text(NGINX_CONF.format(home=home, app1=app_ports[0], app2=app_ports[1],
                                          port=proxy_port))
        nginx = start(["nginx", "-c", str(conf), "-p", str(home), "-g", "daemon off;"], env,
                      home / "nginx.log")
        stack.callback(stop, nginx)
        wait_for_port(proxy_port)

        tally = Tally()
        stop_at = time.monotonic() + args.seconds
        clients = min(args.clients, len(people))
        threads = [threading.Thread(target=patient_loop,
                                    args=(proxy_port, people[i::clients], tally, stop_at))
                   for i in range(clients)]
        names = {person["id"]: person["name"] for person in people}
        threads += [threading.Thread(target=clinician_loop, args=(
            proxy_port, c, [names[p] for p in names if p not in c["patients"]], tally, stop_at))
            for c in clinicians]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        writes = check_writes(tally)
        notices = check_notices(mailbox, len(tally.alerts_sent), timeout=60)

    total = sum(len(values) for values in tally.latencies.values())
    result = {
        "benchmark": "scale_out",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}",
        "topology": "nginx -> 2 app servers x 2 gunicorn workers; 2 workers; "
                    "one PostgreSQL; one Redis queue",
        "seconds": round(elapsed, 1),
        "clients": {"patient_threads": clients, "patients": len(people),
                    "clinicians": len(clinicians)},
        "requests": total,
        "throughput_per_second": round(total / elapsed, 1),
        "by_kind": {kind: {"requests": len(values),
                           "p50_ms": round(statistics.median(values) * 1000, 1),
                           "p99_ms": round(percentile(values, 0.99) * 1000, 1)}
                    for kind, values in sorted(tally.latencies.items())},
        "p99_ms": round(percentile([v for vs in tally.latencies.values() for v in vs], 0.99)
                        * 1000, 1),
        "unexpected_statuses": dict(tally.errors),
        "responses_with_another_users_data": len(tally.foreign),
        "writes": writes,
        "notices": notices,
    }
    if tally.foreign:
        result["foreign_examples"] = tally.foreign[:5]
    import redis

    client = redis.Redis.from_url(args.redis)
    for key in list(client.scan_iter(f"huey.*{queue.replace('-', '')}*")):
        client.delete(key)
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    ok = (not tally.foreign and not tally.errors and writes["uses_missing"] == 0
          and writes["checkins_with_stale_note"] == 0
          and notices["alerts_raised"] == notices["alerts_expected"]
          and notices["duplicate_messages"] == 0 and notices["sent_but_not_received"] == 0
          and notices["deliveries_not_sent"] == 0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
