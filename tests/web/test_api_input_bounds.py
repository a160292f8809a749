"""Regressions for 500s found by fuzzing the API (issue 11, item 5): each is now a 422
naming the field, and every error under /api/ is JSON in the documented shape."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.cli import main
from kratom_recovery.web.patients.models import UseEvent, UseProfile
from kratom_recovery.web.tapers.models import TaperPlanRecord
from tests.support.api import call, token_for
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pat_token(pat: Any) -> str:
    return token_for(pat.user)


def fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert all(e["message"] for e in detail)
    return [e["field"] for e in detail]


def put_profile(client: Client, pat: Any, token: str, **change: Any) -> Any:
    return call(client, "PUT", f"/patients/{pat.pk}/profile", token,
                profile_data(**{"amount_per_day": 15, "years_of_use": 2, **change}))


# --- 1. more decimals than are stored ---------------------------------------------------------


@pytest.mark.parametrize(("change", "field", "places"), [
    ({"amount_per_day": 0.001}, "amount_per_day", "2 decimal places"),
    ({"amount_per_day": 15.005}, "amount_per_day", "2 decimal places"),
    ({"years_of_use": 1.25}, "years_of_use", "1 decimal place"),
])
def test_profile_precision_is_refused_not_rounded(client: Client, pat: Any, pat_token: str,
                                                  change: dict[str, Any], field: str,
                                                  places: str) -> None:
    """0.001 g used to be stored as 0.00 and divide by zero in the timeline (a 500)."""
    before = UseProfile.objects.get(patient=pat).amount_per_day
    response = put_profile(client, pat, pat_token, **change)
    assert fields(response) == [field]
    assert places in response.json()["detail"][0]["message"]
    assert UseProfile.objects.get(patient=pat).amount_per_day == before
    assert call(client, "GET", f"/patients/{pat.pk}/timeline", pat_token).status_code == 200


def test_use_amount_precision(client: Client, pat: Any, pat_token: str) -> None:
    body = {"taken_at": (NOW - timedelta(hours=1)).isoformat(), "amount": 0.004, "unit": "g"}
    assert fields(call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, body)) == ["amount"]
    assert not UseEvent.objects.exists()


def test_cli_profile_json_precision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"product": "leaf", "amount_per_day": 0.001, "unit": "g",
                                "doses_per_day": 2, "years_of_use": 1}), encoding="utf-8")
    assert main(["triage", "--profile", str(path)]) == 2
    assert "amount_per_day" in capsys.readouterr().err


# --- 2 and 3. date-times: ISO text with an offset, within bounds ------------------------------


@pytest.mark.parametrize("value", [
    "2026-11-19T08:00:00+16:00", "2026-11-19T08:00:00-16:00", "2026-11-19T08:00:00+23:59",
    0, 1.5, "0", 1732000000, "1900-01-01T00:00:00Z", "1999-12-31T23:59:59Z",
    "2026-11-19", "2026-11-19T08:00:00", True,
])
def test_bad_last_dose_is_422(client: Client, pat: Any, pat_token: str, value: Any) -> None:
    """±16:00 offsets were a 500 on PostgreSQL; numbers were read as Unix time."""
    assert fields(put_profile(client, pat, pat_token, last_dose=value)) == ["last_dose"]


@pytest.mark.parametrize("value", ["2026-11-20T08:00:00+16:00", 0, "0", 1.5,
                                   "1900-06-01T00:00:00Z"])
def test_bad_taken_at_is_422(client: Client, pat: Any, pat_token: str, value: Any) -> None:
    body = {"taken_at": value, "amount": 1, "unit": "g"}
    assert fields(call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, body)) == [
        "taken_at"]
    assert not UseEvent.objects.exists()


def taper_with_checkin(time: Any) -> dict[str, Any]:
    return {"product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
            "start": "2026-11-01", "today": "2026-11-20",
            "checkins": [{"time": time, "sows_total": 10, "craving": 3}]}


@pytest.mark.parametrize(("moment", "ok"), [
    ("2000-01-01T00:00:00Z", True),
    ("1999-12-31T23:59:59Z", False),
    ("2000-01-01T00:00:01Z", True),
    ((NOW + timedelta(days=1)).isoformat(), True),
    ((NOW + timedelta(days=1) - SECOND).isoformat(), True),
    ((NOW + timedelta(days=1) + SECOND).isoformat(), False),
    ("2026-11-20T08:00:00+14:00", True),
    ("2026-11-20T08:00:00-14:00", True),
    ("2026-11-20T08:00:00+14:01", False),
    ("2026-11-20T08:00:00-14:01", False),
])
def test_datetime_bounds_in_the_api(client: Client, pat_token: str, moment: str,
                                    ok: bool) -> None:
    response = call(client, "POST", "/taper/plan", pat_token, taper_with_checkin(moment))
    if ok:
        assert response.status_code == 200, response.content
    else:
        assert fields(response) == ["checkins.0.time"]


@pytest.mark.parametrize(("field", "value"), [
    ("start", 0), ("start", "0"), ("start", 20261201), ("start", "9999-12-31"),
    ("today", 86400), ("start", "2026-11-01T00:00:00Z"),
])
def test_dates_are_iso_text(client: Client, pat_token: str, field: str, value: Any) -> None:
    body = {**taper_with_checkin("2026-11-10T08:00:00Z"), field: value}
    assert fields(call(client, "POST", "/taper/plan", pat_token, body)) == [field]


def test_openapi_states_datetime_shape(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name, prop in (("ProfileIn", "last_dose"), ("UseIn", "taken_at"),
                       ("TaperCheckin", "time")):
        node = schemas[name]["properties"][prop]
        assert node["type"] == "string" and node["format"] == "date-time", name
        assert node["pattern"].startswith("^[0-9]{4}-"), name
    assert schemas["TaperIn"]["properties"]["start"]["format"] == "date"


# --- 4. single-line text refuses control characters; .ics exports stay whole ------------------


@pytest.mark.parametrize(("change", "field"), [
    ({"medications": ["Clonidine\r\nBEGIN:VEVENT"]}, "medications.0"),
    ({"medications": ["ok", "tab\there"]}, "medications.1"),
    ({"timezone": "UTC\n"}, "timezone"),
])
def test_single_line_fields_in_the_profile(client: Client, pat: Any, pat_token: str,
                                           change: dict[str, Any], field: str) -> None:
    assert fields(put_profile(client, pat, pat_token, **change)) == [field]


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "medication", "name": "Clonidine\r\nX", "unit": "mg", "rate_percent": 10,
      "step_days": 7, "precision": 0.1, "product": None}, "name"),
    ({"kind": "medication", "name": "Clonidine", "unit": "m\ng", "rate_percent": 10,
      "step_days": 7, "precision": 0.1, "product": None}, "unit"),
])
def test_single_line_fields_in_the_taper_tool(client: Client, pat_token: str,
                                              change: dict[str, Any], field: str) -> None:
    body = {"amount_per_day": 1, "unit": "g", "doses_per_day": 2, "start": "2026-11-01",
            **change}
    body = {k: v for k, v in body.items() if v is not None}
    assert fields(call(client, "POST", "/taper/plan", pat_token, body)) == [field]


def test_notes_keep_newlines_but_not_other_controls(client: Client, pat: Any,
                                                    pat_token: str) -> None:
    url = f"/patients/{pat.pk}/uses"
    body = {"taken_at": (NOW - timedelta(hours=1)).isoformat(), "amount": 1, "unit": "g"}
    assert fields(call(client, "POST", url, pat_token, {**body, "note": "a\x07b"})) == ["note"]
    response = call(client, "POST", url, pat_token, {**body, "note": "line 1\nline 2\tx"})
    assert response.status_code == 201 and response.json()["note"] == "line 1\nline 2\tx"


def test_medication_name_with_a_line_break_is_a_form_error(client: Client, pat: Any,
                                                           cleo: Any) -> None:
    """Such a name used to be stored and break the taper's .ics download (a 500)."""
    client.force_login(cleo)
    response = client.post(reverse("clinic-medication-new", args=[pat.pk]), {
        "name": "Clonidine\r\nX", "unit": "mg", "amount_per_day": "0.3", "doses_per_day": "3",
        "schedule": "fixed", "as_needed": "", "strategy": "linear", "rate_percent": "25",
        "step_days": "4", "precision": "0.1", "jump_off": "", "start": "2026-11-20",
    })
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not TaperPlanRecord.objects.filter(kind="medication").exists()


