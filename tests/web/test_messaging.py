"""Secure messages between a patient and their care team: access, limits, read state,
audit, content-free notices, exports (FHIR Communication) and the API."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.exports.actions import fhir_export, personal_download
from kratom_recovery.web.messaging import actions
from kratom_recovery.web.messaging.models import Message
from kratom_recovery.web.messaging.queries import unread_for_patient, unread_for_team
from tests.support.api import call, token_for
from tests.support.personas import NOW, PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://care.example.org"


# --- access matrix --------------------------------------------------------------------------


def test_patient_writes_and_reads_own_thread(pat: Any) -> None:
    client = signed_in(pat.user)
    response = client.post(reverse("messages"), {"body": "Can we move Friday's visit?"})
    assert response.status_code == 302
    page = client.get(reverse("messages")).content.decode()
    assert "Can we move Friday&#x27;s visit?" in page
    assert "Messages are not for emergencies" in page
    assert 'href="tel:988"' in page and 'href="sms:988"' in page and 'href="tel:911"' in page
    message = Message.objects.get()
    assert (message.from_patient, message.author_id) == (True, pat.user.pk)


def test_care_team_reads_and_answers(pat: Any, cleo: Any) -> None:
    actions.send_message(pat, pat.user, "Hello")
    client = signed_in(cleo)
    url = reverse("clinic-messages", args=[pat.pk])
    assert "Hello" in client.get(url).content.decode()
    assert client.post(url, {"body": "Yes, Friday works."}).status_code == 302
    answer = Message.objects.get(from_patient=False)
    assert answer.author_id == cleo.pk


def test_unrelated_clinician_gets_404_and_writes_nothing(pat: Any, otto: Any) -> None:
    client = signed_in(otto)
    url = reverse("clinic-messages", args=[pat.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "hi"}).status_code == 404
    assert not Message.objects.exists()


def test_wrong_role_gets_403(pat: Any, cleo: Any, ada: Any) -> None:
    assert signed_in(cleo).get(reverse("messages")).status_code == 403
    assert signed_in(pat.user).get(reverse("clinic-messages", args=[pat.pk])).status_code == 403
    assert signed_in(ada).get(reverse("clinic-messages", args=[pat.pk])).status_code == 403


def test_patient_without_a_care_team_is_told_so(make_patient: Any) -> None:
    solo = make_patient("solo", None)
    response = signed_in(solo.user).post(reverse("messages"), {"body": "anyone?"})
    assert response.status_code == 200
    assert "not connected with a care team" in response.content.decode()
    assert not Message.objects.exists()


def test_messaging_stays_open_when_the_patient_stops_sharing(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.recovery.consent import clinician_may_see
    from kratom_recovery.web.recovery.models import SharingConsent

    SharingConsent.objects.create(patient=pat, checkins=False, journal=False, plan=False)
    assert not clinician_may_see(pat, "checkins")
    actions.send_message(pat, pat.user, "Still here")
    page = signed_in(cleo).get(reverse("clinic-messages", args=[pat.pk])).content.decode()
    assert "Still here" in page


# --- input checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [
    ("", "is required"),
    ("x" * 2001, "2000"),
    ("bell \x07 here", "control characters"),
    ("nul \x00 here", "control characters"),
])
def test_bad_text_names_the_problem_and_writes_nothing(pat: Any, body: str,
                                                       message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        actions.send_message(pat, pat.user, body)
    assert caught.value.field == "body" and message in caught.value.message
    assert not Message.objects.exists()


def test_line_breaks_and_the_full_length_are_kept(pat: Any) -> None:
    body = "first line\nsecond\tline\n" + "x" * (2000 - 23)
    assert len(body) == 2000
    assert actions.send_message(pat, pat.user, body).body == body


def test_form_shows_the_length_error(pat: Any) -> None:
    response = signed_in(pat.user).post(reverse("messages"), {"body": "x" * 2001})
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    assert not Message.objects.exists()


# --- rate limit -----------------------------------------------------------------------------


def test_twenty_an_hour_then_a_clear_error(pat: Any) -> None:
    for i in range(20):
        actions.send_message(pat, pat.user, f"m{i}", now=NOW + timedelta(minutes=i))
    with pytest.raises(actions.TooManyMessages) as caught:
        actions.send_message(pat, pat.user, "one more", now=NOW + timedelta(minutes=30))
    assert "20 messages an hour" in caught.value.message
    assert Message.objects.count() == 20
    # An hour after the first, one slot is free again.
    actions.send_message(pat, pat.user, "later", now=NOW + timedelta(minutes=60, seconds=1))
    assert Message.objects.count() == 21


def test_the_form_names_the_limit(pat: Any) -> None:
    for i in range(20):
        actions.send_message(pat, pat.user, f"m{i}")
    response = signed_in(pat.user).post(reverse("messages"), {"body": "21st"})
    assert response.status_code == 200
    assert "at most 20 messages an hour" in response.content.decode()
    assert Message.objects.count() == 20


def test_api_21st_message_is_429_naming_the_limit_and_writes_nothing(
        client: Client, pat: Any) -> None:
    token = token_for(pat.user)
    path = f"/patients/{pat.pk}/messages"
    for i in range(20):
        assert call(client, "POST", path, token, {"body": f"m{i}"}).status_code == 201
    audits = AuditEntry.objects.count()
    response = call(client, "POST", path, token, {"body": "21st"})
    assert response.status_code == 429
    assert "20 messages an hour" in response.json()["detail"]
    assert Message.objects.count() == 20
    assert AuditEntry.objects.count() == audits


def test_limit_is_per_sender(pat: Any, cleo: Any, make_patient: Any) -> None:
    bob = make_patient("bob", cleo)
    for i in range(20):
        actions.send_message(bob if i % 2 else pat, cleo, f"m{i}")
    with pytest.raises(actions.TooManyMessages):
        actions.send_message(pat, cleo, "21st from Cleo")
    actions.send_message(pat, pat.user, "Pat's own limit is untouched")


# --- audit and read state -------------------------------------------------------------------


def test_patient_messages_are_audited_too(pat: Any, cleo: Any) -> None:
    mine = actions.send_message(pat, pat.user, "from me")
    theirs = actions.send_message(pat, cleo, "from the team")
    rows = AuditEntry.objects.filter(action="create", target__startswith="message:")
    assert {(r.actor_id, r.target) for r in rows} == {
        (pat.user.pk, f"message:{mine.pk}"), (cleo.pk, f"message:{theirs.pk}")}


def test_clinician_reading_the_thread_is_audited(pat: Any, cleo: Any) -> None:
    signed_in(cleo).get(reverse("clinic-messages", args=[pat.pk]))
    assert AuditEntry.objects.filter(actor=cleo, action="read", target="messages").exists()


def test_read_state_per_side(pat: Any, cleo: Any) -> None:
    actions.send_message(pat, pat.user, "one")
    actions.send_message(pat, pat.user, "two")
    actions.send_message(pat, cleo, "answer")
    assert (unread_for_team(pat), unread_for_patient(pat)) == (2, 1)
    # The patient's nav shows their unread count; opening the thread clears it.
    home = signed_in(pat.user)
    nav = home.get(reverse("recovery-coping")).content.decode()
    assert 'data-testid="nav-unread">1<' in nav
    home.get(reverse("messages"))
    assert (unread_for_team(pat), unread_for_patient(pat)) == (2, 0)
    signed_in(cleo).get(reverse("clinic-messages", args=[pat.pk]))
    assert unread_for_team(pat) == 0
    assert set(Message.objects.filter(from_patient=True).values_list("read_by", flat=True)) \
        == {cleo.pk}


def test_caseload_row_shows_unread_in_constant_queries(client: Client, cleo: Any,
                                                         make_patient: Any) -> None:
    patients = [make_patient(f"p{i}", cleo) for i in range(3)]
    viewer = signed_in(cleo)
    viewer.get(reverse("caseload"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as before:
        viewer.get(reverse("caseload"))
    for i, patient in enumerate(patients):
        for _ in range(i + 1):
            actions.send_message(patient, patient.user, "hi")
    more = [make_patient(f"q{i}", cleo) for i in range(3)]
    actions.send_message(more[0], more[0].user, "hello")
    with CaptureQueriesContext(connection) as after:
        page = viewer.get(reverse("caseload")).content.decode()
    assert len(after.captured_queries) == len(before.captured_queries)
    assert page.count('data-testid="row-unread"') == 4
    assert "3 new messages" in page


def test_chart_panel_shows_the_team_unread_count(pat: Any, cleo: Any) -> None:
    actions.send_message(pat, pat.user, "one")
    page = signed_in(cleo).get(reverse("chart", args=[pat.pk])).content.decode()
    assert "1 unread message" in page
    assert reverse("clinic-messages", args=[pat.pk]) in page


# --- notices --------------------------------------------------------------------------------


def test_team_answer_notifies_the_patient_without_content(
        django_capture_on_commit_callbacks: Any, pat: Any, cleo: Any) -> None:
    pat.user.email = "pat@example.org"
    pat.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, cleo, "Your dose plan changes on Monday")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["pat@example.org"]
    text = str(sent.subject) + str(sent.body)
    assert "https://care.example.org/me/messages/" in sent.body
    assert "You have a new message" in sent.body
    for secret in ("dose", "Monday", "kratom", "Kratom", "recovery", "Cleo", "Pat"):
        assert secret not in text


def test_patient_message_notifies_the_care_team(django_capture_on_commit_callbacks: Any,
                                                pat: Any, cleo: Any) -> None:
    cleo.email = "cleo@clinic.example.org"
    cleo.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, pat.user, "I feel worse today")
    assert [m.to for m in mail.outbox] == [["cleo@clinic.example.org"]]
    body = mail.outbox[0].body
    assert f"/clinic/patients/{pat.pk}/messages/" in body and "worse" not in body


def test_patient_can_turn_notices_off(django_capture_on_commit_callbacks: Any,
                                      pat: Any, cleo: Any) -> None:
    pat.user.email = "pat@example.org"
    pat.user.save()
    client = signed_in(pat.user)
    assert client.post(reverse("message-notices"), {}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, cleo, "hello")
    assert mail.outbox == []
    client.post(reverse("message-notices"), {"email_notices": "on"})
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, cleo, "hello again")
    assert len(mail.outbox) == 1


def test_no_notice_when_nothing_is_committed(pat: Any, cleo: Any) -> None:
    pat.user.email = "pat@example.org"
    pat.user.save()
    with pytest.raises(InvalidInput):
        actions.send_message(pat, cleo, "\x07")
    assert mail.outbox == []


def test_a_failing_mail_server_loses_no_message_and_logs_no_content(
        django_capture_on_commit_callbacks: Any, settings: Any, pat: Any, cleo: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    pat.user.email = "pat@example.org"
    pat.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, cleo, "private words")
    assert Message.objects.filter(body="private words").exists()
    assert "message notice not sent" in caplog.text
    assert "private" not in caplog.text and "pat@example.org" not in caplog.text


# --- exports --------------------------------------------------------------------------------


def test_fhir_export_has_valid_communications(pat: Any, cleo: Any) -> None:
    actions.send_message(pat, pat.user, "question", now=NOW)
    actions.mark_read(pat, cleo, now=NOW + timedelta(minutes=5))
    actions.send_message(pat, cleo, "answer", now=NOW + timedelta(minutes=6))
    bundle = fhir_export(pat, cleo, pseudonymous=False, now=NOW + timedelta(hours=1))
    Bundle.model_validate(bundle)
    communications = [e["resource"] for e in bundle["entry"]
                      if e["resource"]["resourceType"] == "Communication"]
    for resource in communications:
        get_fhir_model_class("Communication").model_validate(resource)
    assert [c["payload"][0]["contentString"] for c in communications] == ["question", "answer"]
    question, answer = communications
    assert question["sender"]["reference"].startswith("urn:uuid:")
    assert "received" in question and "received" not in answer
    assert answer["sender"] == {"display": "Care team: Cleo"}
    pseudonymous = fhir_export(pat, cleo, pseudonymous=True, now=NOW + timedelta(hours=1))
    assert not any(e["resource"]["resourceType"] == "Communication"
                   for e in pseudonymous["entry"])


def test_personal_download_has_the_thread(pat: Any, cleo: Any) -> None:
    actions.send_message(pat, pat.user, "mine")
    actions.send_message(pat, cleo, "theirs")
    document = json.loads(personal_download(pat))
    bodies = [m["body"] for m in document["records"]["messaging.message"]]
    assert bodies == ["mine", "theirs"]
    assert sum(e["resource"]["resourceType"] == "Communication"
               for e in document["fhir"]["entry"]) == 2


def test_deleting_the_account_keeps_the_care_teams_messages(pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.exports.actions import delete_account
    from kratom_recovery.web.exports.models import RetainedRecord

    actions.send_message(pat, pat.user, "mine")
    actions.send_message(pat, cleo, "theirs")
    delete_account(pat, PASSWORD)
    kept = RetainedRecord.objects.filter(kind="care-team-message")
    assert [r.data["body"] for r in kept] == ["theirs"]
    assert not Message.objects.exists()


# --- API ------------------------------------------------------------------------------------


def test_api_access_matrix(client: Client, pat: Any, cleo: Any, otto: Any,
                           ada: Any) -> None:
    path = f"/patients/{pat.pk}/messages"
    assert call(client, "POST", path, token_for(pat.user), {"body": "hi"}).status_code == 201
    assert call(client, "GET", path, token_for(cleo)).json()["items"][0]["body"] == "hi"
    assert call(client, "GET", path, token_for(otto)).status_code == 404
    assert call(client, "POST", path, token_for(otto), {"body": "x"}).status_code == 404
    assert call(client, "GET", path, token_for(ada)).status_code == 403
    assert Message.objects.count() == 1


def test_api_idempotent_post_and_mark_read(client: Client, pat: Any, cleo: Any) -> None:
    path = f"/patients/{pat.pk}/messages"
    token = token_for(cleo)
    first = call(client, "POST", path, token, {"body": "answer"}, **{"Idempotency-Key": "k1"})
    again = call(client, "POST", path, token, {"body": "answer"}, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and first.json() == again.json()
    assert Message.objects.count() == 1
    patient_token = token_for(pat.user)
    listed = call(client, "GET", path, patient_token).json()
    assert listed["items"][0]["read_at"] is None  # reading the list marks nothing
    read = call(client, "POST", path + "/read", patient_token)
    assert read.json() == {"marked": 1, "unread": 0}
    assert call(client, "POST", path + "/read", patient_token).json() == {"marked": 0,
                                                                          "unread": 0}


def test_api_bad_text_is_422(client: Client, pat: Any) -> None:
    path = f"/patients/{pat.pk}/messages"
    token = token_for(pat.user)
    too_long = call(client, "POST", path, token, {"body": "x" * 2001})
    control = call(client, "POST", path, token, {"body": "a\x1bb"})
    assert (too_long.status_code, control.status_code) == (422, 422)
    assert control.json()["detail"][0]["field"] == "body"
    assert not Message.objects.exists()


def test_every_care_team_member_may_answer_and_is_told(
        django_capture_on_commit_callbacks: Any, pat: Any, cleo: Any, otto: Any) -> None:
    from kratom_recovery.web.patients.care_team import add_co_clinician

    add_co_clinician(cleo, pat, otto)
    cleo.email, otto.email = "cleo@clinic.example.org", "otto@clinic.example.org"
    cleo.save()
    otto.save()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_message(pat, pat.user, "hello team")
    assert sorted(m.to[0] for m in mail.outbox) == ["cleo@clinic.example.org",
                                                    "otto@clinic.example.org"]
    url = reverse("clinic-messages", args=[pat.pk])
    otto_client = signed_in(otto)
    assert otto_client.post(url, {"body": "Otto here"}).status_code == 302
    assert unread_for_team(pat) == 1  # sending reads nothing
    otto_client.get(url)
    assert unread_for_team(pat) == 0  # read for the whole team
