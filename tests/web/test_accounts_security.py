"""Accounts and operations (issue 17, items 1-4): two-factor sign-in, passwords and reset,
a throttle nobody can use to lock others out, and staff session limits."""

from __future__ import annotations

import io
import re
import time
from contextlib import redirect_stdout
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kratom_recovery.cli import main as cli
from kratom_recovery.web.accounts import throttle, tokens, twofactor
from kratom_recovery.web.accounts.models import ApiToken, User
from kratom_recovery.web.audit.models import AuditEntry
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "another-long-password-2"
A, B = "203.0.113.7", "198.51.100.9"


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Enrol a minute and a half ago, so a code for now is a new time step (no replay)."""
    with time_machine.travel(time.time() - 90, tick=False):
        device = twofactor.pending_device(user)
        confirmed, codes = twofactor.confirm_enrolment(user, code_for(device))
    return confirmed, codes


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def send_code(client: Client, code: str) -> Any:
    return client.post(reverse("login-code"), {"code": code})


def sign_in_verified(client: Client, user: User) -> TOTPDevice:
    """A session that gave the password and the authenticator's code."""
    device = twofactor.authenticator(user) or enrol(user)[0]
    assert sign_in(client, user.username)["Location"] == reverse("login-code")
    assert send_code(client, code_for(device)).status_code == 302
    return device


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- two-factor sign-in ----------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_and_confirms_with_a_code(
        client: Client, cleo: User) -> None:
    client.force_login(cleo)
    page = client.get(reverse("two-factor"))
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=cleo, confirmed=False)
    assert twofactor.secret_text(device).replace(" ", "")[:8] in html.replace(" ", "")
    wrong = client.post(reverse("two-factor"), {"code": "000000" if code_for(device) != "000000"
                                                else "111111"})
    assert "does not match" in wrong.content.decode() and not twofactor.is_enrolled(cleo)
    done = client.post(reverse("two-factor"), {"code": code_for(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10 and "no-store" in done["Cache-Control"]
    assert twofactor.is_enrolled(cleo) and signed_in(client)  # this session stays
    stored = set(StaticToken.objects.filter(device__user=cleo).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c for c in codes}  # only hashes are kept
    assert AuditEntry.objects.filter(target=f"account:{cleo.pk}:2fa-enrol").exists()


def test_sign_in_asks_for_the_code_after_the_password(client: Client, cleo: User) -> None:
    device, _codes = enrol(cleo)
    assert sign_in(client, "cleo")["Location"] == reverse("login-code")
    assert not signed_in(client)
    assert client.get(reverse("caseload")).status_code == 302  # not signed in yet
    assert send_code(client, code_for(device))["Location"] == reverse("home")
    assert signed_in(client) and client.get(reverse("caseload")).status_code == 200


def test_a_replayed_code_is_refused(cleo: User) -> None:
    device, _codes = enrol(cleo)
    code = code_for(device)
    first, second = Client(REMOTE_ADDR=A), Client(REMOTE_ADDR=B)
    sign_in(first, "cleo")
    assert send_code(first, code).status_code == 302
    sign_in(second, "cleo")
    refused = send_code(second, code)
    assert refused.status_code == 200 and "did not work" in refused.content.decode()
    assert not signed_in(second)


def test_a_backup_code_works_once(cleo: User) -> None:
    _device, codes = enrol(cleo)
    client = Client()
    sign_in(client, "cleo")
    assert send_code(client, codes[0].lower()).status_code == 302  # case and dashes forgiven
    client.logout()
    sign_in(client, "cleo")
    assert send_code(client, codes[0]).status_code == 200 and not signed_in(client)
    assert twofactor.backup_codes_left(cleo) == 9


def test_wrong_codes_count_toward_the_throttle(cleo: User) -> None:
    device, _codes = enrol(cleo)
    client = Client(REMOTE_ADDR=A)
    sign_in(client, "cleo")
    for _ in range(throttle.FREE_FAILURES):
        response = send_code(client, "12345" + ("6" if code_for(device)[-1] != "6" else "7"))
    assert "Too many failed attempts" in response.content.decode()
    right = send_code(client, code_for(device))
    assert "Too many failed attempts" in right.content.decode() and not signed_in(client)


def test_the_code_step_needs_the_password_step_first(client: Client) -> None:
    response = client.get(reverse("login-code"))
    assert response["Location"] == reverse("login")


def test_staff_must_enrol_after_the_grace_period(client: Client, cleo: User, pat: Any) -> None:
    assert twofactor.grace_days() == twofactor.GRACE_DAYS_DEFAULT == 7  # no settings row yet
    client.force_login(cleo)
    assert client.get(reverse("caseload")).status_code == 200  # a newcomer is not blocked
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        client.force_login(cleo)
        assert client.get(reverse("caseload"))["Location"] == reverse("two-factor")
        assert client.get(reverse("patient-home"))["Location"] == reverse("two-factor")
        assert client.get(reverse("two-factor")).status_code == 200
        assert client.get(reverse("help")).status_code == 200
        patient = Client()
        patient.force_login(pat.user)  # optional for patients
        assert patient.get(reverse("patient-home")).status_code == 200


def test_an_enrolled_account_without_a_verified_session_is_signed_out(
        client: Client, cleo: User) -> None:
    twofactor.set_grace_days(0)
    enrol(cleo)
    client.force_login(cleo)  # a session that never gave the code
    assert client.get(reverse("caseload"))["Location"] == reverse("login")
    assert not signed_in(client)


def test_grace_days_zero_sends_new_staff_to_enrolment_at_once(
        client: Client, cleo: User) -> None:
    twofactor.set_grace_days(0)
    client.force_login(cleo)
    assert client.get(reverse("caseload"))["Location"] == reverse("two-factor")


def test_the_operator_resets_a_lost_authenticator(cleo: User) -> None:
    enrol(cleo)
    client = Client()
    sign_in_verified(client, cleo)
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli(["2fa", "reset", "cleo", "--yes"]) == 0
    assert "reset" in out.getvalue() and not twofactor.is_enrolled(cleo)
    assert client.get(reverse("caseload")).status_code == 302 and not signed_in(client)
    entry = AuditEntry.objects.get(target=f"account:{cleo.pk}:2fa-reset")
    assert entry.actor is None and entry.via == "cli"
    with redirect_stdout(io.StringIO()):
        assert cli(["2fa", "reset", "nobody", "--yes"]) == 2


def test_a_patient_may_turn_two_factor_off_with_the_password(client: Client, pat: Any) -> None:
    sign_in_verified(client, pat.user)
    bad = client.post(reverse("two-factor-off"), {"password": "wrong"})
    assert bad.status_code == 302 and twofactor.is_enrolled(pat.user)
    client.post(reverse("two-factor-off"), {"password": PASSWORD})
    assert not twofactor.is_enrolled(pat.user) and signed_in(client)


def test_staff_cannot_turn_two_factor_off(client: Client, cleo: User) -> None:
    sign_in_verified(client, cleo)
    assert client.post(reverse("two-factor-off"), {"password": PASSWORD}).status_code == 403
    assert twofactor.is_enrolled(cleo)


# --- API tokens -----------------------------------------------------------------------------


def test_staff_tokens_need_a_verified_session_and_expire(client: Client, cleo: User,
                                                         settings: Any) -> None:
    settings.API_TOKEN_DAYS = 90
    client.force_login(cleo)
    refused = client.post("/tokens/", {"name": "script"})
    assert "authenticator" in refused.content.decode() and not ApiToken.objects.exists()
    client.logout()
    sign_in_verified(client, cleo)
    client.post("/tokens/", {"name": "script"})
    token = ApiToken.objects.get(user=cleo)
    assert token.expires_at is not None
    assert timedelta(days=89) < token.expires_at - token.created_at <= timedelta(days=90)
    _row, plain = tokens.create_token(cleo, "cli")
    assert tokens.user_for_token(plain) == cleo
    assert tokens.user_for_token(plain, now=timezone.now() + timedelta(days=91)) is None


# --- passwords ------------------------------------------------------------------------------


@pytest.mark.parametrize("revoke", [True, False])
def test_changing_the_password(pat: Any, revoke: bool) -> None:
    _row, plain = tokens.create_token(pat.user, "phone")
    here, elsewhere = Client(), Client()
    here.force_login(pat.user)
    elsewhere.force_login(pat.user)
    wrong = here.post(reverse("password-change"), {
        "current_password": "nope", "new_password": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD, "revoke_tokens": "on"})
    assert "not your current password" in wrong.content.decode()
    form = {"current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD}
    if revoke:
        form["revoke_tokens"] = "on"
    assert here.post(reverse("password-change"), form)["Location"] == reverse("account")
    assert signed_in(here) and here.get(reverse("patient-home")).status_code == 200
    assert elsewhere.get(reverse("patient-home")).status_code == 302
    assert (tokens.user_for_token(plain) is None) is revoke
    assert AuditEntry.objects.filter(target__startswith=f"account:{pat.user.pk}:password-change"
                                     ).exists()


def test_the_change_form_has_the_revoke_box_ticked(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    html = client.get(reverse("password-change")).content.decode()
    box = re.search(r'<input[^>]*name="revoke_tokens"[^>]*>', html)
    assert box is not None and "checked" in box.group(0)


def reset_mail(client: Client, email: str) -> Any:
    return client.post(reverse("password-reset"), {"email": email})


def link_in(message: Any) -> str:
    line = next(word for word in message.body.split() if "/password-reset/" in word)
    return str(line[line.index("/password-reset/"):])


def test_reset_by_e_mail_works_once_and_ends_sessions_and_tokens(
        client: Client, cleo: User) -> None:
    cleo.email = "cleo@example.org"
    cleo.save()
    device, _codes = enrol(cleo)
    _row, plain = tokens.create_token(cleo, "script")
    other = Client()
    sign_in_verified(other, cleo)
    same = reset_mail(client, "nobody@example.org").content
    assert reset_mail(client, "CLEO@example.org").content == same  # nothing revealed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["cleo@example.org"]
    link = link_in(mail.outbox[0])
    form = {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(link, form)["Location"] == reverse("login")
    assert other.get(reverse("caseload")).status_code == 302  # every session ended
    assert tokens.user_for_token(plain) is None
    again = client.get(link)
    assert again.status_code == 404 and "expired or was already used" in again.content.decode()
    # The reset did not remove the second factor: sign-in still asks for the code.
    with time_machine.travel(time.time() + 60, tick=False):
        assert sign_in(client, "cleo", NEW_PASSWORD)["Location"] == reverse("login-code")
        assert send_code(client, code_for(device)).status_code == 302
    assert AuditEntry.objects.filter(target=f"account:{cleo.pk}:password-reset-link").exists()


def test_a_reset_link_expires_after_15_minutes(client: Client, pat: Any) -> None:
    pat.user.email = "pat@example.org"
    pat.user.save()
    reset_mail(client, "pat@example.org")
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        response = client.post(link, {"new_password": NEW_PASSWORD,
                                      "new_password2": NEW_PASSWORD})
    assert response.status_code == 404 and "expired" in response.content.decode()
    assert User.objects.get(pk=pat.user.pk).check_password(PASSWORD)


def test_a_clinician_reset_code(client: Client, cleo: User, otto: User, pat: Any) -> None:
    other = Client()
    other.force_login(otto)
    assert other.post(reverse("reset-code", args=[pat.pk])).status_code == 404
    client.force_login(cleo)
    page = client.post(reverse("reset-code", args=[pat.pk]))
    code = page.context["code"]
    assert "no-store" in page["Cache-Control"] and len(code) == 9
    pat_session = Client()
    pat_session.force_login(pat.user)
    patient = Client(REMOTE_ADDR=A)
    form = {"username": "pat", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    unknown = patient.post(reverse("password-reset-code"), {**form, "username": "nobody",
                                                            "code": code})
    wrong = patient.post(reverse("password-reset-code"), {**form, "code": "AAAA-AAAA"})
    assert "not valid or has expired" in unknown.content.decode()
    assert "not valid or has expired" in wrong.content.decode()
    weak = patient.post(reverse("password-reset-code"), {**form, "code": code,
                                                         "new_password": "short",
                                                         "new_password2": "short"})
    assert "too short" in weak.content.decode()  # the code is not used up by this
    done = patient.post(reverse("password-reset-code"), {**form, "code": code.lower()})
    assert done["Location"] == reverse("login")
    assert User.objects.get(pk=pat.user.pk).check_password(NEW_PASSWORD)
    assert pat_session.get(reverse("patient-home")).status_code == 302
    used = patient.post(reverse("password-reset-code"), {**form, "code": code})
    assert "not valid or has expired" in used.content.decode()
    assert AuditEntry.objects.filter(actor=cleo, target=f"account:{pat.user.pk}:reset-code"
                                     ).exists()


def test_reset_codes_expire_and_wrong_ones_count_toward_the_throttle(
        cleo: User, pat: Any) -> None:
    from kratom_recovery.web.accounts.passwords import issue_reset_code

    code = issue_reset_code(cleo, pat.user)
    patient = Client(REMOTE_ADDR=A)
    form = {"username": "pat", "new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        late = patient.post(reverse("password-reset-code"), {**form, "code": code})
    assert "not valid or has expired" in late.content.decode()
    code = issue_reset_code(cleo, pat.user)
    for _ in range(throttle.FREE_FAILURES - 1):
        patient.post(reverse("password-reset-code"), {**form, "code": "AAAA-AAAA"})
    locked = patient.post(reverse("password-reset-code"), {**form, "code": code})
    assert "Too many failed attempts" in locked.content.decode()
    assert User.objects.get(pk=pat.user.pk).check_password(PASSWORD)


# --- the throttle ---------------------------------------------------------------------------


def test_failures_on_unknown_usernames_never_lock_a_real_account(cleo: User) -> None:
    attacker = Client(REMOTE_ADDR=A)
    for index in range(10):
        sign_in(attacker, f"nobody{index % 2}", "guess")
    assert sign_in(Client(REMOTE_ADDR=B), "cleo")["Location"] == reverse("home")
    assert sign_in(Client(REMOTE_ADDR=A), "cleo")["Location"] == reverse("home")


def test_guessing_at_one_account_locks_only_that_address(cleo: User) -> None:
    attacker = Client(REMOTE_ADDR=A)
    for _ in range(throttle.FREE_FAILURES):
        sign_in(attacker, "cleo", "guess")
    locked = sign_in(Client(REMOTE_ADDR=A), "cleo")
    assert "Too many failed attempts" in locked.content.decode()
    assert sign_in(Client(REMOTE_ADDR=B), "cleo")["Location"] == reverse("home")


def test_unknown_and_real_usernames_get_the_same_answer(cleo: User) -> None:
    def page(username: str) -> str:
        html = sign_in(Client(REMOTE_ADDR=A), username, "wrong").content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html).replace(
            username, "X")

    real = page("cleo")
    assert "do not match" in real and real == page("nobody")


def test_lock_outs_double_up_to_an_hour() -> None:
    now = timezone.now()
    lengths = []
    for _ in range(8):
        for _ in range(throttle.FREE_FAILURES):
            lock = throttle.record_failure("cleo", A, now)
        assert lock is not None
        lengths.append(lock.until - now)
        now = lock.until
    assert lengths[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert lengths[-1] == timedelta(hours=1)
    assert throttle.locked("CLEO", A, now - timedelta(seconds=1)) is not None
    assert throttle.locked("cleo", B, now - timedelta(seconds=1)) is None


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "expected"), [
    ("10.0.0.1", "1.2.3.4", [], "10.0.0.1"),  # no trusted proxies: the header is ignored
    ("5.6.7.8", "1.2.3.4", ["10.0.0.0/8"], "5.6.7.8"),  # untrusted peer: ignored
    ("10.0.0.1", "9.9.9.9, 1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),  # right-most untrusted
    ("10.0.0.1", "1.2.3.4, 10.0.0.2", ["10.0.0.0/8"], "1.2.3.4"),  # skip trusted hops
    ("10.0.0.1", "junk, 10.0.0.2", ["10.0.0.0/8"], "10.0.0.2"),  # forged part: not used
    ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
    ("::1", "2001:db8::5", ["::1"], "2001:db8::5"),
])
def test_the_client_address(peer: str, forwarded: str, trusted: list[str], expected: str,
                            settings: Any, rf: Any) -> None:
    from kratom_recovery.web.accounts.client import client_address

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_forged_forwarded_header_does_not_escape_the_throttle(cleo: User) -> None:
    for index in range(throttle.FREE_FAILURES):
        Client(REMOTE_ADDR=A, HTTP_X_FORWARDED_FOR=f"1.1.1.{index}").post(
            reverse("login"), {"username": "cleo", "password": "guess"})
    locked = sign_in(Client(REMOTE_ADDR=A, HTTP_X_FORWARDED_FOR="2.2.2.2"), "cleo")
    assert "Too many failed attempts" in locked.content.decode()


def test_sign_up_is_rate_limited_per_address() -> None:
    client = Client(REMOTE_ADDR=A)
    for index in range(throttle.SIGNUP_LIMIT):
        client.post(reverse("signup"), {"username": f"u{index}", "password": "short",
                                        "age": "30", "timezone": "America/Chicago"})
    refused = client.post(reverse("signup"), {"username": "late", "password": PASSWORD,
                                              "age": "30", "timezone": "America/Chicago"})
    assert "Too many sign-ups" in refused.content.decode()
    assert not User.objects.filter(username="late").exists()
    other = Client(REMOTE_ADDR=B).post(reverse("signup"), {"username": "late",
                                                           "password": PASSWORD, "age": "30",
                                                           "timezone": "America/Chicago"})
    assert other["Location"] == reverse("onboarding")


def test_under_13_cannot_sign_up(client: Client) -> None:
    response = client.post(reverse("signup"), {"username": "kid", "password": PASSWORD,
                                               "age": "12", "timezone": "America/Chicago"})
    assert "13 or older" in response.content.decode() and not User.objects.exists()


# --- sessions -------------------------------------------------------------------------------


def test_staff_idle_timeout_ignores_background_polls(cleo: User, settings: Any) -> None:
    settings.STAFF_IDLE_MINUTES = 30
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(cleo)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert client.get(reverse("clinic-alerts-feed")).status_code == 200
        assert client.get(reverse("caseload"), HTTP_X_BACKGROUND_POLL="1").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("caseload"))
    assert response.status_code == 302 and not signed_in(client)


def test_staff_activity_keeps_the_session_until_its_lifetime(cleo: User, settings: Any) -> None:
    settings.STAFF_IDLE_MINUTES, settings.STAFF_SESSION_HOURS = 30, 12
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(cleo)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("caseload")).status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get(reverse("caseload")).status_code == 302


def test_patients_keep_long_sessions(pat: Any) -> None:
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(pat.user)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        assert client.get(reverse("patient-home")).status_code == 200


@pytest.mark.parametrize("revoke", [True, False])
def test_sign_out_everywhere(pat: Any, revoke: bool) -> None:
    _row, plain = tokens.create_token(pat.user, "phone")
    phone, laptop = Client(), Client()
    phone.force_login(pat.user)
    laptop.force_login(pat.user)
    laptop.post(reverse("sign-out-everywhere"), {"revoke_tokens": "on"} if revoke else {})
    assert phone.get(reverse("patient-home")).status_code == 302
    assert laptop.get(reverse("patient-home")).status_code == 302
    assert (tokens.user_for_token(plain) is None) is revoke
    assert sign_in(Client(), "pat")["Location"] == reverse("home")  # the password still works
