"""The API docs page (Swagger UI) served from django-ninja's own copy of the assets.

ninja's default page loads Swagger UI from a CDN when "ninja" is not an installed app; our
CSP (and offline machines) block that, and the project loads nothing from a CDN. The files
ship inside the ninja package, so we serve those three files ourselves, unmodified.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
ASSET_MAX_AGE = 60 * 60 * 24  # seconds; the files change only with the ninja version


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        namespace = api.urls_namespace
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
        }
        context = {
            "api": api,
            "openapi_url": settings["url"],
            "swagger_settings": json.dumps(settings),
            "asset": {
                name.split(".")[0].replace("-", "_") + "_" + name.split(".")[-1]:
                reverse(f"{namespace}:docs_asset", kwargs={"name": name})
                for name in ASSETS
            },
        }
        return render(request, "api/docs.html", context)


def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = f"public, max-age={ASSET_MAX_AGE}"
    return response
