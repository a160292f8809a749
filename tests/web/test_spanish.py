"""The Spanish patient pages: a complete catalogue, a switch on the account page, `lang="es"`,
staff pages kept in English, and a crawl of every patient page that finds no English sentence.

The English-sentence check is a heuristic: a sentence with two or more common English words
("the", "your", "with", ...) that Spanish never uses. Brand names, codes and the English
reference wording of the PHQ-9 and GAD-7 (marked `lang="en"`) are not sentences it counts.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from kratom_recovery.web.common.core_text import core_strings
from kratom_recovery.web.demo import seed
from tests.support.personas import NOW
from tests.web.test_crawl import crawl

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")
# Common English words with no Spanish homograph ("a", "no", "me", "son" are left out).
ENGLISH = frozenset({
    "the", "and", "your", "you", "with", "this", "that", "are", "from", "have", "what", "when",
    "will", "for", "was", "which", "there", "their", "about", "would", "can", "been", "into",
    "than", "then", "them", "these", "those", "our", "its", "is", "of", "to", "in", "on", "or",
    "an", "be", "by", "at", "if", "we", "do", "does", "did", "not", "how", "who", "why", "here",
    "please", "today", "yet"
})
WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def entries(text: str) -> list[dict[str, object]]:
    """The catalogue's entries: msgid, msgid_plural, msgstr forms and flags (a small reader
    for the subset of the PO format that gettext writes)."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""

    def close() -> None:
        if "msgid" in current:
            found.append(dict(current))
        current.clear()

    for line in text.splitlines():
        if not line.strip():
            close()
            key = ""
            continue
        if line.startswith("#,"):
            current["flags"] = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            current[key] = str(current[key]) + _unquote(line)
            continue
        key, _, rest = line.partition(" ")
        current[key] = _unquote(rest)
    close()
    return [e for e in found if e["msgid"] or "msgid_plural" in e]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(quoted: str) -> str:
    body = quoted.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m[1], m[0]), body)


def test_catalogue_has_no_untranslated_or_fuzzy_strings() -> None:
    catalogue = entries(CATALOGUE.read_text(encoding="utf-8"))
    assert len(catalogue) > 1000
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    empty = [e["msgid"] for e in catalogue
             if not any(str(v) for k, v in e.items() if k.startswith("msgstr"))
             or any(k.startswith("msgstr") and not str(v) for k, v in e.items())]
    assert fuzzy == []
    assert empty == []


@pytest.mark.skipif(shutil.which("msgfmt") is None and not os.environ.get("CI"),
                    reason="GNU gettext is not installed (CI installs it)")
