"""Caseload page with 1,000 patients: time per request and query count (in-process).

Builds a throw-away SQLite database with bulk-inserted synthetic rows (the demo's real
actions would take minutes at this size), then renders /clinic/ for the clinician.
Run: .venv/bin/python bench/caseload_1000.py [--patients 1000]
Writes bench/results/caseload_1000.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["KRATOM_RECOVERY_HOME"] = tempfile.mkdtemp(prefix="kr-bench-caseload-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["ALLOWED_HOSTS"] = "localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kratom_recovery.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kratom_recovery.web.accounts.models import User
    from kratom_recovery.web.patients.models import InstrumentResponse, Patient, UseProfile
    from kratom_recovery.web.safety.models import Alert, SafetyState

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    now = datetime.now(UTC)
    cleo = User.objects.create_user("cleo", password=None, role="clinician")
    users = User.objects.bulk_create(
        User(username=f"p{i}", role="patient", display_name=f"Patient {i}")
        for i in range(args.patients)
    )
    patients = Patient.objects.bulk_create(
        Patient(user=u, clinician=cleo, timezone="America/Chicago", onboarded_at=now,
                last_use_at=now - timedelta(days=i % 30)) for i, u in enumerate(users)
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
    client = Client(SERVER_NAME="localhost")
    client.force_login(cleo)
    client.get("/clinic/")  # warm up
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        response = client.get("/clinic/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get("/clinic/")
    result = {
        "benchmark": "GET /clinic/ (triaged caseload) in-process, SQLite",
        "patients": args.patients,
        "queries": len(queries.captured_queries),
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "runs": args.runs,
        "date": now.date().isoformat(),
    }
    out = ROOT / "bench" / "results" / "caseload_1000.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
