"""Triage: safety flags, a suggested level of care and crisis resources, in one pure call.

The web check-in calls `triage()`; it validates the check-in parts (raising InvalidInput
naming the field) and never does I/O. `kratom-recovery triage` and the API's /triage both
call `triage_document()` with a profile document (docs/profile.md), so they read it alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.level_of_care import Recommendation, recommend
from kratom_recovery.care.profile import UseProfile, parse_profile
from kratom_recovery.care.program_settings import parse_settings
from kratom_recovery.care.resources import Resource, check_zip, resources_for
from kratom_recovery.care.routing import FirstAction, first_actions
from kratom_recovery.care.safety import (
    SafetyFlag,
    SafetyInput,
    ScoreSummary,
    check_danger_symptoms,
    check_days_free_before_lapse,
    check_days_since_checkin,
    check_instrument,
    check_phase,
    check_resting_pulse,
    check_suicide_followup,
    check_temperature,
    check_timeline_flags,
    evaluate,
    from_score,
    highest_severity,
)
from kratom_recovery.care.signoff import SignoffReason, taper_needs_signoff

# The fields of a profile document (docs/profile.md): the use profile, then the check-in parts.
PROFILE_FIELDS: Final = (
    "product", "amount_per_day", "unit", "doses_per_day", "years_of_use", "last_dose",
    "other_substances", "medications", "conditions", "age", "support", "previous_attempts",
    "goal", "dependence", "sex",
)
CHECKIN_FIELDS: Final = (
    "answers", "danger_symptoms", "suicide_followup", "timeline_flags", "days_since_checkin",
    "phase", "zip", "temperature_c", "resting_pulse", "days_free_before_lapse", "settings",
)


@dataclass(frozen=True)
class TriageResult:
    recommendation: Recommendation
    flags: tuple[SafetyFlag, ...]  # most severe first
    resources: tuple[Resource, ...]
    zip_code: str | None = None
    first_actions: tuple[FirstAction, ...] = ()  # what to do first (care/routing.py)
    taper_signoff: tuple[SignoffReason, ...] = ()  # why a taper needs a clinician's sign-off

    @property
    def highest_severity(self) -> str | None:
        return highest_severity(self.flags)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready; the keys the CLI, the API and the check-in page share."""
        rec = self.recommendation.as_dict()
        return {
            "level": rec["level"],
            "level_name": rec["level_name"],
            "level_plain_name": rec["level_plain_name"],
            "next_step": rec["next_step"],
            "reasons": rec["reasons"],
            "highest_severity": self.highest_severity,
            "flags": [flag.as_dict() for flag in self.flags],
            "first_actions": [action.as_dict() for action in self.first_actions],
            "taper_needs_signoff": [{"id": r.id, "text": r.text, "source": r.source}
                                    for r in self.taper_signoff],
            "resources": [r.as_dict(self.zip_code) for r in self.resources],
            "disclaimer": rec["disclaimer"],
            "decided_by": rec["decided_by"],
        }


def latest_by_instrument(scores: Iterable[Any]) -> dict[str, ScoreSummary]:
    """Scores keyed by instrument id; later entries win (pass them oldest first)."""
    by_id: dict[str, ScoreSummary] = {}
    for score in scores:
        summary = from_score(score)
        check_instrument(summary.instrument)
        by_id[summary.instrument] = summary
    return by_id


def triage(
    profile: UseProfile,
    scores: Iterable[Any] | Mapping[str, Any] = (),
    *,
    danger_symptoms: object = None,
    suicide_followup: object = None,
    timeline_flags: object = None,
    days_since_checkin: object = None,
    phase: object = None,
    zip_code: object = None,
    temperature_c: object = None,
    resting_pulse: object = None,
    days_free_before_lapse: object = None,
    settings: object = None,
) -> TriageResult:
    """Evaluate the safety rules and the level of care for one person now.

    `scores` are the latest scored instruments (ScoreSummary or instruments.Score objects, or
    a mapping of instrument id to them). The check-in parts and the program settings
    (care/program_settings.py) are validated here.
    """
    if not isinstance(profile, UseProfile):
        raise InvalidInput("profile", "must be a parsed UseProfile")
    values = scores.values() if isinstance(scores, Mapping) else scores
    inp = SafetyInput(
        profile=profile,
        scores=latest_by_instrument(values),
        danger_symptoms=check_danger_symptoms(danger_symptoms),
        suicide_followup=check_suicide_followup(suicide_followup),
        timeline_flags=check_timeline_flags(timeline_flags),
        days_since_checkin=check_days_since_checkin(days_since_checkin),
        phase=check_phase(phase),
        temperature_c=check_temperature(temperature_c),
        resting_pulse=check_resting_pulse(resting_pulse),
        days_free_before_lapse=check_days_free_before_lapse(days_free_before_lapse),
        settings=parse_settings(settings),
    )
    flags = evaluate(inp)
    return TriageResult(recommend(inp), flags, resources_for(flags), check_zip(zip_code),
                        first_actions(flags), taper_needs_signoff(profile))


def score_document_answers(answers: object) -> list[Any]:
    """Score a document's `answers` (instrument id -> answers) with the registry."""
    from kratom_recovery.care.instruments import INSTRUMENTS, score  # only when answers come

    if answers is None:
        return []
    if not isinstance(answers, Mapping):
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


def triage_document(document: object, *, now: datetime) -> TriageResult:
    """Triage a profile document (docs/profile.md), as a file or an API body holds it.

    Unknown fields are refused and numbers must be JSON numbers (parse_profile strict), so the
    command line and the API accept exactly the same documents.
    """
    if not isinstance(document, Mapping):
        raise InvalidInput("profile", "must be a JSON object")
    unknown = sorted(str(key) for key in document
                     if key not in PROFILE_FIELDS and key not in CHECKIN_FIELDS)
    if unknown:
        raise InvalidInput(unknown[0], "is not a known field; see docs/profile.md")
    profile = parse_profile({k: v for k, v in document.items() if k in PROFILE_FIELDS},
                            now=now, strict=True)
    return triage(
        profile,
        score_document_answers(document.get("answers")),
        danger_symptoms=document.get("danger_symptoms"),
        suicide_followup=document.get("suicide_followup"),
        timeline_flags=document.get("timeline_flags"),
        days_since_checkin=document.get("days_since_checkin"),
        phase=document.get("phase"),
        zip_code=document.get("zip"),
        temperature_c=document.get("temperature_c"),
        resting_pulse=document.get("resting_pulse"),
        days_free_before_lapse=document.get("days_free_before_lapse"),
        settings=document.get("settings"),
    )
