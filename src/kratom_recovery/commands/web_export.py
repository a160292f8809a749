"""`kratom-recovery export`: one patient's FHIR bundle, or the de-identified research CSV.

Run by an operator, so every export is audited with via="cli" and no actor.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "export a patient's FHIR bundle (JSON) or the de-identified research CSV"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--patient", type=int, metavar="ID",
                        help="patient id (required for fhir; for csv, only this patient)")
    parser.add_argument("--format", choices=("fhir", "csv"), default="fhir")
    parser.add_argument("--pseudonymous", action="store_true",
                        help="fhir: leave the name out; the patient is a random pseudonym")
    parser.add_argument("--questionnaires", action="store_true",
                        help="fhir: include the Questionnaire resources themselves")
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help="write here instead of standard output")


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care.errors import InvalidInput

    if args.format == "fhir" and args.patient is None:
        raise InvalidInput("--patient", "is required for --format fhir (a patient id)")
    if args.output is not None:
        from kratom_recovery.commands._output import check_output

        check_output("--output", args.output)
    from kratom_recovery.commands._django import setup

    setup()
    from kratom_recovery.web.exports import actions
    from kratom_recovery.web.patients.models import Patient

    patient = None
    if args.patient is not None:
        patient = Patient.objects.select_related("user").filter(pk=args.patient).first()
        if patient is None:
            raise InvalidInput("--patient", f"no patient with id {args.patient}")
    if args.format == "fhir":
        assert patient is not None
        bundle = actions.fhir_export(patient, None, pseudonymous=args.pseudonymous,
                                     include_questionnaires=args.questionnaires, via="cli")
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    else:
        text = actions.research_export(None, via="cli",
                                       patients=[patient] if patient is not None else None)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    return 0
