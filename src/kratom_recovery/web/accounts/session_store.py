"""Django's database sessions, with the read compiled once (common/prepared.py): every
signed-in request reads its session, and building that query cost more than running it.

Expiry is checked on the row read instead of in the query, so the query has no time in it
and can be compiled once; a session past its expiry is treated as missing, as Django's own
store does."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from kratom_recovery.web.common.prepared import Prepared

_BY_KEY = Prepared(lambda key: Session.objects.filter(session_key=key), keys=(str,))


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        session = _BY_KEY.first(key) if isinstance(key, str) else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
