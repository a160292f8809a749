"""Safety sweep over 10,000 patients: time per patient and peak memory, against the sweep as
it was (every patient evaluated from the tables, the patient list read whole) in the same run.

Builds one throw-away SQLite database with bulk-inserted synthetic patients (profile, care
team, three days of check-ins with SOWS and craving), then runs each variant in a fresh
process on its own copy of that database, so each starts from the same rows and its peak
memory (ru_maxrss) is its own:
- idle: Django set up and the database opened, no sweep (the memory floor);
- before: the old loop (Patient iterator, evaluate_and_store from the tables);
- first: `sweep` as it is now, on rows no check-in has kept yet (it rebuilds each row);
- steady: `sweep` again, from the kept rows (every later hourly run);
- shards: `--shard 0/2` and `--shard 1/2`, one after the other (each its own time and memory;
  on SQLite, shards side by side would queue for its one writer).
Run: .venv/bin/python bench/safety_sweep.py [--patients 10000]
Writes bench/results/safety_sweep.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.now(UTC).replace(microsecond=0)


def django_setup(home: str) -> None:
    os.environ["KRATOM_RECOVERY_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ["REQUEST_LOG"] = "off"
    from kratom_recovery.commands._django import setup

    setup()


def build(home: str, size: int) -> None:
    """The synthetic program, written through bulk inserts (the safety state is left to the
    sweeps: the first one evaluates everyone)."""
    django_setup(home)
    from kratom_recovery.commands._django import migrate
    from kratom_recovery.web.accounts.models import User
    from kratom_recovery.web.patients.models import (
        CareTeamMember,
        CareTeamRole,
        CheckIn,
        InstrumentResponse,
        Patient,
        UseProfile,
    )

    migrate()
    cleo = User.objects.create_user("cleo", password=None, role="clinician")
    for first in range(0, size, 2000):
        count = min(2000, size - first)
        users = User.objects.bulk_create(
            User(username=f"p{i}", role="patient", display_name=f"Patient {i}")
            for i in range(first, first + count))
        patients = Patient.objects.bulk_create(
            Patient(user=u, timezone="America/Chicago", onboarded_at=NOW - timedelta(days=5),
                    last_use_at=NOW - timedelta(days=4)) for u in users)
        CareTeamMember.objects.bulk_create(
            CareTeamMember(patient=p, clinician=cleo, role=CareTeamRole.PRIMARY)
            for p in patients)
        UseProfile.objects.bulk_create(
            UseProfile(patient=p, product="leaf", amount_per_day=15, unit="g",
                       doses_per_day=3, years_of_use=2, last_dose=NOW - timedelta(days=4),
                       support="some", goal="stop") for p in patients)
        checkins = CheckIn.objects.bulk_create(
            CheckIn(patient=p, local_date=(NOW - timedelta(days=day)).date(),
                    created_at=NOW - timedelta(days=day), updated_at=NOW - timedelta(days=day),
                    danger_symptoms=[], self_harm_thoughts=False)
            for p in patients for day in (3, 2, 1) if (p.pk + day) % 4)  # some days missed
        InstrumentResponse.objects.bulk_create(
            [InstrumentResponse(patient_id=c.patient_id, checkin=c, instrument="sows",
                                version="1", answers=[1] * 16, total=16, max_total=64,
                                band="moderate", flags=[], recorded_at=c.created_at)
             for c in checkins]
            + [InstrumentResponse(patient_id=c.patient_id, checkin=c, instrument="craving",
                                  version="1", answers=[4], total=4, max_total=10, band="",
                                  flags=[], recorded_at=c.created_at) for c in checkins],
            batch_size=2000)


def run_variant(home: str, variant: str, shard: str) -> dict[str, Any]:
    """In the child process: one variant, timed; prints its figures."""
    django_setup(home)
    from django.db import transaction

    from kratom_recovery.web.patients.models import Patient
    from kratom_recovery.web.safety.engine import Shard, evaluate_and_store, sweep

    Patient.objects.exists()  # open the database, like every variant
    started = time.perf_counter()
    patients = 0
    if variant == "before":
        sample = int(os.environ.get("KR_SWEEP_BEFORE_SAMPLE") or 0) or None
        for patient in (Patient.objects.exclude(onboarded_at=None).order_by("pk")[:sample]
                        .iterator()):
            with transaction.atomic():
                evaluate_and_store(patient, NOW, "sweep")
            patients += 1
    elif variant != "idle":
        patients = sweep(NOW, Shard.parse(shard))["patients"]
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"patients": patients, "seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1)}


def child(home: str, variant: str, shard: str = "0/1") -> subprocess.Popen[str]:
    env = {**os.environ, "KR_SWEEP_CHILD": variant, "KR_SWEEP_HOME": home,
           "KR_SWEEP_SHARD": shard}
    return subprocess.Popen([sys.executable, __file__], env=env, stdout=subprocess.PIPE,
                            text=True)


def figures(process: subprocess.Popen[str]) -> dict[str, Any]:
    output, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"a variant failed ({process.returncode})")
    return dict(json.loads(output.strip().splitlines()[-1]))


def copy_of(home: str) -> str:
    target = tempfile.mkdtemp(prefix="kr-bench-sweep-")
    shutil.copytree(home, target, dirs_exist_ok=True)
    return target


def per_patient(result: dict[str, Any]) -> float:
    return round(1000 * float(result["seconds"]) / max(1, int(result["patients"])), 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--before-sample", type=int, default=0,
                        help="time the old loop on the first N patients only (its time per "
                             "patient does not depend on the program's size; 0: all)")
    args = parser.parse_args()
    os.environ["KR_SWEEP_BEFORE_SAMPLE"] = str(args.before_sample)
    home = tempfile.mkdtemp(prefix="kr-bench-sweep-")
    started = time.perf_counter()
    builder = child(home, f"build:{args.patients}")
    figures(builder)
    built_s = time.perf_counter() - started
    idle = figures(child(copy_of(home), "idle"))
    before = figures(child(copy_of(home), "before"))
    now_home = copy_of(home)
    first = figures(child(now_home, "first"))
    steady_home = copy_of(now_home)
    steady = figures(child(now_home, "steady"))
    # One after the other: on SQLite the shards would queue for its single writer anyway
    # (side by side they are for PostgreSQL); each shard's time and memory is its own.
    sharded = [figures(child(steady_home, "steady", f"{i}/2")) for i in range(2)]
    result = {
        "benchmark": "safety sweep, SQLite, each variant a fresh process on a copy of one db",
        "target": "<= 2 ms per patient, shardable, streaming",
        "patients": args.patients,
        "build_s": round(built_s, 1),
        "idle_peak_mb": idle["peak_mb"],
        "before": {**before, "ms_per_patient": per_patient(before),
                   "peak_over_idle_mb": round(before["peak_mb"] - idle["peak_mb"], 1)},
        "first": {**first, "ms_per_patient": per_patient(first),
                  "peak_over_idle_mb": round(first["peak_mb"] - idle["peak_mb"], 1)},
        "steady": {**steady, "ms_per_patient": per_patient(steady),
                   "peak_over_idle_mb": round(steady["peak_mb"] - idle["peak_mb"], 1)},
        "shards_of_2": [{**s, "ms_per_patient": per_patient(s)} for s in sharded],
        "cpus": os.cpu_count(),
        "date": NOW.date().isoformat(),
    }
    out = ROOT / "bench" / "results" / "safety_sweep.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


def child_main(variant: str) -> int:
    home = os.environ["KR_SWEEP_HOME"]
    if variant.startswith("build:"):
        build(home, int(variant.split(":")[1]))
        print("{}")
        return 0
    print(json.dumps(run_variant(home, variant, os.environ["KR_SWEEP_SHARD"])))
    return 0


if __name__ == "__main__":
    variant = os.environ.get("KR_SWEEP_CHILD")
    sys.exit(child_main(variant) if variant else main())
