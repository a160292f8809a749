"""The installable app's service worker and its offline page (docs/offline.md).

The worker is served from the site's root so its scope is the whole site; it is rendered
from a template so it lists the static files' real URLs, and its version is a hash of those
files, so a changed stylesheet or script installs a new worker that drops the old cache.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from kratom_recovery.care.resources import RESOURCES

# The app shell: what every page needs to show up offline. Files that do not exist (an
# optional script not shipped) are left out.
SHELL_FILES = (
    "css/app.css", "js/offline.js", "js/checkin.js", "js/drafts.js",
    "img/favicon.svg", "img/favicon-32.png", "img/icon-192.png", "img/icon-512.png",
    "img/icon-maskable-192.png", "img/icon-maskable-512.png", "img/apple-touch-icon.png",
)


def shell_files() -> list[str]:
    return [name for name in SHELL_FILES if finders.find(name)]


@cache
def shell_version() -> str:
    """A hash of the shell's files and the worker's own template: a new one on any change."""
    digest = hashlib.sha256()
    for name in shell_files():
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(name.encode())
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """`/sw.js`: no-cache, so the browser checks for a new worker on every visit."""
    body = render_to_string("pwa/sw.js", {
        "version": shell_version(),
        "shell": [static(name) for name in shell_files()],
        "offline_url": reverse("offline"),
        "help_url": reverse("help"),
        "checkin_url": reverse("checkin"),
        "static_prefix": static(""),
    })
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What a page the phone has not kept shows without a connection: the crisis numbers
    (phone links work offline) and the way to the check-in and the help page it kept.
    The same for everyone, so the worker may keep it whoever is signed in."""
    response = render(request, "pwa/offline.html", {
        # Those reached by phone or text: what works without a connection.
        "resources": [resource.as_dict() for resource in RESOURCES
                      if any(c.kind in ("call", "text") for c in resource.contacts)],
    })
    response["Cache-Control"] = "no-cache"
    return response
