"""Bearer-token authentication and the role checks the API shares with the web pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.accounts.tokens import user_for_token
from kratom_recovery.web.api.errors import Forbidden

ROLE_MESSAGES: dict[str, str] = {
    Role.PATIENT: "This needs a patient account.",
    Role.CLINICIAN: "This needs a clinician account.",
}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kr_…`. Unknown or revoked tokens get 401."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user  # so shared helpers (and logging) see who is acting
        return user


def api_user(request: HttpRequest) -> User:
    """The authenticated user of an API request (the auth class guarantees one)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def require_role(user: User, *roles: str) -> None:
    """403 unless the user has one of `roles` (checked before the object, as on the web)."""
    if user.role not in roles:
        raise Forbidden(ROLE_MESSAGES.get(roles[0], "Forbidden") if len(roles) == 1
                        else "Forbidden")
