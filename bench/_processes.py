"""What the benchmarks that start servers and workers share: waiting for a server, stopping a
process group, and a nearest-rank percentile."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import time


def wait_for_port(port: int, timeout: float = 60) -> None:
    """Until the server on 127.0.0.1:`port` answers /healthz with 200 (gunicorn is up and a
    worker serves), or exit naming the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group (gunicorn's or the worker's children too), SIGKILL after
    15 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
