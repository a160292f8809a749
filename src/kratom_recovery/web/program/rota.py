"""Who is on call at a moment: the shift covering it, if any."""

from __future__ import annotations

from datetime import datetime

from kratom_recovery.web.program.models import OnCallShift


def on_call_at(now: datetime) -> OnCallShift | None:
    """The shift with starts_at <= now < ends_at (shifts never overlap, so at most one)."""
    return (
        OnCallShift.objects.select_related("primary", "backup")
        .filter(starts_at__lte=now, ends_at__gt=now)
        .first()
    )