# --- 5. every error under /api/ is JSON --------------------------------------------------------


def test_too_large_body_is_json_413(client: Client, pat: Any, pat_token: str,
                                    settings: Any) -> None:
    raw = json.dumps({"taken_at": NOW.isoformat(), "amount": 1, "unit": "g",
                      "note": "x" * (5 * 1024 * 1024)})
    response = call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, raw=raw)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"][0]["field"] == "body"
    assert str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE) in response.json()["detail"][0]["message"]
    assert not UseEvent.objects.exists()


def test_malformed_json_is_json_400(client: Client, pat: Any, pat_token: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, raw="{not json")
    assert response.status_code == 400
    assert response.json() == {"detail": [{"field": "body", "message": "must be a JSON object"}]}


@pytest.mark.parametrize("raw", ["[]", "[1, 2]", '"text"', "3", "null"])
def test_a_body_that_is_not_an_object_is_refused_and_changes_nothing(
        client: Client, pat: Any, pat_token: str, raw: str) -> None:
    """Every field of the contact PUT has a default: read as {}, `[]` would clear the record."""
    path = f"/patients/{pat.pk}/contact"
    saved = call(client, "PUT", path, pat_token, {"phone": "555 123 4567"})
    assert saved.status_code == 200
    response = call(client, "PUT", path, pat_token, raw=raw)
    assert response.status_code == 400
    assert response.json() == {"detail": [{"field": "body", "message": "must be a JSON object"}]}
    assert call(client, "GET", path, pat_token).json()["phone"] == "555 123 4567"


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/no-such-thing", 404),
    ("GET", "/patients/1/nothing", 404),
    ("DELETE", "/me", 405),
    ("PATCH", "/patients/1/profile", 405),
])
def test_unknown_paths_and_methods_are_json(client: Client, pat_token: str, method: str,
                                            path: str, status: int) -> None:
    response = call(client, method, path, pat_token)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert isinstance(response.json()["detail"], str)
    if status == 405:
        assert "GET" in response["Allow"]


def test_openapi_lists_input_errors(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            responses = operation["responses"]
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= set(responses), (method, path)
            if operation.get("parameters"):
                assert "422" in responses, (method, path)
