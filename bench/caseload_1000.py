"""Caseload page with 1,000 and 10,000 patients: time per request and query count
(in-process), with the same clinician's GET /clinic/alerts.json (the poll) as the yardstick
of the machine in the same run.

For each size it builds a throw-away SQLite database with bulk-inserted synthetic rows (the
demo's real actions would take minutes at this size), stores every patient's triage the way
the upgrade's data migration does (clinic/triage.refresh_many), then renders /clinic/ (the
first page, a later page and a tier filter) for the clinician.
Run: .venv/bin/python bench/caseload_1000.py [--patients 1000 10000]
Writes bench/results/caseload_1000.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    results = [measure(size, args.runs) for size in args.patients]
    result = {
        "benchmark": "GET /clinic/ (triaged caseload) in-process, SQLite",
        "targets": "median <= 100 ms at 1,000 patients, <= 150 ms at 10,000; constant queries",
        "sizes": results,
        "date": datetime.now(UTC).date().isoformat(),
    }
    out = ROOT / "bench" / "results" / "caseload_1000.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


def median_ms(client: Any, url: str, runs: int) -> tuple[float, float]:
    client.get(url)  # warm up
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return round(statistics.median(timings), 1), round(max(timings), 1)


def measure(size: int, runs: int) -> dict[str, Any]:
    """One size in a fresh database (a new process keeps the sizes apart)."""
    if os.environ.get("KR_BENCH_CHILD") != str(size):
        env = {**os.environ, "KR_BENCH_CHILD": str(size)}
        output = subprocess.run(
            [sys.executable, __file__, "--patients", str(size), "--runs", str(runs)],
            env=env, check=True, capture_output=True, text=True).stdout
        return dict(json.loads(output))
    return build_and_time(size, runs)


def build_and_time(size: int, runs: int) -> dict[str, Any]:
    os.environ["KRATOM_RECOVERY_HOME"] = tempfile.mkdtemp(prefix="kr-bench-caseload-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "localhost"
    from kratom_recovery.commands._django import migrate, setup

    setup()  # makes the data folder and its secret key, as every command does
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kratom_recovery.web.accounts.models import User
    from kratom_recovery.web.clinic.triage import refresh_many
    from kratom_recovery.web.patients.models import (
        CareTeamMember,
        CareTeamRole,
        InstrumentResponse,
        Patient,
        UseProfile,
    )
    from kratom_recovery.web.safety.models import Alert, SafetyState

    migrate()
    now = datetime.now(UTC)
    cleo = User.objects.create_user("cleo", password=None, role="clinician")
    users = User.objects.bulk_create(
        User(username=f"p{i}", role="patient", display_name=f"Patient {i}")
        for i in range(size)
    )
    patients = Patient.objects.bulk_create(
        Patient(user=u, timezone="America/Chicago", onboarded_at=now,
                last_use_at=now - timedelta(days=i % 30)) for i, u in enumerate(users)
    )
    CareTeamMember.objects.bulk_create(
        CareTeamMember(patient=p, clinician=cleo, role=CareTeamRole.PRIMARY) for p in patients
    )
    UseProfile.objects.bulk_create(
        UseProfile(patient=p, product="leaf", amount_per_day=15, unit="g", doses_per_day=3,
                   years_of_use=2, last_dose=now - timedelta(days=30), support="some",
                   goal="stop") for p in patients
    )
    responses = []
    for i, p in enumerate(patients):
        for day, (instrument, total, band) in enumerate(
            [("sows", 8 + i % 9, "mild"), ("sows", 12 + i % 7, "moderate"),
             ("craving", i % 10, ""), ("phq9", i % 20, "mild"), ("gad7", i % 15, "mild")]
        ):
            responses.append(InstrumentResponse(
                patient=p, instrument=instrument, version="1", answers=[], total=total,
                max_total=64, band=band, flags=[], recorded_at=now - timedelta(days=5 - day)))
    InstrumentResponse.objects.bulk_create(responses, batch_size=1000)
    SafetyState.objects.bulk_create(
        SafetyState(patient=p, evaluated_at=now, source="bench", phase="post-acute",
                    flags=[], level="1.5", level_name="Outpatient Therapy")
        for p in patients
    )
    Alert.objects.bulk_create(
        Alert(patient=p, rule="severe-withdrawal", severity="urgent", severity_rank=2,
              patient_message="-", clinician_message="Severe withdrawal score.",
              source="bench") for p in patients[::20]
    )
    stored_at = time.perf_counter()
    refresh_many(Patient.objects.all(), now)
    backfill_s = time.perf_counter() - stored_at
    # The server under test does not hold the set-up's tens of thousands of objects: left
    # alive here, every garbage collection during a request would walk them all.
    del users, patients, responses
    gc.collect()
    client = Client(SERVER_NAME="localhost")
    client.force_login(cleo)
    first, first_max = median_ms(client, "/clinic/", runs)
    later, _ = median_ms(client, "/clinic/?page=5", runs)
    attention, _ = median_ms(client, "/clinic/?tier=attention", runs)
    poll, _ = median_ms(client, "/clinic/alerts.json", runs)
    with CaptureQueriesContext(connection) as queries:
        client.get("/clinic/")
    return {
        "patients": size,
        "queries": len(queries.captured_queries),
        "median_ms": first,
        "max_ms": first_max,
        "page_5_median_ms": later,
        "attention_filter_median_ms": attention,
        "poll_median_ms": poll,
        "backfill_s": round(backfill_s, 2),
        "runs": runs,
    }


def child_main() -> int:
    """The child process: time one size and print its figures as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, nargs="+")
    parser.add_argument("--runs", type=int)
    args = parser.parse_args()
    print(json.dumps(build_and_time(args.patients[0], args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(child_main() if os.environ.get("KR_BENCH_CHILD") else main())
