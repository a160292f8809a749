"""`{{ alert.created_at|clinic_time }}`: "21:04 EST · 12 min ago" in the viewer's zone.

Rendered as a `<time>` element carrying the exact instant (ISO, and UTC in the tooltip);
the relative part sits in its own `<span class="ago">` so a page's polling script can
refresh it. Computed at render with the zone the request activated (web/middleware.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import now as utc_now

from kratom_recovery.web.common.clock import relative, wall_clock

register = template.Library()


@register.filter
def clinic_time(value: object) -> SafeString | str:
    if not isinstance(value, datetime):
        return "–" if value in (None, "") else str(value)
    if value.tzinfo is None:  # stored times are aware; a naive one is taken as UTC
        value = value.replace(tzinfo=UTC)
    now = utc_now()
    exact = value.astimezone(UTC)
    return format_html(
        '<time class="clinic-time" datetime="{}" title="{}">{} · <span class="ago">{}</span>'
        "</time>",
        exact.isoformat(timespec="seconds"), f"{exact:%Y-%m-%d %H:%M} UTC",
        wall_clock(value, now), relative(value, now),
    )