def test_msgfmt_accepts_the_catalogue() -> None:
    """GNU msgfmt's own check: format strings, plural forms and the header."""
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                             str(CATALOGUE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


def test_placeholders_survive_translation() -> None:
    for entry in entries(CATALOGUE.read_text(encoding="utf-8")):
        source = set(PLACEHOLDER.findall(f"{entry['msgid']}{entry.get('msgid_plural', '')}"))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert set(PLACEHOLDER.findall(str(value))) <= source, (entry["msgid"], value)


def test_compiled_catalogue_matches_the_source() -> None:
    """The committed .mo is what `make messages` compiles from the .po (a stale .mo serves
    old Spanish)."""
    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries(CATALOGUE.read_text(encoding="utf-8")):
        if "fuzzy" in entry.get("flags", set()) or not entry.get("msgstr", "x"):  # type: ignore[operator]
            continue  # untranslated: the test above names it
        if "msgid_plural" in entry:
            assert compiled.ngettext(str(entry["msgid"]), str(entry["msgid_plural"]), 1) == (
                entry["msgstr[0]"])
        else:
            assert compiled.gettext(str(entry["msgid"])) == entry["msgstr"], entry["msgid"]


def test_every_core_string_a_patient_reads_is_in_the_catalogue() -> None:
    ids = {str(e["msgid"]) for e in entries(CATALOGUE.read_text(encoding="utf-8"))}
    assert [text for text in core_strings() if text not in ids] == []


def test_spanish_is_served() -> None:
    assert ("es", "español") in [(code, name.lower()) for code, name in settings.LANGUAGES]


class VisibleText(HTMLParser):
    """Text a reader sees, skipping scripts, styles and anything marked lang="en"."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}:
            return
        english = dict(attrs).get("lang") == "en"
        # Chart SVGs carry the core's English description (listed in docs/translation.md).
        hidden = tag in {"script", "style", "template", "svg"}
        inside = bool(self.stack and self.stack[-1][1])
        self.stack.append((tag, inside or english or hidden))
        self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]):
            self.chunks.append(data)


def english_sentences(html: str, written: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The page's lang and its English-looking sentences, leaving out what people wrote."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    text = "".join(parser.chunks)
    for line in sorted(written, key=len, reverse=True):
        text = text.replace(line, " ")
    for line in text.split("\n"):
        for sentence in re.split(r"(?<=[.!?:;])\s+", line.strip()):
            words = {w.lower() for w in WORD.findall(sentence)}
            if len(words & ENGLISH) >= 2:
                found.append(sentence)
    return parser.lang, found


def test_the_heuristic_finds_english_and_passes_spanish() -> None:
    assert english_sentences('<html lang="es"><p>Check in for today, please.</p>')[1]
    assert not english_sentences("<p>Haga el registro de hoy, por favor.</p>")[1]
    assert not english_sentences('<p lang="en">Over the last 2 weeks, how often</p>')[1]


def people_wrote() -> frozenset[str]:
    """Every text the demo's people typed (messages, journal, plans, exercises): their own
    words stay in their own language."""
    from django.apps import apps

    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(line.strip() for line in value.splitlines() if len(line.strip()) > 3)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for label in ("recovery", "messaging", "followup", "tapers", "patients", "safety"):
        for model in apps.get_app_config(label).get_models():
            fields = [f.name for f in model._meta.concrete_fields
                      if f.get_internal_type() in {"TextField", "JSONField"}]
            for row in model._default_manager.values_list(*fields) if fields else ():
                walk(list(row))
    return frozenset(found)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["pat", "jordan", "sam"])
def test_a_spanish_crawl_of_the_patient_pages_finds_no_english(
    client: Client, username: str
) -> None:
    from kratom_recovery.web.accounts.models import User

    with time_machine.travel(NOW, tick=False):
        seed(patients=4, now=NOW)
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        pages = crawl(client, "/")
        written = people_wrote()
        problems: dict[str, list[str]] = {}
        for path, status in pages.items():
            if status != 200:
                continue
            response = client.get(path)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            lang, english = english_sentences(response.content.decode(), written)
            assert lang == "es", path
            if english:
                problems[path] = english[:5]
    assert len(pages) > 8
    assert problems == {}, "\n".join(f"{path}: {found}" for path, found in problems.items())


@pytest.mark.django_db
def test_signed_out_pages_follow_the_browser(client: Client) -> None:
    for path in ("/login/", "/signup/", "/help/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9")
        lang, english = english_sentences(response.content.decode())
        assert (lang, english) == ("es", []), path


@pytest.mark.django_db
def test_the_account_page_switches_the_language(client: Client) -> None:
    from kratom_recovery.web.accounts.models import User

    with time_machine.travel(NOW, tick=False):
        seed(patients=2, now=NOW)
        client.force_login(User.objects.get(username="pat"))
        page = client.get("/account/").content.decode()
        assert 'name="language" value="es"' in page
        response = client.post("/account/language/", {"language": "es", "next": "/account/"})
        assert response.status_code == 302
        cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
        assert cookie.value == "es" and cookie["httponly"]
        spanish = client.get("/account/").content.decode()
        assert '<html lang="es">' in spanish and "Idioma" in spanish
        client.post("/account/language/", {"language": "en", "next": "/account/"})
        assert '<html lang="en">' in client.get("/account/").content.decode()


@pytest.mark.django_db
def test_the_language_follows_the_account_to_another_browser(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    client.post("/account/language/", {"language": "es", "next": "/account/"})
    pat.user.refresh_from_db()
    assert pat.user.language == "es"
    other = Client()  # another phone: no language cookie, an English browser
    other.force_login(pat.user)
    page = other.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="es">' in page


@pytest.mark.django_db
def test_an_unknown_language_is_refused_and_nothing_changes(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    response = client.post("/account/language/", {"language": "xx", "next": "/account/"},
                           follow=True)
    assert "must be one of" in response.content.decode()
    pat.user.refresh_from_db()
    assert pat.user.language == ""
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["cleo", "admin"])
def test_staff_pages_stay_english(client: Client, username: str) -> None:
    from kratom_recovery.web.accounts.models import User

    with time_machine.travel(NOW, tick=False):
        seed(patients=2, now=NOW)
        client.force_login(User.objects.get(username=username))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        response = client.get("/", follow=True, HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in response.content.decode()
    assert "Language" not in client.get("/account/").content.decode()


@pytest.mark.django_db
def test_spanish_questionnaire_is_labelled_not_validated(client: Client) -> None:
    from kratom_recovery.web.accounts.models import User

    with time_machine.travel(NOW, tick=False):
        seed(patients=2, now=NOW)
        client.force_login(User.objects.get(username="pat"))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        page = client.get("/me/questionnaires/phq9/").content.decode()
    assert "Traducción no validada" in page
    assert 'data-testid="english-reference"' in page
    assert "Little interest or pleasure in doing things" in page  # the scored reference
    assert "Poco interés o placer en hacer cosas" in page


def test_the_delivery_notices_wording_is_in_the_catalogue() -> None:
    """The alert-delivery notice's pieces are constants translated where they are used;
    each must be in the Spanish catalogue, or a Spanish crisis card mixes in English."""
    from django.utils import translation

    from kratom_recovery.web.notify import state

    pieces = [state.HELP_NOW, state.WEBHOOK_WHO, *state.WHO.values()]
    with translation.override("es"):
        untranslated = [text for text in pieces if translation.gettext(text) == text]
    assert untranslated == []


@pytest.mark.django_db
def test_the_forecast_chart_speaks_the_pages_language(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    with time_machine.travel(NOW, tick=False):
        english = client.get("/me/").content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
        spanish = client.get("/me/").content.decode()
    assert "days since last dose" in english
    assert "días desde la última dosis" in spanish and "days since last dose" not in spanish
    assert "Acute phase expected to end" not in spanish
