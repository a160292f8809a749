"""Form helpers shared by every app's views."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.forms import Form

from kratom_recovery.care.errors import InvalidInput


def add_domain_error(form: Form, error: InvalidInput) -> None:
    """Show a core validation error on the field it names (or on the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message if field else str(error))


def localize(wall_clock: datetime, zone_name: str) -> datetime:
    """A form's naive date-time read as a wall clock in the IANA zone `zone_name`."""
    return wall_clock.replace(tzinfo=ZoneInfo(zone_name))
