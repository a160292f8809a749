"""The API's access matrix: roles × endpoints × objects ("patient A cannot see
patient B by API"). Wrong role → 403, someone else's object → 404, no or revoked token → 401."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from kratom_recovery.web.accounts.models import ApiToken
from kratom_recovery.web.accounts.tokens import revoke_token
from tests.support.api import call, checkin_body, token_for
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db

WHO = ("pat_own", "pat_bob", "cleo", "otto", "ada", "anonymous", "revoked")

# status per persona, in WHO order
READ = (200, 404, 200, 404, 403, 401, 401)
PATIENT_WRITE = (201, 404, 403, 403, 403, 401, 401)
CLINICIAN_ONLY = (403, 403, 200, 404, 403, 401, 401)
ANY_SIGNED_IN = (200, 200, 200, 200, 200, 401, 401)

USE = {"taken_at": "2026-11-20T09:00:00+00:00", "amount": 2, "unit": "g", "note": ""}
PROFILE = {
    "product": "leaf", "amount_per_day": 12, "unit": "g", "doses_per_day": 3,
    "years_of_use": 2, "last_dose": "2026-11-19T08:00:00+00:00", "timezone": "UTC",
}

# (method, path with {pid}/{aid}, body, expected statuses in WHO order)
MATRIX: list[tuple[str, str, Any, tuple[int, ...]]] = [
    ("GET", "/patients/{pid}", None, READ),
    ("GET", "/patients/{pid}/profile", None, READ),
    ("PUT", "/patients/{pid}/profile", PROFILE, (200, 404, 403, 403, 403, 401, 401)),
    ("GET", "/patients/{pid}/checkins", None, READ),
    ("POST", "/patients/{pid}/checkins", checkin_body(), PATIENT_WRITE),
    ("GET", "/patients/{pid}/uses", None, READ),
    ("POST", "/patients/{pid}/uses", USE, PATIENT_WRITE),
    ("GET", "/patients/{pid}/timeline", None, READ),
    ("GET", "/patients/{pid}/safety", None, READ),
    ("GET", "/patients/{pid}/tapers", None, READ),
    ("GET", "/patients/{pid}/export/fhir", None, READ),
    ("POST", "/patients/{pid}/questionnaires/phq9", {"answers": [0] * 9}, PATIENT_WRITE),
    ("POST", "/patients/{pid}/questionnaires/cows", {"answers": [0] * 11},
     (403, 403, 201, 404, 403, 401, 401)),
    ("GET", "/patients/{pid}/alerts", None, CLINICIAN_ONLY),
    ("POST", "/alerts/{aid}/acknowledge", {"note": "called them"}, CLINICIAN_ONLY),
    ("GET", "/patients", None, (200, 200, 200, 200, 403, 401, 401)),
    ("GET", "/me", None, ANY_SIGNED_IN),
    ("GET", "/instruments", None, ANY_SIGNED_IN),
    ("GET", "/instruments/sows", None, ANY_SIGNED_IN),
    ("GET", "/instruments/sows/questionnaire", None, ANY_SIGNED_IN),
    ("POST", "/instruments/craving/score", {"answers": [3]}, ANY_SIGNED_IN),
]
# One test per endpoint, every persona inside it: the world is built once per endpoint
# (building it per cell made this file slow), and a failure lists every wrong cell.
CASES = [pytest.param(method, path, body, statuses, id=f"{method} {path}")
         for method, path, body, statuses in MATRIX]


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(pat: Any, bob: Any, cleo: Any, otto: Any, ada: Any) -> dict[str, Any]:
    from kratom_recovery.web.safety.actions import raise_alert

    alert = raise_alert(pat, rule="test-rule", severity="warning", patient_message="p",
                        clinician_message="c", source="test")
    revoked = token_for(pat.user, "old")
    revoke_token(ApiToken.objects.get(name="old"))
    tokens = {
        "pat_own": token_for(pat.user), "pat_bob": token_for(pat.user),
        "cleo": token_for(cleo), "otto": token_for(otto), "ada": token_for(ada),
        "anonymous": None, "revoked": revoked,
    }
    return {"tokens": tokens, "pat": pat, "bob": bob, "alert": alert}


@pytest.mark.parametrize(("method", "path", "body", "statuses"), CASES)
def test_matrix(client: Client, world: dict[str, Any], method: str, path: str, body: Any,
                statuses: tuple[int, ...]) -> None:
    """Role and ownership are checked before anything is written, so the order of the
    personas does not matter (only one persona per write endpoint succeeds)."""
    wrong = []
    for who, status in zip(WHO, statuses, strict=True):
        target = world["bob"] if who == "pat_bob" else world["pat"]
        url = path.format(pid=target.pk, aid=world["alert"].pk)
        response = call(client, method, url, world["tokens"][who], body)
        if response.status_code != status:
            wrong.append(f"{who}: {response.status_code} (expected {status}) {response.content!r}")
            continue
        if status == 404:
            assert response.json() == {"detail": "Not found"}
        if status in (401, 403):
            assert isinstance(response.json()["detail"], str)
        if status == 401:
            assert response["WWW-Authenticate"].startswith("Bearer")
    assert not wrong, "\n".join(wrong)


def test_otto_cannot_acknowledge_alert_of_other_caseload(
    client: Client, world: dict[str, Any], otto: Any, make_patient: Any
) -> None:
    """And a clinician's own patient's alert is fine for them (the 404 is about ownership)."""
    from kratom_recovery.web.safety.actions import raise_alert

    ottos = make_patient("olive", otto)
    alert = raise_alert(ottos, rule="r", severity="info", patient_message="p",
                        clinician_message="c", source="test")
    cleo_token = world["tokens"]["cleo"]
    assert call(client, "POST", f"/alerts/{alert.pk}/acknowledge", cleo_token,
                {"note": "x"}).status_code == 404
    assert call(client, "POST", f"/alerts/{alert.pk}/acknowledge", world["tokens"]["otto"],
                {"note": "x"}).status_code == 200


def test_patient_list_shows_only_reachable_patients(
    client: Client, world: dict[str, Any]
) -> None:
    tokens, pat, bob = world["tokens"], world["pat"], world["bob"]
    ids = {who: [p["id"] for p in call(client, "GET", "/patients", tokens[who]).json()["items"]]
           for who in ("pat_own", "cleo", "otto")}
    # Cleo's caseload is ordered by name: Bob before Pat.
    assert ids == {"pat_own": [pat.pk], "cleo": [bob.pk, pat.pk], "otto": []}


def test_nothing_written_when_refused(client: Client, world: dict[str, Any]) -> None:
    from kratom_recovery.web.patients.models import CheckIn, UseEvent

    for who in ("pat_bob", "cleo", "otto", "ada", "anonymous", "revoked"):
        target = world["bob"] if who == "pat_bob" else world["pat"]
        call(client, "POST", f"/patients/{target.pk}/checkins", world["tokens"][who],
             checkin_body())
        call(client, "POST", f"/patients/{target.pk}/uses", world["tokens"][who], USE)
    assert CheckIn.objects.count() == 0
    assert UseEvent.objects.count() == 0


def test_wrong_token_forms_are_401(client: Client, world: dict[str, Any]) -> None:
    pid = world["pat"].pk
    good = world["tokens"]["pat_own"]
    for header in (f"Token {good}", "Bearer", "Bearer kr_nope", f"Bearer {good}x",
                   "Bearer " + "kr_" + "a" * 5000, f"bearer {good}\x00"):
        response = client.get(f"/api/v1/patients/{pid}", headers={"Authorization": header})
        assert response.status_code == 401, header
    # A session cookie is not an API credential.
    client.force_login(world["pat"].user)
    assert client.get(f"/api/v1/patients/{pid}").status_code == 401


def test_inactive_user_token_is_401(client: Client, world: dict[str, Any]) -> None:
    user = world["pat"].user
    user.is_active = False
    user.save()
    assert call(client, "GET", "/me", world["tokens"]["pat_own"]).status_code == 401
