"""`kratom-recovery taper`: print a taper plan as a table, JSON or an iCalendar file.

Pure command: no Django. Defaults (docs/taper.md): percent and linear cut 5% every 7 days
(community practice, [ref:community-taper]); clinical cuts 10% every 30 days, or every 7 days when
--years is below 1 [ref:cdc-opioids-2022] (clinical-linear: 10% of the starting amount). With
--medication NAME the plan is a clinician's medication taper: --rate, --step-days and --precision
are then required and --unit is free text; a cut over 25% a step needs --confirm-large-cuts.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time, timedelta

from kratom_recovery.care.errors import InvalidInput

# typing.TYPE_CHECKING without importing typing, which costs every plan's start-up; mypy
# treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from kratom_recovery.care.taper_holds import CheckinSummary

HELP = "Plan a gradual taper to zero, with holds when check-ins show withdrawal or craving."

# Request field -> the flag a person typed, so errors name what they can fix.
FLAGS: Mapping[str, str] = {
    "amount_per_day": "--amount",
    "unit": "--unit",
    "product": "--product",
    "doses_per_day": "--doses-per-day",
    "strategy": "--strategy",
    "rate_percent": "--rate",
    "step_days": "--step-days",
    "years_of_use": "--years",
    "precision": "--precision",
    "jump_off": "--jump-off",
    "start": "--start",
    "name": "--medication",
    "kind": "--medication",
    "as_needed": "--as-needed",
    "confirm_large_cuts": "--confirm-large-cuts",
}

CHECKIN_HEADER = ["time", "sows_total", "craving"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--amount", help="current amount per day")
    parser.add_argument("--unit", help="g, mg or tablets (free text with --medication)")
    parser.add_argument("--product", help="leaf, capsules, extract, 7-oh or other")
    parser.add_argument("--doses-per-day", help="doses per day, 1–24")
    parser.add_argument("--strategy", default="percent",
                        help="percent (default), linear, clinical, clinical-linear")
    parser.add_argument("--rate", help="cut per step in percent (default from the strategy)")
    parser.add_argument("--step-days", help="days per step, 1–90 (default from the strategy)")
    parser.add_argument("--years", help="years of use; clinical: 1 or more → monthly steps")
    parser.add_argument("--precision", help="smallest amount you can measure, e.g. 0.1 (g)")
    parser.add_argument("--jump-off", help="at or below this daily amount, the next step is zero")
    parser.add_argument("--start", help="first day of the plan, YYYY-MM-DD (default today)")
    parser.add_argument("--today", help="today's date, YYYY-MM-DD (default: local date)")
    parser.add_argument("--checkins", help="CSV with header time,sows_total,craving: adds holds")
    parser.add_argument("--medication", metavar="NAME",
                        help="a clinician's medication taper (no defaults for medicines)")
    parser.add_argument("--as-needed", metavar="RULE",
                        help="with --medication: the clinician's as-needed/symptom rule (text)")
    parser.add_argument("--confirm-large-cuts", action="store_true",
                        help="with --medication: confirm a plan that cuts more than 25%% in a "
                             "step")
    parser.add_argument("--format", default="table", choices=("table", "json", "ics"))


def read_checkins(path: str, today: date) -> list[CheckinSummary]:
    """Parse the check-in CSV; errors name the line. Times may run to the day after --today."""
    import csv  # only with --checkins, like pathlib: the plain plan starts without them
    from pathlib import Path

    from kratom_recovery.care.profile import check_number, parse_datetime
    from kratom_recovery.care.taper_holds import CheckinSummary

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput("--checkins", f"cannot read {path}: {error}") from None
    rows = list(csv.reader(text.splitlines()))
    latest = datetime.combine(today + timedelta(days=2), time(0), tzinfo=UTC)
    if not rows or [c.strip() for c in rows[0]] != CHECKIN_HEADER:
        raise InvalidInput("--checkins line 1", f"must be the header {','.join(CHECKIN_HEADER)}")
    checkins = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        where = f"--checkins line {number}"
        if len(row) != 3:
            raise InvalidInput(where, "must have 3 values: time,sows_total,craving")
        moment = parse_datetime(f"{where} time", row[0].strip(), latest=latest)
        sows_text, craving_text = row[1].strip(), row[2].strip()
        if not sows_text and not craving_text:
            raise InvalidInput(where, "needs sows_total or craving")
        sows = None if not sows_text else int(
            check_number(f"{where} sows_total", sows_text, low=0, high=64, integer=True))
        craving = None if not craving_text else int(
            check_number(f"{where} craving", craving_text, low=0, high=10, integer=True))
        checkins.append(CheckinSummary(time=moment, sows_total=sows, craving=craving))
    return checkins


def _date(flag: str, value: str | None, default: date) -> date:
    if value is None:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(flag, f"must be a date such as 2026-12-01 (got {value!r})") from None


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care import taper

    local_today = datetime.now(UTC).astimezone().date()
    today = _date("--today", args.today, local_today)
    data: dict[str, Any] = {
        "kind": "medication" if args.medication is not None else "kratom",
        "name": args.medication,
        "product": args.product,
        "amount_per_day": args.amount,
        "unit": args.unit,
        "doses_per_day": args.doses_per_day,
        "strategy": args.strategy,
        "rate_percent": args.rate,
        "step_days": args.step_days,
        "years_of_use": args.years,
        "precision": args.precision,
        "jump_off": args.jump_off,
        "start": args.start or today.isoformat(),
        "as_needed": args.as_needed,
        "confirm_large_cuts": args.confirm_large_cuts,
    }
    try:
        request = taper.parse_taper_request(data)
        checkins = read_checkins(args.checkins, today) if args.checkins else None
        plan = taper.checked_plan(request)  # refuses unconfirmed large cuts in a medicine plan
        if checkins is not None:
            plan = taper.adapt_plan(request, checkins, today)
    except InvalidInput as error:
        raise InvalidInput(FLAGS.get(error.field, error.field), error.message) from None

    name = request.name if request.kind == "medication" else "Kratom"
    if args.format == "json":
        sys.stdout.write(taper.to_json(plan) + "\n")
    elif args.format == "ics":
        sys.stdout.buffer.write(taper.to_ics(plan, name, stamp=datetime.now(UTC)))
        sys.stdout.flush()
    else:
        sys.stdout.write(taper.to_table(plan))
    return 0
