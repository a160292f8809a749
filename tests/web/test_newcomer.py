"""What a newcomer meets first: an icon, quiet logs on HEAD, an honest `lang`.

Every first visit used to log a 404 for /favicon.ico; a HEAD request made gunicorn warn
(Django handed it a body) or got a 405 from views limited to GET and POST; and with
`Accept-Language: es` the English pages said `lang="es"`, as no Spanish catalogue exists.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from kratom_recovery.web.config import served_languages
from tests.support.personas import PASSWORD
from tests.support.serve import get, run_cli, serving

LOCALE = Path(settings.LOCALE_PATHS[0])
OFFERED = [code for code, _ in settings.LANGUAGES]


def has_catalogue(code: str) -> bool:
    from django.utils.translation import to_locale

    return (LOCALE / to_locale(code) / "LC_MESSAGES" / "django.mo").exists()


@pytest.mark.django_db
def test_the_page_links_an_icon_and_favicon_ico_leads_to_it(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/img/favicon.svg")
    icon = client.get("/static/img/favicon.svg")
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/me/", "/help/", "/manifest.webmanifest", "/me/checkin/"])
def test_head_is_answered_like_get(client: Client, pat: Any, page: str) -> None:
    client.login(username="pat", password=PASSWORD)
    got, head = client.get(page), client.head(page)
    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b""
    for header in ("Content-Type", "Content-Length", "Cache-Control"):
        assert head.get(header) == got.get(header), header


@pytest.mark.django_db
@pytest.mark.parametrize("code", OFFERED)
def test_each_offered_language_is_served_and_labelled(client: Client, code: str) -> None:
    assert code == settings.LANGUAGE_CODE or has_catalogue(code)
    page = client.get("/login/", headers={"accept-language": code}).content.decode()
    assert f'<html lang="{code}">' in page


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["es", "de", "pt-br"])
def test_a_language_without_a_catalogue_is_not_claimed(client: Client, code: str) -> None:
    if has_catalogue(code):
        pytest.skip(f"{code} has a catalogue now")
    assert code not in OFFERED
    page = client.get("/login/", headers={"accept-language": code}).content.decode()
    assert f'<html lang="{settings.LANGUAGE_CODE}">' in page


def test_a_new_catalogue_turns_its_language_on(tmp_path: Path) -> None:
    assert served_languages(tmp_path) == [("en", "English")]
    for folder in ("es", "pt_BR"):
        mo = tmp_path / folder / "LC_MESSAGES" / "django.mo"
        mo.parent.mkdir(parents=True)
        mo.write_bytes(b"")
    assert served_languages(tmp_path) == [
        ("en", "English"), ("es", "español"), ("pt-br", "Português Brasileiro")
    ]


@pytest.mark.timeout(120)
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                    reason="the server's own behaviour; the SQLite pass covers it")
def test_real_server_answers_head_and_the_icon_without_a_warning(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "KRATOM_RECOVERY_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    run_cli(env, "manage", "check")
    output = tmp_path / "serve.out"
    with serving(env, output, workers=1) as base:
        for page in ("/", "/login/", "/help/", "/manifest.webmanifest"):
            got_status, got_headers, _ = get(base + page)
            status, headers, body = get(base + page, method="HEAD")
            assert (got_status, status, body) == (200, 200, b""), page
            assert headers["Content-Type"] == got_headers["Content-Type"], page
        status, headers, body = get(base + "/favicon.ico")  # follows the redirect
        assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
        assert body.startswith(b"<svg")
    log = home / "logs" / "app.log"  # made at the first record
    logged = output.read_text() + (log.read_text() if log.exists() else "")
    assert "WARNING" not in logged and "ERROR" not in logged, logged
