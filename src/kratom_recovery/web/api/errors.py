"""One error shape for the whole API (docs/api.md):

- bad input: 422 `{"detail": [{"field": "answers.sows", "message": "..."}]}` — both ninja's
  own schema validation and the clinical core's InvalidInput;
- a body that is not JSON: 400, same list shape, field "body"; a body over
  DATA_UPLOAD_MAX_MEMORY_SIZE: 413, same shape;
- everything else: `{"detail": "Not found"}` and the like.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from kratom_recovery.care.errors import InvalidInput

# Where ninja says an error sits; the source itself is not a field name people can fix.
SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    detail: list[FieldError]


class ErrorOut(Schema):
    detail: str


class Forbidden(HttpError):
    """The wrong role for this operation (403); objects that are not yours are 404."""

    def __init__(self, message: str = "Forbidden") -> None:
        super().__init__(403, message)


class Conflict(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(409, message)


def field_name(loc: Sequence[Any], body_params: frozenset[str]) -> str:
    """("body", "payload", "answers", "sows", 0) -> "answers.sows.0"."""
    parts = list(loc)
    if parts and parts[0] in SOURCES:
        source = parts.pop(0)
        # ninja nests a body schema under the parameter's name; clients never see that name.
        if source == "body" and len(parts) > 1 and parts[0] in body_params:
            parts.pop(0)
    # pydantic marks a bad dict key with a "[key]" step; the key itself names the field.
    return ".".join(str(p) for p in parts if p != "[key]") or "body"


def message_for(error: dict[str, Any]) -> str:
    if error.get("type") == "string_pattern_mismatch":
        return f"has characters that are not allowed here (allowed: {error['ctx']['pattern']})"
    message = str(error.get("msg", "is not valid"))
    # pydantic prefixes custom validator messages; the field is named separately.
    return message.removeprefix("Value error, ")


def validation_body(errors: list[dict[str, str]]) -> dict[str, Any]:
    return {"detail": errors}


BODY_PARAM_NAMES = frozenset({"payload"})


class ObjectBodyParser(Parser):
    """Every request body is one JSON object. Without this check ninja reads `[]`, `3` or
    `null` as an empty object, so a PUT whose fields all have defaults would clear a record."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise HttpError(400, "must be a JSON object")  # answered by on_http_error below
        return data


def install(api: NinjaAPI) -> None:
    """Register the handlers on `api` (replacing ninja's defaults)."""

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": field_name(e.get("loc", ()), BODY_PARAM_NAMES), "message": message_for(e)}
            for e in exc.errors
        ]
        return api.create_response(request, validation_body(errors), status=422)

    @api.exception_handler(InvalidInput)
    def on_invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        body = validation_body([{"field": exc.field, "message": exc.message}])
        return api.create_response(request, body, status=422)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = validation_body([{"field": "body", "message": f"must be at most {limit} bytes"}])
        return api.create_response(request, body, status=413)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": "Not found"}, status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # ninja could not parse the body as JSON
            body: dict[str, Any] = validation_body(
                [{"field": "body", "message": "must be a JSON object"}]
            )
            return api.create_response(request, body, status=400)
        response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response


def _error_response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def document_input_errors(schema: dict[str, Any]) -> None:
    """List in the OpenAPI document the input errors every operation can really give:
    422 wherever there are parameters or a body; 400 (not JSON) and 413 (too large) wherever
    there is a body. Writing them by hand on each route would drift."""
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            responses = operation["responses"]
            if operation.get("parameters") or "requestBody" in operation:
                responses.setdefault("422", _error_response("Bad input", "ValidationErrorOut"))
            if "requestBody" in operation:
                responses.setdefault("400", _error_response("The body is not JSON",
                                                            "ValidationErrorOut"))
                responses.setdefault("413", _error_response("The body is too large",
                                                            "ValidationErrorOut"))
