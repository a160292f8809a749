"""`kratom-recovery triage --profile FILE.json`: safety flags, level of care and crisis resources.

The file format is in docs/profile.md. This command only reads the file and prints: the
document is checked and triaged by care/triage.triage_document, as the API's /triage does.
The core is imported inside run() so `kratom-recovery --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kratom_recovery.care.errors import InvalidInput

HELP = "Check a profile and answers for safety flags, a suggested level of care and resources."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="FILE.json",
                        help="profile and answers as JSON (docs/profile.md)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default text)")


def read_file(path: str) -> Any:
    """The file's JSON value; InvalidInput naming --profile when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput("--profile", f"cannot read {path}: {error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput("--profile", f"{path} is not valid JSON ({error})") from None
    except RecursionError:
        raise InvalidInput("--profile", f"{path} is nested too deeply to read") from None
    except ValueError:  # an integer with thousands of digits
        raise InvalidInput("--profile", f"{path} holds a number too long to read") from None
    return data


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care.triage import triage_document

    payload = triage_document(read_file(args.profile), now=datetime.now(UTC)).as_dict()
    if args.format == "json":
        print(json.dumps(payload, indent=2))
        return 0
    print(render_text(payload))
    return 0


def render_text(payload: dict[str, Any]) -> str:
    lines = []
    if payload["first_actions"]:
        lines.append("Do this first:")
        for number, action in enumerate(payload["first_actions"], start=1):
            lines.append(f"  {number}. {action['label']}: {action['what']}")
        lines.append("")
    lines += [f"Suggested level of care: {payload['level']} {payload['level_name']} "
              f"({payload['level_plain_name']})", f"Next step: {payload['next_step']}", ""]
    for reason in payload["taper_needs_signoff"]:
        lines.append(f"Taper needs a clinician's sign-off: {reason['text']}")
    if payload["taper_needs_signoff"]:
        lines.append("")
    if payload["flags"]:
        lines.append("Safety flags (most urgent first):")
        for flag in payload["flags"]:
            tell = " (notifies the care team)" if flag["notifies"] else ""
            lines.append(f"  [{flag['severity'].upper()}] {flag['id']}{tell}: "
                         f"{flag['message']}")
            lines.extend(f"      - {detail}" for detail in flag["details"])
            lines.extend(f"      -> {action['label']}" for action in flag["actions"])
    else:
        lines.append("Safety flags: none")
    lines.append("")
    lines.append("Why this level:" if payload["reasons"] else "Why this level: no risk found")
    for reason in payload["reasons"]:
        lines.append(f"  {reason['level']:>3}  (dimension {reason['dimension']}) "
                     f"{reason['text']}")
    lines.append("")
    lines.append("Where to get help:")
    for resource in payload["resources"]:
        ways = "; ".join(c["label"] for c in resource["contacts"])
        lines.append(f"  {resource['name']}: {ways}")
    lines.append("")
    lines.append(payload["disclaimer"])
    return "\n".join(lines)
