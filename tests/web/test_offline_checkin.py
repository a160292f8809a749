"""The installable, offline-capable patient app on the server's side: the web check-in sent
again with an Idempotency-Key is recorded once, a check-in is dated by when it was finished
(within a bound), the service worker and its offline page, and sign-out clearing the site."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.accounts.models import IdempotencyKey
from kratom_recovery.web.patients.inputs import COMPLETED_MAX_AGE
from kratom_recovery.web.patients.models import CheckIn
from tests.support.api import call, sows, token_for
from tests.web.test_patient_flows import checkin_post

pytestmark = pytest.mark.django_db

# Pat lives in America/New_York (personas.profile_data): 08:00 there on 21 November.
MORNING = datetime(2026, 11, 21, 13, 0, tzinfo=UTC)
LATE_EVENING = "2026-11-20T23:50:00-05:00"


@pytest.fixture
def pat_client(client: Client, pat: Any) -> Client:
    client.force_login(pat.user)
    return client


def keyed(client: Client, key: str, **extra: str) -> Any:
    return client.post(reverse("checkin"), {**checkin_post(), **extra},
                       headers={"Idempotency-Key": key})


def test_a_resent_web_checkin_is_recorded_once(pat_client: Client, pat: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        first = keyed(pat_client, "k-1", completed_at=LATE_EVENING)
        again = keyed(pat_client, "k-1", completed_at=LATE_EVENING)
    assert first.status_code == 201, first.content
    assert list(first.json()) == ["location"] and first.json()["location"].startswith("/me/")
    assert (again.status_code, again.json()) == (201, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert CheckIn.objects.filter(patient=pat).count() == 1
    assert IdempotencyKey.objects.filter(user=pat.user).count() == 1


def test_finished_late_evening_and_sent_next_morning_is_the_evening_s_day(
        pat_client: Client, pat: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        assert keyed(pat_client, "k-2", completed_at=LATE_EVENING).status_code == 201
    assert CheckIn.objects.get(patient=pat).local_date.isoformat() == "2026-11-20"


def test_without_completed_at_a_checkin_is_today_s(pat_client: Client, pat: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        assert keyed(pat_client, "k-3").status_code == 201
    assert CheckIn.objects.get(patient=pat).local_date.isoformat() == "2026-11-21"


@pytest.mark.parametrize(("completed_at", "words"), [
    ((MORNING - COMPLETED_MAX_AGE - timedelta(minutes=1)).isoformat(), "more than 36 hours"),
    ((MORNING + timedelta(hours=1)).isoformat(), "in the future"),
    ("2026-11-20T23:50:00", "time zone offset"),
    ("yesterday", "date and time"),
])
def test_a_refused_completed_at_is_named_and_nothing_is_written(
        pat_client: Client, pat: Any, completed_at: str, words: str) -> None:
    with time_machine.travel(MORNING, tick=False):
        response = keyed(pat_client, "k-4", completed_at=completed_at)
    assert response.status_code == 400
    text = response.content.decode()
    assert "completed_at" in text and words in text
    assert not CheckIn.objects.exists() and not IdempotencyKey.objects.exists()


def test_a_corrected_resend_after_a_refusal_runs(pat_client: Client, pat: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        assert keyed(pat_client, "k-5", completed_at="nonsense").status_code == 400
        assert keyed(pat_client, "k-5", completed_at=LATE_EVENING).status_code == 201
    assert CheckIn.objects.filter(patient=pat).count() == 1


def test_the_same_key_for_other_answers_is_refused(pat_client: Client, pat: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        assert keyed(pat_client, "k-6").status_code == 201
        other = keyed(pat_client, "k-6", mood="5")
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"


def test_a_bad_key_is_refused_and_nothing_written(pat_client: Client, pat: Any) -> None:
    response = keyed(pat_client, "has space")
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"
    assert not CheckIn.objects.exists()


def test_without_a_key_the_form_works_as_before(pat_client: Client, pat: Any) -> None:
    response = pat_client.post(reverse("checkin"), checkin_post())
    assert response.status_code == 302
    assert CheckIn.objects.filter(patient=pat).count() == 1


def test_a_keyed_post_signed_out_is_sent_to_sign_in(client: Client, pat: Any) -> None:
    response = keyed(client, "k-7")
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not CheckIn.objects.exists()


def test_another_persons_key_does_not_replay_theirs(client: Client, pat: Any,
                                                    bob: Any) -> None:
    client.force_login(pat.user)
    assert keyed(client, "shared").status_code == 201
    client.force_login(bob.user)
    assert keyed(client, "shared").status_code == 201
    assert CheckIn.objects.filter(patient=bob).count() == 1


# --- the API carries completed_at too ------------------------------------------------------


def test_api_checkin_is_dated_by_completed_at(client: Client, pat: Any) -> None:
    token = token_for(pat.user)
    body = {"answers": {"sows": sows()}, "completed_at": LATE_EVENING}
    with time_machine.travel(MORNING, tick=False):
        response = call(client, "POST", f"/patients/{pat.pk}/checkins", token, body)
    assert response.status_code == 201, response.content
    assert response.json()["local_date"] == "2026-11-20"


@pytest.mark.parametrize("completed_at", [
    "2026-11-20T23:50:00",  # no offset
    (MORNING - COMPLETED_MAX_AGE - timedelta(minutes=1)).isoformat(),
])
def test_api_refuses_completed_at_naming_it(client: Client, pat: Any, completed_at: str) -> None:
    token = token_for(pat.user)
    body = {"answers": {"sows": sows()}, "completed_at": completed_at}
    with time_machine.travel(MORNING, tick=False):
        response = call(client, "POST", f"/patients/{pat.pk}/checkins", token, body)
    assert response.status_code in (400, 422), response.content
    assert "completed_at" in response.content.decode()
    assert not CheckIn.objects.exists()


# --- the worker, the offline page, the manifest, sign-out ----------------------------------


def test_service_worker_is_served_from_the_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    for url in ("/static/css/app.css", "/static/js/offline.js", reverse("offline"),
                reverse("help"), reverse("checkin")):
        assert f'"{url}"' in body, url
    assert "<script" not in body


def test_offline_page_lists_the_crisis_numbers(client: Client) -> None:
    response = client.get(reverse("offline"))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:988"' in text and 'href="tel:911"' in text and 'href="sms:988"' in text


def test_manifest_has_png_and_maskable_icons(client: Client) -> None:
    icons = client.get("/manifest.webmanifest").json()["icons"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in icons if icon["type"] == "image/png"}
    assert {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"),
            ("512x512", "maskable")} <= sizes
    for icon in icons:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_pages_link_the_icons_theme_and_worker_script(client: Client) -> None:
    text = client.get(reverse("login")).content.decode()
    for needle in ('rel="apple-touch-icon"', 'name="theme-color"', "img/favicon-32.png",
                   "js/offline.js"):
        assert needle in text, needle


def test_sign_out_clears_the_site_data(pat_client: Client) -> None:
    response = pat_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in pat_client.session


def test_sign_out_is_post_only(pat_client: Client) -> None:
    assert pat_client.get(reverse("logout")).status_code == 405
