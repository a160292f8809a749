"""What a click through the demo found: questionnaire answers without their words, date-time
inputs empty in Spanish, patient wording on staff records, bedside times prefilled at page
load, a lab result said twice, blanks for a quick check-in's withdrawal score, and the weekly
ratings table not reachable by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.instruments import get_instrument

pytestmark = pytest.mark.django_db

SEG = re.compile(r'<label class="seg"><input type="radio" name="(?P<name>[^"]+)" '
                 r'value="(?P<value>\d+)"[^>]*>(?P<body>.*?)</label>', re.S)
TAG = re.compile(r"<[^>]+>")


def option_names(html: str) -> dict[tuple[str, str], str]:
    """Each radio's accessible name: the text of the label wrapped round it."""
    return {(m["name"], m["value"]): " ".join(TAG.sub(" ", m["body"]).split())
            for m in SEG.finditer(html)}


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7"])
def test_every_questionnaire_option_is_named(client: Client, pat: Any,
                                             instrument_id: str) -> None:
    client.force_login(pat.user)
    html = client.get(reverse("questionnaire", args=[instrument_id])).content.decode()
    names = option_names(html)
    instrument = get_instrument(instrument_id)
    for item in instrument.items:
        for option in item.options:
            name = names[(f"{instrument_id}-{item.id}", str(option.value))]
            assert name == f"{option.value} {option.label}"
    assert "Not at all" in names[(f"{instrument_id}-{instrument.items[0].id}", "0")]
    # The words are drawn, not only read out: the fieldset opts into the labelled layout.
    assert html.count('class="scale scale-labelled') == len(instrument.items)


def test_the_bedside_cows_names_every_option(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    html = client.get(reverse("cows", args=[pat.pk])).content.decode()
    names = option_names(html)
    for item in get_instrument("cows").items:
        for option in item.options:
            assert names[(f"cows-{item.id}", str(option.value))] == (
                f"{option.value} {option.label}")
