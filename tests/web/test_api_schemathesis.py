"""Schemathesis fuzzes the API in-process (WSGI) from our own OpenAPI document, as a patient
and as a clinician, on whichever database the pass runs (SQLite, then PostgreSQL in CI).

Every check schemathesis has must pass, except the ones in ALLOWED_FAILURES, each with its
reason. Zero server errors is the floor; status codes, content types and bodies must match
what the document says. Tokens and records are made through the real actions.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks

from kratom_recovery.web.patients import actions
from kratom_recovery.web.safety.models import Alert
from kratom_recovery.web.wsgi import application
from tests.support.api import token_for

pytestmark = pytest.mark.django_db

# Checks that cannot hold for this API, and why. Everything else schemathesis runs.
ALLOWED_FAILURES: dict[Callable[..., Any], str] = {
    checks.positive_data_acceptance: (
        "the schema states types, lengths, ranges and patterns, but not the rules the "
        "clinical core checks across fields (a unit that fits the product, a last dose not "
        "in the future, a real IANA time zone, the answers each instrument item allows, at "
        "most 2 decimal places): data that fits the schema may still get a 422 naming the "
        "field, which is the documented answer"
    ),
}
EXAMPLES = 25  # per operation and generation mode
MIN_EXAMPLES = 3  # per operation with valid data once the budget is spent (a loaded machine)
BUDGET_SECONDS = 55.0  # per token and database; the last operation may run a little over
DEADLINE_MS = 2000  # one request; the first may pay for imports


@pytest.fixture(autouse=True)
def keep_test_transaction() -> Any:
    """Schemathesis calls the WSGI app directly; like Django's test client, keep its request
    signals from closing the connection that holds the test's transaction (PostgreSQL)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def api_schema(token: str) -> Any:
    """Our OpenAPI document, with the token as its bearer auth. Schemathesis neither drops
    nor mangles the token (401 without one is covered by test_api_access.py) and adds no
    query parameters the document does not list: like most APIs, ours ignores those."""
    config = SchemathesisConfig.from_dict({
        "auth": {"openapi": {"TokenAuth": {"bearer": token}}, "auto-signup": False},
        "generation": {"with-security-parameters": False, "allow-extra-parameters": False},
    })
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)


def fuzz(token: str, ids: dict[str, list[int]]) -> int:
    """Every operation with valid data, then every operation with invalid data, until the time
    budget is spent; returns how many requests were made. Valid data always reaches every
    operation: past the budget (a slow or loaded machine) each remaining operation still gets
    MIN_EXAMPLES cases; invalid data stops early, with a warning.

    Half the valid cases use an id that exists (the persona's patient, an alert), so the
    operations are exercised past the 404 as well; invalid cases are refused before the
    record is looked up."""
    schema = api_schema(token)
    operations = [result.ok() for result in schema.get_all_operations()]
    excluded = list(ALLOWED_FAILURES)
    started = time.monotonic()
    calls = 0
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        positive = mode == GenerationMode.POSITIVE
        for operation in operations:
            examples = EXAMPLES
            if time.monotonic() - started > BUDGET_SECONDS:
                warnings.warn(f"time budget spent before {operation.label} ({mode})",
                              stacklevel=1)
                if mode == GenerationMode.NEGATIVE:
                    return calls
                examples = MIN_EXAMPLES

            @settings(max_examples=examples, deadline=DEADLINE_MS, database=None,
                      derandomize=bool(os.environ.get("CI")),
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
            def run(case: Any, real: bool) -> None:
                nonlocal calls
                # Only valid cases get a real id: an invalid case may be invalid *because* of
                # its id (above the maximum, say), and a real one would make it valid.
                use_real = real and positive  # noqa: B023 (run() is called in this iteration)
                for name, values in ids.items():
                    if use_real and name in (case.path_parameters or {}) and values:
                        case.path_parameters[name] = values[0]
                calls += 1
                case.call_and_validate(excluded_checks=excluded)

            try:
                run()
            except Unsatisfiable:
                # Negative mode on an operation with no input (GET /me): nothing to break.
                assert mode == GenerationMode.NEGATIVE, operation.label
    return calls


def onboarded_ids(pat: Any) -> dict[str, list[int]]:
    actions.record_checkin(pat, pat.user, {"sows": [1] * 16, "craving": [4]},
                           danger_symptoms=["chest-pain"])
    return {"patient_id": [pat.pk],
            "alert_id": list(Alert.objects.filter(patient=pat).values_list("pk", flat=True))}


def test_fuzz_as_patient(pat: Any) -> None:
    calls = fuzz(token_for(pat.user), onboarded_ids(pat))
    assert calls >= EXAMPLES


def test_fuzz_as_clinician(pat: Any, cleo: Any) -> None:
    calls = fuzz(token_for(cleo), onboarded_ids(pat))
    assert calls >= EXAMPLES
