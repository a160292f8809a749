"""Time-zone names as people pick them: one check for patients, staff and the program."""

from __future__ import annotations

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput


def check_timezone(name: str, field: str = "timezone") -> str:
    """An IANA zone name (America/New_York), or InvalidInput naming the field."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(field, _("unknown time zone %(name)r") % {"name": name}) from None
    return name


@cache
def zone_choices() -> tuple[tuple[str, str], ...]:
    """Every IANA zone this machine knows, sorted, as (value, label) pairs for a select."""
    return tuple((name, name.replace("_", " ")) for name in sorted(available_timezones())
                 if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")))
