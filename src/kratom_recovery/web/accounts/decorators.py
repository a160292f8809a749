"""Role checks as decorators: the wrong role gets 403, an anonymous visitor the login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from kratom_recovery.web.accounts.models import User

View = Callable[..., HttpResponse]


class AuthedRequest(HttpRequest):
    """What views behind role_required receive: the user is a signed-in User."""

    user: User


def role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request.user, "role", None) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


patient_required = role_required("patient")
clinician_required = role_required("clinician")
admin_required = role_required("admin")
