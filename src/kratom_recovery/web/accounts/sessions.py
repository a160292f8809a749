"""Session bookkeeping: when a staff session began and was last used by its person.

Staff sessions end STAFF_IDLE_MINUTES after the last request of their own (background polls,
web/common/polling.py, do not count) and STAFF_SESSION_HOURS after sign-in; patients keep
long sessions and can sign out everywhere instead. The times live in the session itself,
written at sign-in and then at most once a minute, so an ordinary page costs no write.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kratom_recovery.web.accounts.events import emit
from kratom_recovery.web.accounts.models import ApiToken, User

STARTED: Final = "auth_started"
SEEN: Final = "auth_seen"
SEEN_RESOLUTION: Final = timedelta(minutes=1)


def stamp(session: Any, now: datetime) -> None:
    session[STARTED] = session[SEEN] = now.timestamp()


def on_sign_in(request: HttpRequest, user: User) -> None:
    """Called from the user_logged_in signal: start the clocks."""
    stamp(request.session, timezone.now())
    if user.is_staff_role:
        request.session.set_expiry(settings.STAFF_SESSION_HOURS * 3600)


def expired(request: HttpRequest, now: datetime) -> bool:
    """True if this staff session is past its idle or absolute limit."""
    started, seen = request.session.get(STARTED), request.session.get(SEEN)
    if not isinstance(started, float) or not isinstance(seen, float):
        return False  # made before these limits existed: stamped on its next request
    age, idle = now.timestamp() - started, now.timestamp() - seen
    return (age > settings.STAFF_SESSION_HOURS * 3600
            or idle > settings.STAFF_IDLE_MINUTES * 60)


def touch(request: HttpRequest, now: datetime) -> None:
    """Note the person's own request (at most one session write a minute)."""
    seen = request.session.get(SEEN)
    if not isinstance(seen, float):
        stamp(request.session, now)
    elif now.timestamp() - seen >= SEEN_RESOLUTION.total_seconds():
        request.session[SEEN] = now.timestamp()


@transaction.atomic
def sign_out_everywhere(user: User, *, revoke_tokens: bool,
                        now: datetime | None = None) -> int:
    """End every session of `user` (this one too) and, if asked, their API tokens."""
    now = now or timezone.now()
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    revoked = 0
    if revoke_tokens:
        revoked = ApiToken.objects.filter(user=user, revoked_at=None).update(revoked_at=now)
    emit(user, user, "update", "sign-out-everywhere" + ("+tokens" if revoke_tokens else ""))
    return revoked
