"""Request-wide middleware: the viewer's time zone and language, private pages, HEAD as GET."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.models import Role, User
from kratom_recovery.web.program.config import user_zone


def viewer_zone(user: object) -> ZoneInfo | None:
    """The zone a signed-in person sees times in: a patient's own; for staff their own zone,
    else the program's (program/config.user_zone); None (UTC) for anyone else. A zone name
    the zone database no longer knows falls back to UTC rather than failing the page."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    try:
        if user.role == Role.PATIENT:
            patient = getattr(user, "patient", None)
            return None if patient is None else ZoneInfo(patient.timezone)
        if user.role in (Role.CLINICIAN, Role.ADMIN):
            return user_zone(user)
    except (ZoneInfoNotFoundError, InvalidInput, ValueError):
        return None
    return None


class ViewerTimezoneMiddleware:
    """Show times in the viewer's zone: "today" and every timestamp a patient sees are
    theirs; a clinician's caseload, chart, alerts and notes are on the clinician's clock."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = viewer_zone(getattr(request, "user", None))
        if zone is not None:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class AccountLanguageMiddleware:
    """A signed-in patient gets the language saved on their account; clinicians and admins
    always get English.

    Only the patient pages have a Spanish catalogue (docs/translation.md); a staff browser
    asking for Spanish would otherwise get clinical pages half in one language and half in the
    other, which is easy to misread. Runs after LocaleMiddleware and authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            chosen = "en" if user.role != Role.PATIENT else user.language
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for a signed-in person hold health data: never cache them anywhere, so the
    back button or a shared device's disk cache cannot show them after sign-out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header(
            "Cache-Control"
        ):
            response["Cache-Control"] = "private, no-store"
        return response


class HeadAsGetMiddleware:
    """HEAD is answered wherever GET is: the same status and headers, no body (RFC 9110).

    Django hands a HEAD answer's body to the server to drop, and views limited to GET and
    POST refuse HEAD with a 405; gunicorn and django.request logged a warning for each.
    Outermost, so every layer inside (CommonMiddleware's Content-Length included) sees a GET.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            response.streaming_content = []  # the file, if any, is still closed by close()
        else:
            response.content = b""
        return response
