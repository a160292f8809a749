"""`kratom-recovery score ID --answers 1,0,2,...`: score one completed instrument."""

from __future__ import annotations

import argparse

from kratom_recovery.care.instruments import INSTRUMENTS, get_instrument, score

HELP = "Score one instrument from answers given in published item order."

EPILOG = f"""\
instruments: {", ".join(INSTRUMENTS)} (see `kratom-recovery instruments`).
Answers are comma-separated, in published item order. For sud, 1 means the criterion was met
and 0 that it was not. For daily-extra the resting pulse (bpm) is optional: give it as the
sixth value or leave it off.
"""


# The epilog keeps its line breaks (cli.py gives the formatter its width).
FORMATTER = argparse.RawDescriptionHelpFormatter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("instrument", metavar="ID", help="instrument id, e.g. sows or phq9")
    parser.add_argument(
        "--answers", required=True, help="comma-separated answers in item order, e.g. 1,0,2"
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="json", help="output format (default json)"
    )
    parser.add_argument(
        "--medically-supervised",
        action="store_true",
        help="sud only: taken solely under appropriate medical supervision, so tolerance and "
        "withdrawal (criteria 10 and 11) are not counted (DSM-5 rule)",
    )


def run(args: argparse.Namespace) -> int:
    instrument = get_instrument(args.instrument)
    answers = [part.strip() for part in args.answers.split(",")]
    options = {"medically_supervised": True} if args.medically_supervised else {}
    result = score(instrument.id, answers, **options)
    if args.format == "json":
        import json  # here: --help and the text format start without it

        print(json.dumps(result.as_dict(), indent=2))
        return 0
    band = f" - {result.band.label}" if result.band else " (no severity bands)"
    print(f"{instrument.short_name}: {result.total} of {result.max}{band}")
    if result.flags:
        print(f"flags: {', '.join(result.flags)}")
    if result.options:
        print(f"scoring options: {', '.join(result.options)}")
    for item in result.items:
        shown = "not given" if item.value is None else str(item.value)
        label = f" ({item.label})" if item.label and item.label != shown else ""
        counted = "" if item.counted else " [not counted]"
        print(f"  {item.number:>2}. {item.id}: {shown}{label}{counted}")
    if instrument.caveat:
        print(f"note: {instrument.caveat}")
    return 0
