"""Signal receivers, connected in AccountsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kratom_recovery.web.accounts import sessions
from kratom_recovery.web.accounts.models import User


def started_session(sender: Any, request: HttpRequest | None, user: User, **_: Any) -> None:
    """Every sign-in (the sign-in pages, sign-up, tests' force_login) starts the clocks."""
    if request is not None and hasattr(request, "session"):
        sessions.on_sign_in(request, user)
