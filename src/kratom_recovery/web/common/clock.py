"""Clinician-side times: the wall clock in the viewer's zone, its abbreviation and how long
ago, e.g. "21:04 EST · 12 min ago".

The zone is whatever `django.utils.timezone` has active for the request (the staff user's
zone, else the program's, else UTC; web/middleware.py picks it), so this module needs no
knowledge of users or programs.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def relative(when: datetime, now: datetime) -> str:
    """"just now", "12 min ago", "3 h ago", "2 days ago", or "in 5 min" for the future.

    Whole units rounded down, so a time never reads as later than it is."""
    seconds = int((now - when).total_seconds())
    ahead = seconds < 0
    span = abs(seconds)
    if span < MINUTE:
        return _("just now")
    if span < HOUR:
        n = span // MINUTE
        return (_("in %(n)d min") if ahead else _("%(n)d min ago")) % {"n": n}
    if span < DAY:
        n = span // HOUR
        return (_("in %(n)d h") if ahead else _("%(n)d h ago")) % {"n": n}
    if span < 365 * DAY:
        n = span // DAY
        if ahead:
            return ngettext("in %(n)d day", "in %(n)d days", n) % {"n": n}
        return ngettext("%(n)d day ago", "%(n)d days ago", n) % {"n": n}
    n = span // (365 * DAY)
    if ahead:
        return ngettext("in %(n)d year", "in %(n)d years", n) % {"n": n}
    return ngettext("%(n)d year ago", "%(n)d years ago", n) % {"n": n}


def wall_clock(when: datetime, now: datetime) -> str:
    """"21:04 EST" today in the active zone; with the weekday and date on another day, and
    the year in another year, so an old time is never mistaken for today's."""
    local = timezone.localtime(when)
    today = timezone.localtime(now).date()
    zone = local.tzname() or "UTC"
    clock = f"{local:%H:%M} {zone}"
    if local.date() == today:
        return clock
    if local.year == today.year or abs((local.date() - today).days) < 180:
        return f"{dateformat.format(local, 'D j M')}, {clock}"
    return f"{dateformat.format(local, 'j M Y')}, {clock}"


def clinic_label(when: datetime, now: datetime | None = None) -> str:
    """Wall clock and relative time as one line of plain text."""
    now = now or timezone.now()
    return f"{wall_clock(when, now)} · {relative(when, now)}"
