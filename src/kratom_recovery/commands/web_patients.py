"""`kratom-recovery patients`: list patients (id, display name, clinician, days since last dose)."""

from __future__ import annotations

import argparse
import json

HELP = "list patients with their clinician and days since last dose"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.commands._django import setup

    setup()
    from django.db.models import Prefetch

    from kratom_recovery.web.audit.models import AuditEntry
    from kratom_recovery.web.patients.models import CareTeamMember, Patient
    from kratom_recovery.web.patients.queries import days_since_last_use

    patients = Patient.objects.select_related("user").prefetch_related(
        Prefetch("care_team", queryset=CareTeamMember.objects.select_related("clinician"))
    ).order_by("pk")
    rows = [
        {
            "id": p.pk,
            "display_name": p.display_name,
            "clinician": (primary.username if (primary := p.clinician) else None),
            "days_since_last_dose": days_since_last_use(p),
        }
        for p in patients
    ]
    # An operator listing everyone is a read of every record: audited, via the CLI.
    AuditEntry.objects.bulk_create(
        [AuditEntry(actor=None, patient=p, action="read", target="list", via="cli")
         for p in patients]
    )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        for row in rows:
            days = "-" if row["days_since_last_dose"] is None else row["days_since_last_dose"]
            print(f"{row['id']:>5}  {row['display_name']:<24} {row['clinician'] or '-':<16} {days}")
    return 0
