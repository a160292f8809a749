"""Benchmark: one forecast update from 30 days of check-ins (target ≤ 10 ms).

Run: .venv/bin/python bench/timeline_update.py [--runs 200] [--observations 60]
Writes bench/results/timeline_update.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.timeline import Observation, forecast

TARGET_MS = 10.0
RESULTS = Path(__file__).resolve().parent / "results" / "timeline_update.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--observations", type=int, default=60)
    args = parser.parse_args()

    last = datetime(2026, 11, 1, 8, tzinfo=UTC)
    profile = UseProfile("leaf", 15.0, "g", 3, 2.0, last_dose=last)
    step = timedelta(days=30) / args.observations
    # A plausible course: rising to ~14 by day 3, easing to ~2 by day 30 (deterministic).
    observed = [
        Observation(last + step * (i + 0.5), max(0.0, 14 - abs(3 - i * 30 / args.observations)
                                                  * 0.45 + (i % 3) - 1))
        for i in range(args.observations)
    ]
    now = last + timedelta(days=30)
    forecast(profile, now, observed=observed)  # warm caches
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        forecast(profile, now, observed=observed)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    result = {
        "benchmark": "timeline forecast update from 30 days of check-ins",
        "observations": args.observations,
        "runs": args.runs,
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "max_ms": round(timings[-1], 3),
        "target_ms": TARGET_MS,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "date": datetime.now(UTC).date().isoformat(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print("PASS" if result["p95_ms"] <= TARGET_MS else "SLOWER THAN TARGET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
