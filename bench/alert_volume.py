"""Alert volume: alerts raised per patient-day on the synthetic demo patients, by severity.

Seeds the demo (`web/demo.py`) into a throw-away data folder with every write evaluated as
in production (the demo normally defers the safety rules to each patient's last write; here
the deferral is switched off), then counts the alerts by severity and rule and divides by
the patient-days seeded (days from each patient's onboarding to now). Nobody acknowledges
anything, so a rule raises at most one open alert per patient: the figures count distinct
concerns put in front of the care team, not re-raises after acknowledgement.

With --before REV the same is measured on an older revision, checked out into a temporary
`git worktree` (removed afterwards), so a change to the rules can be compared:
    .venv/bin/python bench/alert_volume.py --before fc66116~1
Writes bench/results/alert_volume.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEVERITIES = ("info", "warning", "urgent", "emergency")

# Runs inside the measured source tree (its own src/ first on the path): seed, then count.
RUNNER = r"""
import contextlib, json, os, sqlite3, sys
from datetime import datetime, timezone as tz
import django
from kratom_recovery.web import config
if hasattr(config, "prepare_data_home"):
    config.prepare_data_home()
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kratom_recovery.web import demo
from kratom_recovery.web.patients import hooks
hooks.deferred = contextlib.nullcontext  # evaluate every write, as in production
now = datetime.now(tz.utc)
demo.seed(patients=int(sys.argv[1]), now=now)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT severity, rule, COUNT(*) FROM safety_alert GROUP BY severity, rule")
    alerts = [[s, r, n] for s, r, n in cursor.fetchall()]
    cursor.execute("SELECT onboarded_at FROM patients_patient WHERE onboarded_at IS NOT NULL")
    onboarded = [row[0] for row in cursor.fetchall()]
def as_time(value):
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
days = sum(max(1.0, (now - as_time(t).astimezone(tz.utc)).total_seconds() / 86400)
           for t in onboarded)
print(json.dumps({"alerts": alerts, "patients": len(onboarded), "patient_days": days}))
"""


def measure(tree: Path, patients: int) -> dict[str, Any]:
    """Seed the demo with the code in `tree` and count its alerts."""
    env = {**os.environ, "KRATOM_RECOVERY_HOME": tempfile.mkdtemp(prefix="kr-bench-alerts-"),
           "PYTHONPATH": str(tree / "src"), "DJANGO_SETTINGS_MODULE":
           "kratom_recovery.web.settings", "ALLOWED_HOSTS": "localhost"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", RUNNER, str(patients)], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"seeding failed in {tree}:\n{done.stderr[-4000:]}")
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    by_severity = {s: 0 for s in SEVERITIES}
    by_rule: dict[str, dict[str, Any]] = {}
    for severity, rule, count in raw["alerts"]:
        by_severity[severity] = by_severity.get(severity, 0) + count
        by_rule[rule] = {"severity": severity, "alerts": count}
    days = float(raw["patient_days"])
    return {
        "patients": raw["patients"],
        "patient_days": round(days, 1),
        "alerts": sum(by_severity.values()),
        "per_patient_day": round(sum(by_severity.values()) / days, 3),
        "per_patient_day_by_severity": {s: round(n / days, 3) for s, n in by_severity.items()},
        "by_severity": by_severity,
        "by_rule": dict(sorted(by_rule.items())),
    }


def measure_revision(revision: str, patients: int) -> dict[str, Any]:
    """Check `revision` out into a temporary worktree, measure, and remove the worktree."""
    where = Path(tempfile.mkdtemp(prefix="kr-bench-rev-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(where), revision],
                   cwd=ROOT, check=True)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=where,
                                check=True, capture_output=True, text=True).stdout.strip()
        return {"revision": revision, "commit": commit, **measure(where, patients)}
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=ROOT,
                       check=True)


def table(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    lines.append("| patient-days | " + " | ".join(
        f"{results[n]['patient_days']:g}" for n in names) + " |")
    lines.append("| alerts per patient-day | " + " | ".join(
        f"{results[n]['per_patient_day']:.3f}" for n in names) + " |")
    for severity in SEVERITIES[1:]:
        lines.append(f"| {severity} | " + " | ".join(
            f"{results[n]['per_patient_day_by_severity'][severity]:.3f}" for n in names) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10, help="demo patients (default 10)")
    parser.add_argument("--before", help="also measure this git revision (e.g. fc66116~1)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench/results/alert_volume.json")
    args = parser.parse_args()
    results: dict[str, dict[str, Any]] = {}
    if args.before:
        results["before"] = measure_revision(args.before, args.patients)
    results["after"] = {"revision": "working tree", **measure(ROOT, args.patients)}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
