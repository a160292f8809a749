"""Audit write cost: entries per second with and without the hash chain, in one run.

Sets up a throw-away data folder (SQLite, or PostgreSQL with --database-url), a clinician and
synthetic patients, then writes audit entries one at a time, each in its own transaction as
a page view does: first as plain inserts (the table's own manager bypassed), then through
the chain (audit/chain.py: the chain head's upsert-lock, the insert, the head's move).

Run: .venv/bin/python bench/audit_write.py [--entries 2000] [--patients 50]
     [--database-url postgres://postgres@127.0.0.1:5432/kr_bench_audit]
Writes bench/results/audit_write.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

RESULT = Path(__file__).resolve().parent / "results" / "audit_write.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    os.environ["KRATOM_RECOVERY_HOME"] = tempfile.mkdtemp(prefix="kr-bench-audit-")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ["ALLOWED_HOSTS"] = "localhost"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kratom_recovery.web.settings"
    import django

    from kratom_recovery.web.config import prepare_data_home

    prepare_data_home()  # makes the secret key the audit references are keyed on
    django.setup()
    from django.core.management import call_command
    from django.db import connection, models, transaction

    from kratom_recovery.web.accounts.models import User
    from kratom_recovery.web.audit.log import record
    from kratom_recovery.web.audit.models import AuditEntry
    from kratom_recovery.web.patients.models import Patient

    if args.database_url:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    clinician = User.objects.create_user("bench-clinician", role="clinician")
    patients = [Patient.objects.create(user=User.objects.create_user(f"bench-p{n}",
                                                                      role="patient"))
                for n in range(args.patients)]

    def timed(write: Callable[[Patient, int], None]) -> float:
        start = time.perf_counter()
        for n in range(args.entries):
            with transaction.atomic():
                write(patients[n % len(patients)], n)
        return float(args.entries) / (time.perf_counter() - start)

    def unchained(patient: Patient, n: int) -> None:
        # A unique (chain_key, seq) per row, as the table requires; no hashing, no head.
        models.QuerySet[AuditEntry](AuditEntry).bulk_create(
            [AuditEntry(actor=clinician, patient=patient, action="read", target=f"bench:{n}",
                        chain_key="bench-unchained", seq=n + 1)])

    def chained(patient: Patient, n: int) -> None:
        record(clinician, patient, "read", f"bench:{n}")

    without = timed(unchained)
    with_chain = timed(chained)
    result = {
        "benchmark": "audit entries written one per transaction, with and without the chain",
        "database": connection.vendor,
        "entries": args.entries,
        "patients": args.patients,
        "without_chain_per_s": round(without),
        "with_chain_per_s": round(with_chain),
        "chain_cost_percent": round(100 * (1 - with_chain / without), 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "date": datetime.now(UTC).date().isoformat(),
    }
    # One section per database, so a SQLite run and a PostgreSQL run sit side by side.
    results = json.loads(RESULT.read_text(encoding="utf-8")) if RESULT.exists() else {}
    results[connection.vendor] = result
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
