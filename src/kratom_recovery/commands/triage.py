"""`kratom-recovery triage --profile FILE.json`: safety flags, level of care and crisis resources.

The file format is in docs/profile.md. The instrument registry is imported inside run() so
this module imports fast and the pure core can be tested without it.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kratom_recovery.care.errors import InvalidInput

HELP = "Check a profile and answers for safety flags, a suggested level of care and resources."

PROFILE_FIELDS = (
    "product", "amount_per_day", "unit", "doses_per_day", "years_of_use", "last_dose",
    "other_substances", "medications", "conditions", "age", "support", "previous_attempts",
    "goal", "dependence", "sex",
)
CHECKIN_FIELDS = (
    "answers", "danger_symptoms", "suicide_followup", "timeline_flags", "days_since_checkin",
    "phase", "zip", "temperature_c", "resting_pulse", "days_free_before_lapse", "settings",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", required=True, metavar="FILE.json",
                        help="profile and answers as JSON (docs/profile.md)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output format (default text)")


def read_file(path: str) -> dict[str, Any]:
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
    if not isinstance(data, dict):
        raise InvalidInput("profile", "must be a JSON object")
    unknown = sorted(set(data) - set(PROFILE_FIELDS) - set(CHECKIN_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "is not a known field; see docs/profile.md")
    return data


def score_answers(answers: object) -> list[Any]:
    """Score each instrument's answers with the registry (imported lazily)."""
    from kratom_recovery.care.instruments import INSTRUMENTS, score

    if answers is None:
        return []
    if not isinstance(answers, dict):
        raise InvalidInput("answers", "must be an object of instrument id -> list of answers")
    scores = []
    for instrument_id, values in answers.items():
        if instrument_id not in INSTRUMENTS:
            raise InvalidInput("answers", f"unknown instrument {instrument_id!r}; known: "
                               f"{', '.join(INSTRUMENTS)}")
        try:
            scores.append(score(instrument_id, values))
        except InvalidInput as error:
            raise InvalidInput(f"answers.{instrument_id}", error.message) from None
    return scores


def run(args: argparse.Namespace) -> int:
    from kratom_recovery.care.profile import parse_profile
    from kratom_recovery.care.triage import triage

    data = read_file(args.profile)
    profile = parse_profile({k: v for k, v in data.items() if k in PROFILE_FIELDS},
                            now=datetime.now(UTC), strict=True)
    result = triage(
        profile,
        score_answers(data.get("answers")),
        danger_symptoms=data.get("danger_symptoms"),
        suicide_followup=data.get("suicide_followup"),
        timeline_flags=data.get("timeline_flags"),
        days_since_checkin=data.get("days_since_checkin"),
        phase=data.get("phase"),
        zip_code=data.get("zip"),
        temperature_c=data.get("temperature_c"),
        resting_pulse=data.get("resting_pulse"),
        days_free_before_lapse=data.get("days_free_before_lapse"),
        settings=data.get("settings"),
    )
    payload = result.as_dict()
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
