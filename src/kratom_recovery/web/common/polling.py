"""Background polls: requests a page's script makes on its own, not a person's action.

A poll must not keep a session alive (an idle-timeout middleware would otherwise never
time out a caseload left open on a shared screen) and writes no audit rows. A view that
serves polls is wrapped in `background_poll`, and the script also sends `POLL_HEADER: 1`;
an idle-timeout middleware skips the request when `is_background_poll(request)` is true,
which it can check in its response phase (after the view has marked the request).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Final

from django.http import HttpRequest, HttpResponse

POLL_HEADER: Final = "X-Background-Poll"


def background_poll(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the request as a poll before the view runs (the view must not touch the
    session either: reading `request.user` is fine, writing to `request.session` is not)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.background_poll = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def is_background_poll(request: HttpRequest) -> bool:
    return bool(getattr(request, "background_poll", False)
                or request.headers.get(POLL_HEADER) == "1")
