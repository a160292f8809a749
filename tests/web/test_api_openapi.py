"""The OpenAPI document is valid and complete, and the docs page works under our CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/patients"),
    ("get", "/api/v1/patients/{patient_id}"),
    ("get", "/api/v1/patients/{patient_id}/profile"),
    ("put", "/api/v1/patients/{patient_id}/profile"),
    ("get", "/api/v1/patients/{patient_id}/checkins"),
    ("post", "/api/v1/patients/{patient_id}/checkins"),
    ("get", "/api/v1/patients/{patient_id}/uses"),
    ("post", "/api/v1/patients/{patient_id}/uses"),
    ("get", "/api/v1/patients/{patient_id}/timeline"),
    ("get", "/api/v1/patients/{patient_id}/safety"),
    ("get", "/api/v1/patients/{patient_id}/tapers"),
    ("get", "/api/v1/patients/{patient_id}/export/fhir"),
    ("post", "/api/v1/patients/{patient_id}/questionnaires/{instrument_id}"),
    ("get", "/api/v1/patients/{patient_id}/alerts"),
    ("post", "/api/v1/alerts/{alert_id}/acknowledge"),
    ("get", "/api/v1/patients/{patient_id}/contact"),
    ("put", "/api/v1/patients/{patient_id}/contact"),
    ("get", "/api/v1/patients/{patient_id}/messages"),
    ("post", "/api/v1/patients/{patient_id}/messages"),
    ("post", "/api/v1/patients/{patient_id}/messages/read"),
    ("get", "/api/v1/instruments"),
    ("get", "/api/v1/instruments/{instrument_id}"),
    ("get", "/api/v1/instruments/{instrument_id}/questionnaire"),
    ("post", "/api/v1/instruments/{instrument_id}/score"),
    ("post", "/api/v1/taper/plan"),
    ("post", "/api/v1/triage"),
    ("get", "/api/v1/patients/{patient_id}/vitals"),
    ("post", "/api/v1/patients/{patient_id}/vitals"),
    ("post", "/api/v1/patients/{patient_id}/assessments/{instrument_id}"),
    ("get", "/api/v1/patients/{patient_id}/labs"),
    ("post", "/api/v1/patients/{patient_id}/labs"),
    ("get", "/api/v1/lab-analytes"),
    ("get", "/api/v1/patients/{patient_id}/risk-assessments"),
    ("post", "/api/v1/patients/{patient_id}/risk-assessments"),
    ("get", "/api/v1/patients/{patient_id}/safety-plan"),
    ("post", "/api/v1/patients/{patient_id}/safety-plan"),
    ("get", "/api/v1/patients/{patient_id}/medication-orders"),
    ("post", "/api/v1/patients/{patient_id}/medication-orders"),
    ("post", "/api/v1/patients/{patient_id}/medication-orders/{order_id}/doses"),
    ("get", "/api/v1/patients/{patient_id}/medication-doses"),
    ("get", "/api/v1/patients/{patient_id}/moud"),
    ("post", "/api/v1/patients/{patient_id}/moud"),
    ("get", "/api/v1/patients/{patient_id}/naloxone"),
    ("post", "/api/v1/patients/{patient_id}/naloxone"),
    ("get", "/api/v1/patients/{patient_id}/moud-checkins"),
    ("post", "/api/v1/patients/{patient_id}/moud-checkins"),
    ("get", "/api/v1/patients/{patient_id}/discharge-summaries"),
    ("post", "/api/v1/patients/{patient_id}/discharge-summaries"),
    ("get", "/api/v1/patients/{patient_id}/discharge-summaries/{summary_id}/fhir"),
}


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    result: dict[str, Any] = response.json()
    return result


def test_document_validates(document: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_every_endpoint_is_documented(document: dict[str, Any]) -> None:
    operations = {(method, path) for path, item in document["paths"].items()
                  for method in item}
    assert operations == ENDPOINTS


def test_every_operation_has_auth_and_error_responses(document: dict[str, Any]) -> None:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (method, path)
            assert "401" in responses, (method, path)
            assert operation["security"] == [{"TokenAuth": []}], (method, path)
            if method in ("post", "put"):
                assert "422" in responses, (method, path)
            if "{patient_id}" in path:
                assert {"403", "404"} <= set(responses), (method, path)
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_text_fields_have_limits(document: dict[str, Any]) -> None:
    """Every string in a request body has a maximum length (or is an enum/pattern-bound id),
    and free text refuses NUL bytes."""
    schemas = document["components"]["schemas"]
    inputs = [name for name in schemas if name.endswith("In")]
    assert inputs

    def strings(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
        found = []
        if isinstance(node, dict):
            if node.get("type") == "string":
                found.append((where, node))
            for key, value in node.items():
                found += strings(value, f"{where}.{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found += strings(value, f"{where}[{index}]")
        return found

    for name in inputs:
        for where, node in strings(schemas[name], name):
            bounded = ("maxLength" in node or "enum" in node or "format" in node
                       or node.get("pattern", "").endswith("}$") or "const" in node)
            assert bounded, where
            if "maxLength" in node and "pattern" not in node:
                raise AssertionError(f"{where}: free text must refuse NUL bytes")


def test_api_version_and_description(document: dict[str, Any]) -> None:
    assert document["info"]["version"] == "1"
    assert "docs/api.md" in document["info"]["description"]


def test_docs_page_loads_nothing_from_elsewhere(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "<style" not in page and " style=" not in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    for source in sources:
        assert source.startswith("/"), source
        assert client.get(source).status_code == 200, source
    # Inline scripts would need a nonce; the page has only JSON data and external files.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_assets_are_a_fixed_list(client: Client) -> None:
    assert client.get("/api/v1/docs/assets/../../api.py").status_code == 404
    assert client.get("/api/v1/docs/assets/redoc.standalone.js").status_code == 404
