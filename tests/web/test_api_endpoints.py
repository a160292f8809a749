"""API behaviour: writes go through the actions, idempotent POSTs, validation errors that
name the field, pagination, bounded query counts, and audit of reads by others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from kratom_recovery.web.accounts.models import IdempotencyKey
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients.models import CheckIn, InstrumentResponse, UseEvent
from tests.support.api import call, checkin_body, sows, token_for
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pat_token(pat: Any) -> str:
    return token_for(pat.user)


@pytest.fixture
def cleo_token(cleo: Any) -> str:
    return token_for(cleo)


def use(**overrides: Any) -> dict[str, Any]:
    body = {"taken_at": (NOW - timedelta(hours=2)).isoformat(), "amount": 2.5, "unit": "g",
            "note": ""}
    body.update(overrides)
    return body


# --- works ----------------------------------------------------------------------------------


def test_me(client: Client, pat: Any, pat_token: str, cleo: Any, cleo_token: str) -> None:
    assert call(client, "GET", "/me", pat_token).json() == {
        "id": pat.user.pk, "username": "pat", "display_name": "Pat", "role": "patient",
        "patient_id": pat.pk,
    }
    assert call(client, "GET", "/me", cleo_token).json()["patient_id"] is None


def test_checkin_is_recorded_and_listed(client: Client, pat: Any, pat_token: str,
                                        cleo_token: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", pat_token, checkin_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mood"] == 3 and body["sleep_hours"] == 6.5 and body["note"] == "rough night"
    totals = {r["instrument"]: r["total"] for r in body["responses"]}
    assert totals == {"sows": 16, "craving": 4}
    checkin = CheckIn.objects.get(patient=pat)
    assert body["id"] == checkin.pk
    # Same local day again: the check-in is replaced (200), not duplicated.
    again = call(client, "POST", f"/patients/{pat.pk}/checkins", pat_token,
                 checkin_body(answers={"sows": sows(2)}, mood=4))
    assert again.status_code == 200
    assert CheckIn.objects.count() == 1
    listed = call(client, "GET", f"/patients/{pat.pk}/checkins", cleo_token).json()
    assert listed["count"] == 1
    assert listed["items"][0]["mood"] == 4
    assert {r["instrument"]: r["total"] for r in listed["items"][0]["responses"]} == {
        "sows": 32, "craving": 4}


def test_profile_get_and_put(client: Client, pat: Any, pat_token: str) -> None:
    got = call(client, "GET", f"/patients/{pat.pk}/profile", pat_token).json()
    assert got["product"] == "leaf" and got["timezone"] == "America/New_York"
    data = {k: v for k, v in profile_data().items()}
    data.update(amount_per_day=10.5, doses_per_day=2, years_of_use=1.5, timezone="Europe/Berlin",
                medications=["sertraline"], previous_attempts=0)
    put = call(client, "PUT", f"/patients/{pat.pk}/profile", pat_token, data)
    assert put.status_code == 200, put.content
    assert put.json()["amount_per_day"] == 10.5
    pat.refresh_from_db()
    assert pat.timezone == "Europe/Berlin"
    assert pat.profile.medications == ["sertraline"]


def test_profile_of_patient_not_onboarded_is_409(client: Client, cleo: Any,
                                                 make_patient: Any) -> None:
    newbie = make_patient("newbie", cleo, onboard=False)
    token = token_for(newbie.user)
    for path in ("profile", "timeline"):
        response = call(client, "GET", f"/patients/{newbie.pk}/{path}", token)
        assert response.status_code == 409
        assert "onboarding" in response.json()["detail"]


def test_use_is_logged(client: Client, pat: Any, pat_token: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, use())
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == 2.5
    pat.refresh_from_db()
    assert pat.last_use_at == NOW - timedelta(hours=2)
    listed = call(client, "GET", f"/patients/{pat.pk}/uses", pat_token).json()
    assert [u["id"] for u in listed["items"]] == [response.json()["id"]]


def test_questionnaires(client: Client, pat: Any, pat_token: str, cleo: Any,
                        cleo_token: str) -> None:
    phq = call(client, "POST", f"/patients/{pat.pk}/questionnaires/phq9", pat_token,
               {"answers": [1] * 9})
    assert phq.status_code == 201
    assert phq.json()["total"] == 9
    cows = call(client, "POST", f"/patients/{pat.pk}/questionnaires/cows", cleo_token,
                {"answers": [0] * 11})
    assert cows.status_code == 201
    assert InstrumentResponse.objects.get(instrument="cows").recorded_by_id == cleo.pk
    bad = call(client, "POST", f"/patients/{pat.pk}/questionnaires/phq9", pat_token,
               {"answers": [0] * 8 + [4]})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "answers.self-harm-thoughts"
    daily = call(client, "POST", f"/patients/{pat.pk}/questionnaires/sows", pat_token,
                 {"answers": sows()})
    assert daily.status_code == 422
    assert daily.json()["detail"][0]["field"] == "instrument_id"
    assert call(client, "POST", f"/patients/{pat.pk}/questionnaires/nope", pat_token,
                {"answers": [1]}).status_code == 404


def test_alerts_listed_and_acknowledged(client: Client, pat: Any, cleo: Any,
                                        cleo_token: str) -> None:
    from kratom_recovery.web.safety.actions import raise_alert

    alert = raise_alert(pat, rule="r1", severity="urgent", patient_message="p",
                        clinician_message="c", source="test")
    listed = call(client, "GET", f"/patients/{pat.pk}/alerts?open_only=true", cleo_token).json()
    assert alert.pk in [a["id"] for a in listed["items"]]
    acked = call(client, "POST", f"/alerts/{alert.pk}/acknowledge", cleo_token,
                 {"note": "  phoned, they are safe  "})
    assert acked.status_code == 200
    assert acked.json()["acknowledgement_note"] == "phoned, they are safe"
    assert acked.json()["acknowledged_by_id"] == cleo.pk
    listed = call(client, "GET", f"/patients/{pat.pk}/alerts?open_only=true", cleo_token).json()
    assert alert.pk not in [a["id"] for a in listed["items"]]
    twice = call(client, "POST", f"/alerts/{alert.pk}/acknowledge", cleo_token, {"note": "x"})
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["field"] == "alert"


def test_instruments(client: Client, pat_token: str) -> None:
    from kratom_recovery.care.instruments import INSTRUMENTS

    listed = call(client, "GET", "/instruments", pat_token).json()
    assert [i["id"] for i in listed] == list(INSTRUMENTS)
    sows_def = call(client, "GET", "/instruments/sows", pat_token).json()
    assert [i["id"] for i in sows_def["items"]][:2] == ["anxious", "yawning"]
    assert sows_def["items"][0]["options"][0] == {"value": 0, "label": sows_def["items"][0][
        "options"][0]["label"], "loinc": None}
    fhir = call(client, "GET", "/instruments/phq9/questionnaire", pat_token).json()
    assert fhir["resourceType"] == "Questionnaire"
    scored = call(client, "POST", "/instruments/phq9/score", pat_token,
                  {"answers": [0] * 8 + [1]}).json()
    assert scored["total"] == 1 and scored["flags"] == ["suicidal-thoughts"]
    # The supervised-use exclusion is a clinician's judgement (test_safety_wiring.py).
    sud = call(client, "POST", "/instruments/sud/score", pat_token,
               {"answers": [1] * 11, "options": {"medically_supervised": True}})
    assert sud.status_code == 422
    assert sud.json()["detail"][0]["field"] == "options.medically_supervised"
    unknown = call(client, "POST", "/instruments/sud/score", pat_token,
                   {"answers": [1] * 11, "options": {"nope": True}})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "options"
    assert call(client, "GET", "/instruments/nope", pat_token).status_code == 404
    assert call(client, "GET", "/instruments/nope/questionnaire", pat_token).status_code == 404


def test_taper_plan(client: Client, pat_token: str) -> None:
    body = {"product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
            "strategy": "percent", "start": "2026-12-01"}
    plan = call(client, "POST", "/taper/plan", pat_token, body)
    assert plan.status_code == 200, plan.content
    steps = plan.json()["steps"]
    assert steps[0]["daily_amount"] == 10 and steps[-1]["daily_amount"] == 0
    held = call(client, "POST", "/taper/plan", pat_token, {
        **body, "start": "2026-11-01", "today": "2026-11-20",
        "checkins": [{"time": "2026-11-07T08:00:00Z", "sows_total": 30, "craving": 8}],
    }).json()
    assert held["holds"]
    bad = call(client, "POST", "/taper/plan", pat_token, {**body, "unit": "tablets"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "unit"


def test_triage(client: Client, pat_token: str) -> None:
    base = {"product": "leaf", "amount_per_day": 10, "unit": "g", "doses_per_day": 2,
            "years_of_use": 1}
    calm = call(client, "POST", "/triage", pat_token, base)
    assert calm.status_code == 200, calm.content
    assert calm.json()["highest_severity"] is None or calm.json()["flags"] == []
    urgent = call(client, "POST", "/triage", pat_token,
                  {**base, "danger_symptoms": ["chest-pain"]}).json()
    assert urgent["highest_severity"] == "emergency"
    bad = call(client, "POST", "/triage", pat_token, {**base, "answers": {"sows": [9] * 16}})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "answers.sows"
    unknown = call(client, "POST", "/triage", pat_token, {**base, "danger_symptoms": ["nope"]})
    assert unknown.json()["detail"][0]["field"] == "danger_symptoms"


def test_timeline_uses_sows_checkins(client: Client, pat: Any, pat_token: str) -> None:
    before = call(client, "GET", f"/patients/{pat.pk}/timeline", pat_token).json()
    assert before["phase"] in ("pre-onset", "onset", "peak", "subsiding", "post-acute")
    assert len(before["forecast"]) == 31
    call(client, "POST", f"/patients/{pat.pk}/checkins", pat_token,
         checkin_body(answers={"sows": sows(4)}))
    after = call(client, "GET", f"/patients/{pat.pk}/timeline", pat_token).json()
    assert after["forecast"] != before["forecast"]  # the observation moved the forecast


# --- idempotency ----------------------------------------------------------------------------


def test_same_key_twice_writes_once(client: Client, pat: Any, pat_token: str) -> None:
    path = f"/patients/{pat.pk}/checkins"
    first = call(client, "POST", path, pat_token, checkin_body(), **{"Idempotency-Key": "k-1"})
    second = call(client, "POST", path, pat_token, checkin_body(), **{"Idempotency-Key": "k-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert CheckIn.objects.count() == 1
    assert InstrumentResponse.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_same_key_different_body_is_422(client: Client, pat: Any, pat_token: str) -> None:
    path = f"/patients/{pat.pk}/uses"
    assert call(client, "POST", path, pat_token, use(), **{"Idempotency-Key": "abc"}
                ).status_code == 201
    other = call(client, "POST", path, pat_token, use(amount=3), **{"Idempotency-Key": "abc"})
    assert other.status_code == 422
    assert other.json()["detail"][0]["field"] == "Idempotency-Key"
    assert "different request" in other.json()["detail"][0]["message"]
    # Same key on another endpoint is a different request too.
    elsewhere = call(client, "POST", f"/patients/{pat.pk}/checkins", pat_token, checkin_body(),
                     **{"Idempotency-Key": "abc"})
    assert elsewhere.status_code == 422
    assert UseEvent.objects.count() == 1
    assert CheckIn.objects.count() == 0


def test_keys_are_per_user(client: Client, pat: Any, cleo: Any, cleo_token: str,
                           pat_token: str) -> None:
    cows = {"answers": [0] * 11}
    pat_phq = call(client, "POST", f"/patients/{pat.pk}/questionnaires/phq9", pat_token,
                   {"answers": [0] * 9}, **{"Idempotency-Key": "shared"})
    cleo_cows = call(client, "POST", f"/patients/{pat.pk}/questionnaires/cows", cleo_token, cows,
                     **{"Idempotency-Key": "shared"})
    assert pat_phq.status_code == cleo_cows.status_code == 201
    assert InstrumentResponse.objects.count() == 2


def test_failed_request_is_not_stored(client: Client, pat: Any, pat_token: str) -> None:
    path = f"/patients/{pat.pk}/uses"
    bad = call(client, "POST", path, pat_token, use(unit="tablets", amount=900),
               **{"Idempotency-Key": "retry-me"})
    assert bad.status_code == 422
    assert IdempotencyKey.objects.count() == 0
    good = call(client, "POST", path, pat_token, use(), **{"Idempotency-Key": "retry-me"})
    assert good.status_code == 201


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "tab\tkey", "é"])
def test_bad_idempotency_key_is_422(client: Client, pat: Any, pat_token: str, key: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, use(),
                    **{"Idempotency-Key": key})
    assert response.status_code == 422, key
    assert response.json()["detail"][0]["field"] == "Idempotency-Key"
    assert UseEvent.objects.count() == 0


# --- validation: 422 naming the field, never a 500 ------------------------------------------


BAD_CHECKINS = [
    ({"answers": {}}, "answers"),
    ({"answers": {"cows": [0] * 11}}, "answers.cows"),
    ({"answers": {"sows": [9] * 16}}, "answers.sows.anxious"),
    ({"answers": {"sows": [1] * 15}}, "answers.sows"),
    ({"answers": {"sows": sows(), "daily-extra": [1, 1, 1, 1, 7]}},
     "answers.daily-extra.poor-sleep"),
    ({"answers": {"sows": [True] * 16}}, "answers.sows.0"),
    ({"answers": {"sows": ["1"] * 16}}, "answers.sows.0"),
    ({"answers": {"sows": sows()}, "mood": 9}, "mood"),
    ({"answers": {"sows": sows()}, "sleep_hours": 30}, "sleep_hours"),
    ({"answers": {"sows": sows()}, "note": "x" * 2001}, "note"),
    ({"answers": {"sows": sows()}, "note": "nul\x00byte"}, "note"),
    ({"answers": "sows"}, "answers"),
]


@pytest.mark.parametrize(("body", "field"), BAD_CHECKINS)
def test_bad_checkin_names_field(client: Client, pat: Any, pat_token: str, body: Any,
                                 field: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/checkins", pat_token, body)
    assert response.status_code == 422, response.content
    fields = [e["field"] for e in response.json()["detail"]]
    assert field in fields, fields
    assert all(e["message"] for e in response.json()["detail"])
    assert CheckIn.objects.count() == 0


@pytest.mark.parametrize(("change", "field"), [
    ({"product": "powder"}, "product"),
    ({"unit": "mg"}, "unit"),  # leaf is weighed in grams (core check)
    ({"timezone": "Mars/Base"}, "timezone"),
    ({"timezone": "UTC\x00"}, "timezone"),
    ({"last_dose": "2026-11-19T08:00:00"}, "last_dose"),
    ({"last_dose": "2030-01-01T08:00:00+00:00"}, "last_dose"),
    ({"medications": ["ok", "bad\x00"]}, "medications.1"),
    ({"medications": ["x" * 201]}, "medications.0"),
    ({"doses_per_day": 0}, "doses_per_day"),
    ({"amount_per_day": "10"}, "amount_per_day"),
])
def test_bad_profile_names_field(client: Client, pat: Any, pat_token: str,
                                 change: dict[str, Any], field: str) -> None:
    data = profile_data(amount_per_day=15, years_of_use=2, **change) if "amount_per_day" not in \
        change else profile_data(years_of_use=2, **change)
    response = call(client, "PUT", f"/patients/{pat.pk}/profile", pat_token, data)
    assert response.status_code == 422, response.content
    assert field in [e["field"] for e in response.json()["detail"]]
    pat.refresh_from_db()
    assert pat.timezone == "America/New_York"


@pytest.mark.parametrize(("method", "path", "raw", "status"), [
    ("POST", "/patients/{pid}/uses", "{not json", 400),
    ("POST", "/patients/{pid}/uses", "[]", 400),  # not one JSON object: like malformed JSON
    ("POST", "/patients/{pid}/uses", '{"note": "\\u0000"}', 422),
    ("GET", "/patients/99999999999999999999999999", None, 422),
    ("GET", "/patients/-1", None, 422),
    ("GET", "/patients/abc", None, 422),
    ("GET", "/patients/{pid}/uses?offset=99999999999999999999", None, 422),
    ("GET", "/patients/{pid}/uses?limit=0", None, 422),
    ("GET", "/patients/{pid}/uses?limit=100000", None, 422),
    ("POST", "/alerts/9999999999999999999999/acknowledge", '{"note": "x"}', 422),
    ("GET", "/instruments/%00", None, 422),
    ("POST", "/instruments/sows/score", '{"answers": [1], "options": {"x\\u0000": true}}', 422),
])
def test_bad_input_is_never_500(client: Client, pat: Any, pat_token: str, method: str,
                                path: str, raw: str | None, status: int) -> None:
    response = call(client, method, path.format(pid=pat.pk), pat_token, raw=raw)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["field"] and detail[0]["message"]


def test_validation_body_shape(client: Client, pat: Any, pat_token: str) -> None:
    response = call(client, "POST", f"/patients/{pat.pk}/uses", pat_token, {"amount": -1})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert all(set(e) == {"field", "message"} for e in detail)
    assert {"taken_at", "amount", "unit"} <= {e["field"] for e in detail}


# --- pagination, query counts, audit --------------------------------------------------------


def test_pagination(client: Client, pat: Any, pat_token: str) -> None:
    for hours in range(1, 6):
        call(client, "POST", f"/patients/{pat.pk}/uses", pat_token,
             use(taken_at=(NOW - timedelta(hours=hours)).isoformat()))
    page = call(client, "GET", f"/patients/{pat.pk}/uses?limit=2&offset=2", pat_token).json()
    assert page["count"] == 5
    expected = [(NOW - timedelta(hours=h)).isoformat().replace("+00:00", "Z") for h in (3, 4)]
    assert [u["taken_at"] for u in page["items"]] == expected
    assert call(client, "GET", f"/patients/{pat.pk}/uses?offset=10", pat_token
                ).json()["items"] == []


@pytest.mark.parametrize("days", [2, 12])
def test_checkin_list_query_count_is_constant(
    client: Client, pat: Any, cleo_token: str, days: int, django_assert_max_num_queries: Any
) -> None:
    from kratom_recovery.web.patients.actions import record_checkin

    for day in range(days):
        record_checkin(pat, pat.user, {"sows": sows(), "craving": [3]},
                       now=NOW - timedelta(days=day))
    with django_assert_max_num_queries(10):  # 8, plus the audit chain head's lock and move
        response = call(client, "GET", f"/patients/{pat.pk}/checkins", cleo_token)
    assert response.json()["count"] == days


@pytest.mark.parametrize("path", ["/patients", "/patients/{pid}/uses", "/patients/{pid}/alerts"])
def test_list_query_count_is_constant(
    client: Client, pat: Any, cleo: Any, cleo_token: str, make_patient: Any, path: str,
    django_assert_max_num_queries: Any
) -> None:
    from kratom_recovery.web.patients.actions import log_use
    from kratom_recovery.web.safety.actions import raise_alert

    for index in range(10):
        make_patient(f"p{index}", cleo)
        log_use(pat, pat.user, taken_at=NOW - timedelta(hours=index + 1), amount=1, unit="g")
        raise_alert(pat, rule=f"r{index}", severity="info", patient_message="p",
                    clinician_message="c", source="test")
    with django_assert_max_num_queries(9):  # 7, plus the audit chain head's lock and move
        response = call(client, "GET", path.format(pid=pat.pk), cleo_token)
    assert response.status_code == 200
    assert response.json()["count"] >= 10


def test_reads_by_others_are_audited(client: Client, pat: Any, pat_token: str, cleo: Any,
                                     cleo_token: str) -> None:
    for path in ("", "/profile", "/checkins", "/uses", "/timeline", "/alerts"):
        call(client, "GET", f"/patients/{pat.pk}{path}", cleo_token)
    entries = AuditEntry.objects.filter(patient=pat, actor=cleo, via="api", action="read")
    assert sorted(entries.values_list("target", flat=True)) == sorted(
        ["patient", "profile", "checkins", "uses", "timeline", "alerts"])
    before = AuditEntry.objects.count()
    for path in ("", "/profile", "/checkins", "/uses", "/timeline"):
        call(client, "GET", f"/patients/{pat.pk}{path}", pat_token)
    assert AuditEntry.objects.count() == before  # a patient's own reads are theirs


WEIRD: list[Any] = [None, True, "", "\x00", "x" * 5000, -1, 10**30, 1e308, float("nan"),
                    float("inf"), [], {}, [[[]]], {"a": {"b": {}}}]
POSTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/patients/{pid}/checkins", checkin_body()),
    ("POST", "/patients/{pid}/uses", use()),
    ("PUT", "/patients/{pid}/profile", profile_data()),
    ("POST", "/patients/{pid}/questionnaires/phq9", {"answers": [0] * 9}),
    ("POST", "/instruments/sows/score", {"answers": sows()}),
    ("POST", "/taper/plan", {"product": "leaf", "amount_per_day": 10, "unit": "g",
                             "doses_per_day": 2, "start": "2026-12-01"}),
    ("POST", "/triage", {"product": "leaf", "amount_per_day": 10, "unit": "g",
                         "doses_per_day": 2, "years_of_use": 1}),
]


@pytest.mark.parametrize(("method", "path", "body"), POSTS, ids=[p[1] for p in POSTS])
def test_weird_values_in_every_field_are_never_500(
    client: Client, pat: Any, pat_token: str, method: str, path: str, body: dict[str, Any]
) -> None:
    """Each field in turn gets each odd JSON value (NaN and Infinity too, which Python's
    JSON accepts): the answer is a 2xx or a 4xx with the standard body, never a 500."""
    import json

    url = path.format(pid=pat.pk)
    for field in body:
        for value in WEIRD:
            raw = json.dumps({**body, field: value})
            response = call(client, method, url, pat_token, raw=raw)
            assert response.status_code < 500, (field, value)
            if response.status_code >= 400:
                detail = response.json()["detail"]
                assert isinstance(detail, list) and detail[0]["message"], (field, value)


def test_safety_tapers_and_fhir_export_for_the_clinician(
    client: Client, pat: Any, cleo: Any
) -> None:
    from kratom_recovery.web.patients import actions
    from kratom_recovery.web.tapers.actions import start_taper

    with time_machine.travel(NOW, tick=False):
        actions.record_checkin(pat, pat.user, {"craving": [4]},
                               danger_symptoms=["chest-pain"], self_harm_thoughts=False)
        start_taper(pat, pat.user, {
            "product": "leaf", "amount_per_day": "15", "unit": "g", "doses_per_day": 3,
            "strategy": "percent", "rate_percent": "10", "step_days": 7,
            "start": NOW.date().isoformat()})
        token = token_for(cleo)
        safety = call(client, "GET", f"/patients/{pat.pk}/safety", token, None).json()
        tapers = call(client, "GET", f"/patients/{pat.pk}/tapers", token, None).json()
        bundle = call(client, "GET", f"/patients/{pat.pk}/export/fhir", token, None).json()
    assert safety["highest_severity"] == "emergency" and safety["disclaimer"]
    assert tapers[0]["kind"] == "kratom" and tapers[0]["steps"][0]["daily_amount"] == 15
    assert bundle["resourceType"] == "Bundle"
    assert AuditEntry.objects.filter(actor=cleo, patient=pat, action="export",
                                     via="api").exists()
