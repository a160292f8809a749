"""API tokens: stored hashed, shown once, revocable from the token page and the CLI."""

from __future__ import annotations

import argparse
import hashlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from kratom_recovery.web.accounts.models import ApiToken
from kratom_recovery.web.accounts.tokens import create_token, revoke_token, user_for_token
from tests.support.api import call
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


def test_only_a_hash_is_stored(pat: Any) -> None:
    token, plain = create_token(pat.user, "phone")
    assert plain.startswith("kr_") and len(plain) > 40
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert token.prefix == plain[:11]
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert plain not in stored
    assert user_for_token(plain) == pat.user


def test_revoked_token_stops_working(client: Client, pat: Any) -> None:
    token, plain = create_token(pat.user, "phone")
    assert call(client, "GET", "/me", plain).status_code == 200
    revoke_token(token)
    first_revoked = token.revoked_at
    revoke_token(token)  # idempotent
    assert token.revoked_at == first_revoked
    assert call(client, "GET", "/me", plain).status_code == 401


def test_last_used_is_recorded_at_most_once_a_minute(client: Client, pat: Any) -> None:
    token, plain = create_token(pat.user, "phone")
    with time_machine.travel(NOW, tick=False):
        call(client, "GET", "/me", plain)
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        call(client, "GET", "/me", plain)
        token.refresh_from_db()
        assert token.last_used_at == NOW
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        call(client, "GET", "/me", plain)
        token.refresh_from_db()
        assert token.last_used_at == NOW + timedelta(minutes=2)


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "bad\x00name", "tab\tname"])
def test_bad_token_name(pat: Any, name: str) -> None:
    from kratom_recovery.care.errors import InvalidInput

    with pytest.raises(InvalidInput) as excinfo:
        create_token(pat.user, name)
    assert excinfo.value.field == "name"
    assert ApiToken.objects.count() == 0


# --- the token page -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["pat", "cleo", "ada"])
def test_token_page_create_shows_token_once(client: Client, who: str, pat: Any, cleo: Any,
                                            ada: Any) -> None:
    from tests.web.test_accounts_security import sign_in_verified

    user = {"pat": pat.user, "cleo": cleo, "ada": ada}[who]
    if who == "pat":
        client.force_login(user)
    else:  # staff tokens need a session that gave the second factor
        sign_in_verified(client, user)
    assert client.get("/tokens/").status_code == 200
    response = client.post("/tokens/", {"name": "my script"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    page = response.content.decode()
    plain = page.split('<code class="token-value">')[1].split("</code>")[0]
    assert hashlib.sha256(plain.encode()).hexdigest() == token.token_hash
    assert response["Cache-Control"] == "no-store"
    assert plain not in client.get("/tokens/").content.decode()
    assert token.prefix in client.get("/tokens/").content.decode()


def test_token_page_bad_name_shows_error(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post("/tokens/", {"name": ""})
    assert response.status_code == 200
    assert 'class="errors' in response.content.decode() or "error" in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_token_page_revoke(client: Client, pat: Any, bob: Any) -> None:
    mine, _ = create_token(pat.user, "mine")
    theirs, _ = create_token(bob.user, "theirs")
    client.force_login(pat.user)
    assert client.get(f"/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
    response = client.post(f"/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


def test_token_page_needs_csrf_and_login(pat: Any) -> None:
    anonymous = Client()
    assert anonymous.get("/tokens/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(pat.user)
    assert strict.post("/tokens/", {"name": "x"}).status_code == 403
    assert ApiToken.objects.count() == 0


def test_token_page_query_count(client: Client, pat: Any,
                                django_assert_max_num_queries: Any) -> None:
    for index in range(8):
        create_token(pat.user, f"t{index}")
    client.force_login(pat.user)
    with django_assert_max_num_queries(6):
        assert client.get("/tokens/").status_code == 200


# --- the CLI --------------------------------------------------------------------------------


def run_cli(argv: list[str]) -> int:
    from kratom_recovery.care.errors import InvalidInput
    from kratom_recovery.commands import web_tokens

    parser = argparse.ArgumentParser()
    web_tokens.add_arguments(parser)
    try:
        return web_tokens.run(parser.parse_args(argv))
    except InvalidInput as error:  # what cli.main does
        print(f"error: {error}")
        return 2


@pytest.fixture
def no_migrate(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test database is already migrated; setup() is harmless."""
    monkeypatch.setattr("kratom_recovery.commands._django.migrate", lambda verbosity=0: None)


def test_cli_create_list_revoke(pat: Any, no_migrate: None, capsys: Any, client: Client) -> None:
    assert run_cli(["create", "pat", "--name", "cron job"]) == 0
    plain = capsys.readouterr().out.strip()
    assert call(client, "GET", "/me", plain).status_code == 200
    assert run_cli(["list", "pat"]) == 0
    listing = capsys.readouterr().out
    token = ApiToken.objects.get()
    assert f"{token.pk}\t{token.prefix}" in listing and "cron job" in listing
    assert plain not in listing
    assert run_cli(["revoke", str(token.pk)]) == 0
    assert "revoked" in capsys.readouterr().out
    assert call(client, "GET", "/me", plain).status_code == 401


@pytest.mark.parametrize("argv", [["create", "nobody", "--name", "x"], ["list", "nobody"],
                                  ["revoke", "999"], ["revoke", "abc"],
                                  ["create", "pat", "--name", ""]])
def test_cli_bad_input(pat: Any, no_migrate: None, capsys: Any, argv: list[str]) -> None:
    assert run_cli(argv) == 2
    assert "error:" in capsys.readouterr().out
    assert ApiToken.objects.count() == 0


def test_cli_module_does_not_import_django() -> None:
    import subprocess
    import sys

    code = ("import sys, kratom_recovery.commands.web_tokens; "
            "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
