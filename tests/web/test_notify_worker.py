"""End to end: the real `kratom-recovery worker` delivers alerts to a real SMTP server.

The writes run as their own program on the worker's data folder and database (a scratch
PostgreSQL database in the PostgreSQL pass); the queue is SQLite in that folder, or Redis
under a queue name of its own. Each worker is stopped, and killed if it does not stop.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests.support.notify import Mailbox, smtp_server
from tests.support.serve import server_env

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture(params=["sqlite-queue", "redis-queue"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[dict[str, str],
                                                                         Mailbox]]:
    """The worker's environment (data folder, database, queue, SMTP) and the mailbox."""
    if request.param == "redis-queue" and not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    with server_env(tmp_path / "home") as base, smtp_server() as (mailbox, port):
        env = {**base, "HUEY_IMMEDIATE": "false", "EMAIL_HOST": "127.0.0.1",
               "EMAIL_PORT": str(port), "SITE_URL": "https://care.example.org",
               "PYTHONPATH": str(ROOT)}
        if request.param == "redis-queue":
            env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
            env["HUEY_QUEUE"] = f"kr-test-{secrets.token_hex(6)}"
        script(env, "setup", "12")
        yield env, mailbox
        if request.param == "redis-queue":
            import redis

            client = redis.Redis.from_url(env["REDIS_URL"])
            name = re.sub("[^a-z0-9]", "", env["HUEY_QUEUE"])  # as Huey names its keys
            keys = list(client.scan_iter(f"huey.*{name}*"))
            if keys:
                client.delete(*keys)


def script(env: dict[str, str], *argv: str, expect: int = 0) -> str:
    result = subprocess.run([sys.executable, "-m", "tests.support.notify_worker", *argv],
                            env=env, cwd=ROOT, capture_output=True, text=True, timeout=90,
                            check=False)
    assert result.returncode == expect, result.stderr[-2000:]
    return result.stdout


@contextmanager
def worker(env: dict[str, str], log: Path, *extra: str) -> Iterator[subprocess.Popen[bytes]]:
    """`kratom-recovery worker` polling every 0.1 s; SIGTERM at the end, then SIGKILL."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kratom_recovery", "worker", "--no-migrate",
             "--delay", "0.1", "--max-delay", "0.1", *extra],
            env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)


def message_ids(mailbox: Mailbox) -> list[str]:
    with mailbox.lock:
        return [str(m["Message-ID"]) for _, m in mailbox.messages]


def test_a_queued_alert_reaches_the_clinician(env: tuple[dict[str, str], Mailbox],
                                              tmp_path: Path) -> None:
    environ, mailbox = env
    with worker(environ, tmp_path / "worker.log") as process:
        mailbox.wait_for(0)
        started = time.monotonic()
        script(environ, "emergency", "0")
        [message] = mailbox.wait_for(1, timeout=30)
        assert process.poll() is None, (tmp_path / "worker.log").read_text()
    assert time.monotonic() - started < 30
    assert "/clinic/alerts/" in str(message.get_payload())
    assert message["To"] == "cleo@example.org"


def test_killed_between_commit_and_enqueue_the_worker_sweep_delivers(
    env: tuple[dict[str, str], Mailbox], tmp_path: Path
) -> None:
    environ, mailbox = env
    script(environ, "die", "1", expect=3)  # committed, died before queueing
    assert mailbox.messages == []
    with worker(environ, tmp_path / "worker.log"):
        mailbox.wait_for(1, timeout=60)  # the sweep runs when the worker starts
        time.sleep(1)
    assert len(mailbox.messages) == 1


def test_two_workers_never_send_the_same_alert_twice(
    env: tuple[dict[str, str], Mailbox], tmp_path: Path
) -> None:
    environ, mailbox = env
    script(environ, "unqueued", "2", "3", "4", "5")  # left for the sweeps to race over
    with ExitStack() as stack:
        for name in ("a", "b"):
            stack.enter_context(worker(environ, tmp_path / f"worker-{name}.log"))
        script(environ, "emergency", "6", "7", "8", "9", "10", "11")
        mailbox.wait_for(10, timeout=90)
        time.sleep(3)  # time for a duplicate to show up, if one were coming
    ids = message_ids(mailbox)
    assert len(ids) == 10 and len(set(ids)) == 10


def test_forked_worker_processes_deliver_on_their_own_connections(
    env: tuple[dict[str, str], Mailbox], tmp_path: Path
) -> None:
    """Process workers: the parent closed its connections before forking (no shared
    socket), each child opens its own; both alerts arrive once."""
    environ, mailbox = env
    with worker(environ, tmp_path / "worker.log", "--worker-type", "process",
                "--workers", "2") as process:
        script(environ, "emergency", "0", "1")
        mailbox.wait_for(2, timeout=60)
        time.sleep(1)
        assert process.poll() is None, (tmp_path / "worker.log").read_text()
    assert len(set(message_ids(mailbox))) == len(mailbox.messages) == 2
    assert "Error" not in (tmp_path / "worker.log").read_text()
