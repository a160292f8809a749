"""Show times in the patient's own zone: "today" and every timestamp they see are local."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone


class PatientTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        patient = getattr(user, "patient", None) if user and user.is_authenticated else None
        if patient is not None:
            timezone.activate(ZoneInfo(patient.timezone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
