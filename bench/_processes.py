"""What the benchmarks that start servers and workers share: stopping a process group, and a
nearest-rank percentile."""

from __future__ import annotations

import os
import signal
import subprocess


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
