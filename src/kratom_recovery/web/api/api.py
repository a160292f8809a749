"""The JSON API, versioned under /api/v1/ (django-ninja; OpenAPI at /api/v1/openapi.json).

Every operation needs a bearer token (`Authorization: Bearer kr_…`, see docs/api.md),
except the docs page and the OpenAPI document. Endpoints are thin: they check the role
(403), reach objects through patients.access (404), and call the same actions as the web.
"""

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from kratom_recovery.web.api import docs, errors
from kratom_recovery.web.api.auth import TokenAuth
from kratom_recovery.web.api.endpoints import (
    alerts,
    bedside,
    contact,
    messages,
    moud,
    patients,
    safety_plan,
    tools,
)


class API(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        errors.document_input_errors(schema)
        return schema


api = API(
    title="kratom-recovery API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    parser=errors.ObjectBodyParser(),
    docs=docs.LocalSwagger(),
    description="Patients, check-ins, instruments, alerts and planning tools. "
    "See docs/api.md for authentication, errors, idempotency and pagination.",
)
errors.install(api)
api.add_router("", tools.router)
api.add_router("", patients.router)
api.add_router("", alerts.router)
api.add_router("", contact.router)
api.add_router("", messages.router)
api.add_router("", bedside.router)
api.add_router("", safety_plan.router)
api.add_router("", moud.router)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    return docs.asset(name)
