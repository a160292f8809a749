"""Staff session limits and the second-factor requirement, checked on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kratom_recovery.web.accounts import sessions, twofactor
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.common.polling import is_background_poll

Handler = Callable[[HttpRequest], HttpResponse]
# Pages a staff member who must enrol may still open: enrolment itself, signing out,
# static files, the public help and the health probes.
ENROL_OPEN: Final = ("/account/two-factor/", "/logout/", "/static/", "/help/", "/healthz",
                     "/readyz", "/favicon.ico")


def signed_in_staff(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_staff_role:
        return user
    return None


class StaffSessionMiddleware:
    """Ends a staff session after its idle time or its lifetime. A background poll neither
    counts as activity nor (when the session has ended) gets a page: it gets the sign-in
    redirect, like any request without a session."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        user = signed_in_staff(request)
        if user is not None and sessions.expired(request, now):
            logout(request)
            if not is_background_poll(request):
                messages.info(request, _("You were signed out after a period without "
                                         "activity. Please sign in again."))
        response = self.get_response(request)
        if (user is not None and request.user.is_authenticated
                and not is_background_poll(request)):
            sessions.touch(request, now)
        return response


class SecondFactorMiddleware:
    """After the grace period, a clinician or admin without an authenticator is sent to
    enrolment before any other page. A session made without the second factor for an
    account that has one (an old session from before enrolment) is ended."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_staff(request)
        if user is not None and not twofactor.is_verified(request) and not request.path.startswith(
                ENROL_OPEN):
            now = timezone.now()
            deadline = twofactor.grace_deadline(user)
            if deadline is not None and now >= deadline:
                if twofactor.is_enrolled(user):
                    logout(request)
                    return redirect(reverse("login"))
                return redirect(reverse("two-factor"))
        return self.get_response(request)
