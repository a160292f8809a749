"""`kratom-recovery instruments`: list the clinical instruments this system can score."""

from __future__ import annotations

import argparse

from kratom_recovery.care.instruments import INSTRUMENTS

# typing.TYPE_CHECKING without importing typing, which costs the command's start-up; mypy
# treats any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HELP = "List the instruments (scales and checklists) with their item counts and score ranges."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )


def rows() -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "version": i.version,
            "name": i.name,
            "short_name": i.short_name,
            "items": len(i.items),
            "min": i.min_total,
            "max": i.max_total,
            "respondent": i.respondent,
            "bands": [band.id for band in i.bands],
        }
        for i in INSTRUMENTS.values()
    ]


def run(args: argparse.Namespace) -> int:
    table = rows()
    if args.format == "json":
        import json  # only for --format json: the default text list starts without it

        print(json.dumps(table, indent=2))
        return 0
    width = max(len(row["id"]) for row in table)
    for row in table:
        print(
            f"{row['id']:<{width}}  {row['items']:>2} item{'s' if row['items'] != 1 else ' '}  "
            f"{row['min']}-{row['max']:<3}  "
            f"{row['respondent']:<9}  {row['name']}"
        )
    return 0
