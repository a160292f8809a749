"""Start-up of the pure CLI commands against `python -c pass` in the same environment.

Each command is run as a fresh process, interleaved with the baseline so that a busy machine
slows both alike; the median wall and CPU time of each is compared with the baseline's. Bytecode is
cached as an installed package has it (in a temporary PYTHONPYCACHEPREFIX, written by the
warm-up run), even where PYTHONDONTWRITEBYTECODE is set: otherwise every run would time
the compiler, not the start-up.
Target: `score` and `taper` at most 4x `python -c pass`.
Run: .venv/bin/python bench/cli_startup.py [--runs 30]
Writes bench/results/cli_startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(Path(sys.executable).with_name("kratom-recovery"))
COMMANDS: dict[str, list[str]] = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "score": [SCRIPT, "score", "sows", "--answers", ",".join(["1"] * 16)],
    "taper": [SCRIPT, "taper", "--amount", "15", "--unit", "g", "--product", "leaf",
              "--doses-per-day", "3", "--strategy", "percent", "--rate", "10",
              "--step-days", "7", "--start", "2026-11-01"],
    "instruments": [SCRIPT, "instruments"],
    "timeline": [SCRIPT, "timeline", "--last-dose", "2026-11-01T08:00:00+00:00",
                 "--amount", "15", "--unit", "g", "--product", "leaf", "--years", "2"],
}


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="kr-bench-pycache-")


def once(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def summary(timings: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    baseline = statistics.median(timings["python -c pass"])
    return {"median_ms": {name: round(statistics.median(t), 1) for name, t in timings.items()},
            "ratio": {name: round(statistics.median(t) / baseline, 2)
                      for name, t in timings.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for command in COMMANDS.values():
        once(command)  # warm the file cache and the .pyc files
    wall: dict[str, list[float]] = {name: [] for name in COMMANDS}
    cpu: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            spent = once(command)
            wall[name].append(spent[0])
            cpu[name].append(spent[1])
    result = {
        "benchmark": "pure CLI start-up, fresh process each, interleaved with the baseline",
        "target": "score and taper <= 4x python -c pass",
        "python": sys.version.split()[0],
        "runs": args.runs,
        "wall": summary(wall),
        # CPU time is what a busy shared machine disturbs least: the ratio to judge by.
        "cpu": summary(cpu),
        "date": datetime.now(UTC).date().isoformat(),
    }
    out = ROOT / "bench" / "results" / "cli_startup.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
