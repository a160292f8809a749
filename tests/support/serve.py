"""The real `kratom-recovery serve` in a subprocess, on its own data folder and database.

`server_env` gives a private KRATOM_RECOVERY_HOME and, in the PostgreSQL pass, a scratch
database created for the test and dropped after it (pytest-django's test database belongs to
the test process; the server is a separate program). `serving` starts gunicorn on a free port
and always stops it.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

START_TIMEOUT = 30.0


def run_cli(env: Mapping[str, str], *argv: str) -> str:
    """Run `kratom-recovery ARGV` as a person would; its standard output."""
    result = subprocess.run([sys.executable, "-m", "kratom_recovery", *argv], env=dict(env),
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@contextmanager
def scratch_postgres(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`; its URL. Dropped afterwards."""
    import psycopg

    parts = urlsplit(url)
    name = f"kr_serve_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def server_env(home: Path) -> Iterator[dict[str, str]]:
    env = {**os.environ, "KRATOM_RECOVERY_HOME": str(home), "LOG_LEVEL": "WARNING"}
    url = env.pop("DATABASE_URL", "")
    if not url:
        yield env
        return
    with scratch_postgres(url) as scratch:
        yield {**env, "DATABASE_URL": scratch}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not start listening in time")


@contextmanager
def serving(env: Mapping[str, str], output: Path, workers: int = 3,
            port: int | None = None) -> Iterator[str]:
    """`kratom-recovery serve` on `port` (a free one by default), its output to `output`; its
    base URL. Stopped when the block ends, killed if it does not stop. Serving again on the
    same port keeps the browser's origin (a service worker's, say)."""
    port = port or free_port()
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kratom_recovery", "serve", "--port", str(port),
             "--workers", str(workers)],
            env=dict(env), stdout=sink, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(port, process)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def get(url: str, headers: Mapping[str, str] | None = None, method: str = "GET"
        ) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, errors included (no exception for a 4xx or 5xx)."""
    request = urllib.request.Request(url, headers=dict(headers or {}), method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
