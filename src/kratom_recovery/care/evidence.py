"""Evidence times: when the data that makes each fired safety rule fire was recorded.

Re-raising after acknowledgement: a rule that keeps firing on the same data (a PHQ-9 from
last week, a medicine in the profile) must not reopen an alert the clinician has just closed.
So each fired rule gets an *evidence time*: the newest input that makes it fire on its own
(with the profile). An acknowledged alert is raised again only when that time is newer than
the alert. Rules that fire on the profile alone take the profile's update time. The web layer
gathers `SafetyData` from the database (web/safety/engine.py); the logic is here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kratom_recovery.care.profile import UseProfile
from kratom_recovery.care.program_settings import DEFAULT_SETTINGS, ProgramSettings
from kratom_recovery.care.safety import SAFETY_RULES, SafetyInput, ScoreSummary


@dataclass
class SafetyData:
    """Everything the rules read for one person now, with when each part was recorded."""

    profile: UseProfile
    profile_time: datetime
    scores: dict[str, ScoreSummary] = field(default_factory=dict)
    score_times: dict[str, datetime] = field(default_factory=dict)
    danger_symptoms: frozenset[str] = frozenset()
    checkin_time: datetime | None = None
    followup: dict[str, bool] = field(default_factory=dict)
    followup_time: datetime | None = None
    timeline_flags: frozenset[str] = frozenset()
    phase: str | None = None
    timeline_time: datetime | None = None
    days_since_checkin: int | None = None
    attendance_time: datetime | None = None
    temperature_c: float | None = None  # measured today
    resting_pulse: int | None = None  # measured today
    vitals_time: datetime | None = None
    days_free_before_lapse: int | None = None  # the break before the latest logged use
    lapse_time: datetime | None = None
    settings: ProgramSettings = DEFAULT_SETTINGS

    def safety_input(self) -> SafetyInput:
        """All of it as one input to the rules."""
        return SafetyInput(
            self.profile, scores=self.scores, danger_symptoms=self.danger_symptoms,
            suicide_followup=self.followup, timeline_flags=self.timeline_flags,
            days_since_checkin=self.days_since_checkin, phase=self.phase,
            temperature_c=self.temperature_c, resting_pulse=self.resting_pulse,
            days_free_before_lapse=self.days_free_before_lapse, settings=self.settings,
        )


def parts(data: SafetyData) -> list[tuple[SafetyInput, datetime | None]]:
    """Each recorded part as a safety input on its own (with the profile), and its time."""
    profile, settings = data.profile, data.settings
    timed: list[tuple[SafetyInput, datetime | None]] = [
        (SafetyInput(profile, scores={i: s}, settings=settings), data.score_times[i])
        for i, s in data.scores.items()
    ]
    timed += [
        (SafetyInput(profile, danger_symptoms=data.danger_symptoms, settings=settings),
         data.checkin_time),
        (SafetyInput(profile, suicide_followup=data.followup, settings=settings),
         data.followup_time),
        (SafetyInput(profile, timeline_flags=data.timeline_flags, settings=settings),
         data.timeline_time),
        (SafetyInput(profile, phase=data.phase, days_since_checkin=data.days_since_checkin,
                     settings=settings), data.attendance_time),
        (SafetyInput(profile, temperature_c=data.temperature_c,
                     resting_pulse=data.resting_pulse, settings=settings), data.vitals_time),
        (SafetyInput(profile, days_free_before_lapse=data.days_free_before_lapse,
                     settings=settings), data.lapse_time),
    ]
    return timed


def evidence_times(data: SafetyData, fired: Iterable[str]) -> dict[str, datetime]:
    """For each fired rule, the newest input that makes it fire on its own (module docstring).

    A rule that fires on no single part alone (only on a combination) takes the newest time
    of any part, so new data of any kind can raise it again. Only the fired rules are tried
    on the parts: whether another rule fires on a part says nothing about these.
    """
    wanted = set(fired)
    if not wanted:
        return {}
    rules = [rule for rule in SAFETY_RULES if rule.id in wanted]

    def firing(inp: SafetyInput) -> set[str]:
        return {rule.id for rule in rules if rule.when(inp)}

    baseline = firing(SafetyInput(data.profile, settings=data.settings))
    timed = parts(data)
    by_part = [(firing(inp), when) for inp, when in timed]
    every = [when for _, when in timed if when is not None] + [data.profile_time]
    times: dict[str, datetime] = {}
    for rule_id in wanted:
        if rule_id in baseline:
            times[rule_id] = data.profile_time
            continue
        alone = [when for ids, when in by_part if rule_id in ids and when is not None]
        times[rule_id] = max(alone or every)
    return times
