"""The program settings in force: the stored row checked and turned into plain values.

`current_settings()` reads the row each call (one small query; no cache between requests,
so an admin's change takes effect at once and nothing is shared across forked workers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.program_settings import ProgramSettings, parse_settings
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.program.hours import DEFAULT_HOURS, OpeningHours, check_zone, parse_hours
from kratom_recovery.web.program.models import SINGLETON_ID, ProgramSettingsRow

# How long an emergency alert may go unacknowledged before the on-call backup and the admins
# are told. No published figure: a labelled program setting [ref:assumption:escalation-minutes].
ESCALATION_DEFAULT: Final = 15
ESCALATION_MIN: Final = 5
ESCALATION_MAX: Final = 60


@dataclass(frozen=True)
class ProgramConfig:
    """Everything program-wide a page, the safety engine or the notifier needs."""

    clinical: ProgramSettings
    timezone: str
    hours: OpeningHours
    escalation_minutes: int

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def escalation_delay(self) -> timedelta:
        return timedelta(minutes=self.escalation_minutes)

    def local(self, now: datetime) -> datetime:
        return now.astimezone(self.zone)

    def is_open(self, now: datetime) -> bool:
        return self.hours.is_open(self.local(now))

    def next_opening(self, now: datetime) -> datetime | None:
        """When the program next opens after `now`, in its zone (None: no hours set)."""
        return self.hours.next_opening(self.local(now))


DEFAULT_CONFIG: Final = ProgramConfig(
    clinical=ProgramSettings(), timezone="UTC", hours=DEFAULT_HOURS,
    escalation_minutes=ESCALATION_DEFAULT,
)


def check_escalation(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not (
        ESCALATION_MIN <= value <= ESCALATION_MAX
    ):
        raise InvalidInput("escalation_minutes", f"must be a whole number of minutes from "
                           f"{ESCALATION_MIN} to {ESCALATION_MAX} (got {value!r})")
    return value


def build_config(timezone: object, hours: object, escalation_minutes: object,
                 clinical: object) -> ProgramConfig:
    """Check every value against its bounds (InvalidInput naming the first bad field)."""
    check_zone(timezone)
    return ProgramConfig(
        clinical=parse_settings(clinical),
        timezone=str(timezone),
        hours=parse_hours(hours),
        escalation_minutes=check_escalation(escalation_minutes),
    )


def row_config(row: ProgramSettingsRow) -> ProgramConfig:
    return build_config(row.timezone, row.opening_hours, row.escalation_minutes, row.clinical)


def current_settings() -> ProgramConfig:
    """The settings in force: the stored row, or the defaults before an admin saves any."""
    row = ProgramSettingsRow.objects.filter(pk=SINGLETON_ID).first()
    return DEFAULT_CONFIG if row is None else row_config(row)


def user_zone(user: User, config: ProgramConfig | None = None) -> ZoneInfo:
    """A staff user's display zone: their own if set, else the program's."""
    if user.timezone:
        return ZoneInfo(user.timezone)
    return (config or current_settings()).zone
