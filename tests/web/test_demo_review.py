"""What a click through the demo found: questionnaire answers without their words, date-time
inputs empty in Spanish, patient wording on staff records, bedside times prefilled at page
load, a lab result said twice, blanks for a quick check-in's withdrawal score, and the weekly
ratings table not reachable by keyboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.level_of_care import LEVEL_RULES, STAFF_REASONS
from kratom_recovery.web.audit.views import AuditFilter
from kratom_recovery.web.bedside import actions as bedside
from kratom_recovery.web.exports.discharge import summarise
from kratom_recovery.web.exports.forms import DischargeForm
from kratom_recovery.web.followup.forms import AnchorForm, AppointmentForm
from kratom_recovery.web.followup.referrals.forms import ImportForm
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.forms import OnboardingForm, UseForm
from kratom_recovery.web.program.forms import ShiftForm
from kratom_recovery.web.tapers.forms import DoseForm
from tests.support.stay import make_stay

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


STORED = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
FieldList = list[tuple[type[forms.Form], str]]
DATETIME_FIELDS: FieldList = [
    (OnboardingForm, "last_dose"), (UseForm, "taken_at"), (DoseForm, "taken_at"),
    (AppointmentForm, "starts_at"), (ShiftForm, "starts_at"), (ShiftForm, "ends_at"),
]
DATE_FIELDS: FieldList = [
    (AnchorForm, "anchor"), (DischargeForm, "admitted_on"), (DischargeForm, "discharged_on"),
    (ImportForm, "pulled_on"), (AuditFilter, "since"), (AuditFilter, "until"),
]


@pytest.mark.parametrize(("form_class", "name"), DATETIME_FIELDS + DATE_FIELDS)
def test_date_inputs_render_iso_in_spanish(form_class: type[forms.Form], name: str) -> None:
    field = form_class.base_fields[name]
    date_only = field.widget.input_type == "date"
    value = STORED.date() if date_only else STORED
    with translation.override("es"):
        html = field.widget.render(name, value)
    expected = "2026-11-20" if date_only else "2026-11-20T09:05"
    assert f'value="{expected}"' in html, html


def test_the_profile_edit_keeps_the_last_dose_in_spanish(client: Client, pat: Any) -> None:
    client.force_login(pat.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    html = client.get(reverse("onboarding")).content.decode()
    assert 'lang="es"' in html
    stored = timezone.localtime(pat.profile.last_dose, pat.zone).strftime("%Y-%m-%dT%H:%M")
    assert re.search(rf'name="last_dose" value="{stored}"', html), html


def test_staff_pages_speak_of_the_patient_in_the_third_person(
    client: Client, pat: Any, cleo: Any
) -> None:
    for rule in LEVEL_RULES:
        staff = STAFF_REASONS[rule.id]
        assert not re.search(r"\b(you|your)\b", staff, re.I), rule.id
    stay = make_stay(pat, cleo, timezone.now())
    suggestion = summarise(stay, pat).suggestion
    assert "Wants to stop rather than taper" in suggestion
    assert not re.search(r"\b(you|your)\b", suggestion, re.I), suggestion
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "this person&#x27;s check-ins" in chart
    assert "people like you" not in chart and "Dots: your check-ins" not in chart
    assert "Wants to stop rather than taper" in chart and "You want to stop" not in chart
    # The level-of-care page gives both: the reason, and the words the patient reads.
    page = client.get(reverse("level-of-care", args=[pat.pk])).content.decode()
    assert "Wants to stop rather than taper" in page and "“You want to stop" in page


@pytest.mark.parametrize(("page", "field"), [("vitals", "taken_at"), ("mar", "-at")])
def test_bedside_times_are_blank_until_saved(client: Client, pat: Any, cleo: Any,
                                             page: str, field: str) -> None:
    from tests.web.test_mar import clonidine

    clonidine(pat, cleo)
    client.force_login(cleo)
    html = client.get(reverse(page, args=[pat.pk])).content.decode()
    inputs = re.findall(rf'<input type="datetime-local" name="[^"]*{field}"[^>]*>', html)
    assert inputs, html
    assert all("value=" not in tag for tag in inputs), inputs


def test_a_lab_result_is_said_once_on_the_chart(client: Client, pat: Any, cleo: Any) -> None:
    bedside.record_labs(pat, cleo, {"mitragynine": "positive"}, collected_at=timezone.now())
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    assert "Kratom (mitragynine): positive," in chart
    assert "positive (positive)" not in chart


def test_a_quick_checkin_shows_a_dash_for_withdrawal(client: Client, pat: Any,
                                                     cleo: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [4]}, self_harm_thoughts=False)
    client.force_login(cleo)
    chart = client.get(reverse("chart", args=[pat.pk])).content.decode()
    row = re.search(r"<tr[^>]*><th scope=\"row\">[^<]+</th><td>([^<]*)</td><td>4</td>", chart)
    assert row is not None and row[1] == "–", chart
    client.force_login(pat.user)
    summary = client.get(reverse("appointment-summary")).content.decode()
    assert re.search(r"data-label=\"Withdrawal\">–</td><td data-label=\"Craving\">4<", summary)


def test_the_weekly_ratings_table_is_a_labelled_region(client: Client, pat: Any) -> None:
    from datetime import timedelta

    from kratom_recovery.web.patients.models import UseProfile

    UseProfile.objects.filter(patient=pat).update(
        last_dose=timezone.now() - timedelta(days=30))
    for day in (9, 2):
        actions.record_checkin(pat, pat.user, {"craving": [3], "daily-extra": [2, 2, 2, 2, 2]},
                               now=timezone.now() - timedelta(days=day))
    client.force_login(pat.user)
    html = client.get(reverse("patient-home")).content.decode()
    assert re.search(r'<div class="table-wrap" tabindex="0" role="region" '
                     r'aria-labelledby="post-acute-caption"><table class="stack-rows" '
                     r'data-testid="post-acute-track">', html), html
    assert 'id="post-acute-caption"' in html
    assert 'data-label="Craving">' in html
