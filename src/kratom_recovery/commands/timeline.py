"""`kratom-recovery timeline`: the withdrawal phase now and a 30-day SOWS forecast.

Pure command: no Django. The model and its assumptions are in docs/timeline.md; the timeline
defaults are not evidence-based [ref:timeline-blogs] and the output says so.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from kratom_recovery.care.errors import InvalidInput

# typing.TYPE_CHECKING without importing typing, which costs the command's start-up; mypy
# treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

HELP = "Show the withdrawal phase and a 30-day symptom forecast after the last dose."

# Profile field -> the flag a person typed, so errors name what they can fix.
FLAGS: Mapping[str, str] = {
    "last_dose": "--last-dose",
    "amount_per_day": "--amount",
    "unit": "--unit",
    "product": "--product",
    "years_of_use": "--years",
    "doses_per_day": "--doses-per-day",
}
OBSERVED_HEADER = ["time", "sows_total"]
NOTICE = (
    "These timings are estimates from a model calibrated to sources that are not "
    "evidence-based; people differ a lot. See docs/timeline.md."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--last-dose", required=True, help="ISO date-time with offset")
    parser.add_argument("--amount", required=True, help="usual amount per day")
    parser.add_argument("--unit", required=True, help="g, mg or tablets")
    parser.add_argument("--product", required=True, help="leaf, capsules, extract, 7-oh or other")
    parser.add_argument("--years", required=True, help="years of regular use")
    parser.add_argument("--doses-per-day", default="3", help="doses per day, 1–24 (default 3)")
    parser.add_argument("--now", help="ISO date-time with offset (default: the current time)")
    parser.add_argument("--observed", metavar="FILE.csv",
                        help="check-ins as CSV with header time,sows_total")
    parser.add_argument("--format", default="text", choices=("text", "json"))


def read_observed(path: str, now: datetime) -> list[Any]:
    """Parse the check-in CSV; errors name the line."""
    import csv  # only with --observed, like pathlib: the plain forecast starts without them
    from pathlib import Path

    from kratom_recovery.care.profile import check_number, parse_datetime
    from kratom_recovery.care.timeline import SOWS_MAX, Observation

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput("--observed", f"cannot read {path}: {error}") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or [c.strip() for c in rows[0]] != OBSERVED_HEADER:
        raise InvalidInput("--observed line 1",
                           f"must be the header {','.join(OBSERVED_HEADER)}")
    observed = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        where = f"--observed line {number}"
        if len(row) != 2:
            raise InvalidInput(where, "must have 2 values: time,sows_total")
        try:
            moment = parse_datetime("time", row[0].strip(), now=now)
            total = check_number("sows_total", row[1].strip(), low=0, high=SOWS_MAX)
        except InvalidInput as error:
            raise InvalidInput(where, f"{error.field} {error.message}") from None
        observed.append(Observation(moment, total))
    return observed


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care.profile import parse_datetime, parse_profile
    from kratom_recovery.care.timeline import amount_is_scaled, forecast

    now = parse_datetime("--now", args.now) if args.now else datetime.now(UTC)
    try:
        profile = parse_profile(
            {
                "last_dose": args.last_dose,
                "amount_per_day": args.amount,
                "unit": args.unit,
                "product": args.product,
                "years_of_use": args.years,
                "doses_per_day": args.doses_per_day,
            },
            now=now,
        )
    except InvalidInput as error:
        if error.field == "last_dose" and "future" in error.message:
            raise InvalidInput("--last-dose", "cannot be after --now") from None
        raise InvalidInput(FLAGS.get(error.field, error.field), error.message) from None
    observed = read_observed(args.observed, now) if args.observed else []
    result = forecast(profile, now, observed=observed)
    if args.format == "json":
        import json  # only for --format json: the default text starts without it

        print(json.dumps(result.as_dict(), indent=2))
        return 0
    days = result.hours_since_last_dose / 24
    earliest, latest = result.acute_end_range
    print(result.notice)
    print(f"Phase: {result.phase} — {result.phase_label}")
    print(f"Time since last dose: {result.hours_since_last_dose:.0f} h ({days:.1f} days)")
    print(f"Acute phase expected to end: between {earliest.isoformat()} and "
          f"{latest.isoformat()} (middle {result.acute_end_expected.isoformat()})")
    print(f"Flags: {', '.join(result.flags) if result.flags else 'none'}")
    if not amount_is_scaled(profile):
        print(f"The amount ({args.amount} {profile.unit} of {profile.product}) is not used: its "
              "strength cannot be compared with leaf grams, so product, doses a day and years "
              "set the forecast.")
    print()
    print("day  expected  80% range (SOWS total, 0–64)")
    for point in result.points:
        print(f"{point.day:>3}  {point.expected:>8.1f}  {point.low:>5.1f}–{point.high:.1f}")
    print()
    print(NOTICE)
    return 0
