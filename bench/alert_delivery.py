"""Alert delivery: from an emergency check-in to the e-mail in the clinician's mailbox.

Sets up a throw-away data folder (SQLite, and the SQLite job queue, or Redis with --redis),
a clinician and synthetic patients, a local SMTP server (aiosmtpd) in this process, and the
real `kratom-recovery worker` as a subprocess with the product's polling (0.1 s, at most
1 s when idle). Then, one at a time, records an emergency check-in through the real action
and times it until the notice arrives: p50 and p95 over 50 alerts (goal: 10 s or less).
Second, two workers race over alerts, some queued and some left for their sweeps: every
alert must arrive exactly once.

Run: .venv/bin/python bench/alert_delivery.py [--alerts 50] [--redis]
Writes bench/results/alert_delivery.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._processes import percentile, stop  # noqa: E402

RESULT = ROOT / "bench" / "results" / "alert_delivery.json"
GOAL_SECONDS = 10.0
RACE_ALERTS = 20
CALM_SOWS = [1] * 8 + [0] * 8


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kratom_recovery", "worker", "--no-migrate"],
                            env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)



def emergency(patient: Any) -> None:
    from kratom_recovery.web.patients import actions

    actions.record_checkin(patient, patient.user, {"sows": CALM_SOWS, "craving": [3],
                                                   "daily-extra": [1, 1, 1, 1, 1]},
                           danger_symptoms=["chest-pain"])



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=50)
    parser.add_argument("--redis", action="store_true", help="queue in Redis on 127.0.0.1")
    args = parser.parse_args()

    from tests.support.notify import smtp_server

    home = Path(tempfile.mkdtemp(prefix="kr-bench-alerts-"))
    with ExitStack() as stack:
        mailbox, port = stack.enter_context(smtp_server())
        env = {**os.environ, "KRATOM_RECOVERY_HOME": str(home), "HUEY_IMMEDIATE": "false",
               "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "LOG_LEVEL": "WARNING",
               "SITE_URL": "https://care.example.org"}
        env.pop("DATABASE_URL", None)
        if args.redis:
            env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
            env["HUEY_QUEUE"] = f"kr-bench-{secrets.token_hex(4)}"
        os.environ.clear()
        os.environ.update(env)
        from kratom_recovery.commands import _django

        _django.setup()
        _django.migrate()
        from kratom_recovery.web.accounts.actions import create_staff_user
        from tests.support.personas import PASSWORD, make_patient

        cleo = create_staff_user("cleo", PASSWORD, "clinician", "Cleo", "cleo@example.org")
        total = args.alerts + RACE_ALERTS
        patients = [make_patient(f"p{i}", cleo) for i in range(total)]
        from django.db import connections

        connections.close_all()

        # 1. One worker, product settings: latency per alert.
        worker = start_worker(env, home / "worker.log")
        stack.callback(stop, worker)
        from kratom_recovery.web.notify.models import Heartbeat

        deadline = time.monotonic() + 60
        while not Heartbeat.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # the start-up sweep has run; the queue is idle (longest poll gap)
        latencies = []
        for index in range(args.alerts):
            started = time.monotonic()
            emergency(patients[index])
            mailbox.wait_for(index + 1, timeout=60)
            latencies.append(mailbox.arrived[index] - started)
            time.sleep(0.3)  # let the worker's polling back off, as between real alerts
        stop(worker)

        # 2. Two workers: half the alerts queued, half left for their sweeps to race over.
        from kratom_recovery.web.notify import outbox

        real_enqueue = outbox.enqueue
        outbox.enqueue = lambda alert_id: None  # type: ignore[assignment]
        for patient in patients[args.alerts:args.alerts + RACE_ALERTS // 2]:
            emergency(patient)
        outbox.enqueue = real_enqueue  # type: ignore[assignment]
        connections.close_all()
        workers = [start_worker(env, home / f"race-{n}.log") for n in (1, 2)]
        for process in workers:
            stack.callback(stop, process)
        for patient in patients[args.alerts + RACE_ALERTS // 2:]:
            emergency(patient)
        mailbox.wait_for(total, timeout=120)
        time.sleep(5)  # long enough for a duplicate to show up
        for process in workers:
            stop(process)
        with mailbox.lock:
            ids = [str(m["Message-ID"]) for _, m in mailbox.messages]

    result = {
        "benchmark": "alert_delivery",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}",
        "queue": "redis" if args.redis else "sqlite",
        "database": "sqlite",
        "alerts": args.alerts,
        "latency_seconds": {"p50": round(statistics.median(latencies), 3),
                            "p95": round(percentile(latencies, 0.95), 3),
                            "max": round(max(latencies), 3)},
        "goal_seconds": GOAL_SECONDS,
        "within_goal": percentile(latencies, 0.95) <= GOAL_SECONDS,
        "two_workers": {"alerts": RACE_ALERTS, "messages": len(ids) - args.alerts,
                        "duplicates": len(ids) - len(set(ids))},
    }
    if args.redis:
        import redis

        client = redis.Redis.from_url(env["REDIS_URL"])
        name = env["HUEY_QUEUE"].replace("-", "")
        for key in list(client.scan_iter(f"huey.*{name}*")):
            client.delete(key)
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    ok = result["within_goal"] and result["two_workers"]["duplicates"] == 0 \
        and result["two_workers"]["messages"] == RACE_ALERTS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
