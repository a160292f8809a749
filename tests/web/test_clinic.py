"""Clinician pages: notes (signed, append-only, amendments) and bedside COWS."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.clinic.models import ClinicalNote
from kratom_recovery.web.patients.models import InstrumentResponse
from tests.support.pages import card

pytestmark = pytest.mark.django_db

# COWS answers per item in published order [ref:wesson-ling2003]: pulse 2, sweat 1, restless 3,
# pupils 1, aches 2, nose 1, GI 2, tremor 1, yawn 1, anxiety 2, gooseflesh 3 → 19 (moderate, 13–24).
COWS_19 = ["2", "1", "3", "1", "2", "1", "2", "1", "1", "2", "3"]
QUESTIONNAIRES_CARD = "pages/chart_questionnaires.html"


def cows_post(values: list[str]) -> dict[str, str]:
    items = get_instrument("cows").items
    return {f"cows-{item.id}": value for item, value in zip(items, values, strict=True)}


def test_clinician_rates_cows(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("cows", args=[pat.pk]), cows_post(COWS_19))
    assert response.status_code == 302
    saved = InstrumentResponse.objects.get(patient=pat, instrument="cows")
    assert (saved.total, saved.band, saved.recorded_by) == (19, "moderate", cleo)
    assert AuditEntry.objects.filter(actor=cleo, patient=pat, action="create").exists()


def test_cows_value_not_allowed_for_item_is_refused(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    values = ["3", *COWS_19[1:]]  # resting pulse allows 0, 1, 2, 4
    response = client.post(reverse("cows", args=[pat.pk]), cows_post(values))
    assert response.status_code == 400
    assert "cows-resting-pulse" in response.context["form"].errors
    assert not InstrumentResponse.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("otto", 404), ("pat", 403)])
def test_cows_and_notes_refuse_others(
    client: Client, pat: Any, otto: Any, who: str, status: int
) -> None:
    client.force_login(otto if who == "otto" else pat.user)
    for name in ("cows", "notes"):
        assert client.get(reverse(name, args=[pat.pk])).status_code == status
        assert client.post(reverse(name, args=[pat.pk]), {"plan": "x"}).status_code == status
    assert not ClinicalNote.objects.exists()


def test_notes_are_signed_append_only_and_amendable(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("notes", args=[pat.pk]),
                           {"subjective": "Feels shaky", "plan": "Review in 2 days"})
    assert response.status_code == 302
    note = ClinicalNote.objects.get()
    assert (note.author, note.author_name) == (cleo, "Cleo")
    with pytest.raises(PermissionError):
        note.save()
    with pytest.raises(PermissionError):
        note.delete()
    client.post(reverse("notes", args=[pat.pk]), {"amends": str(note.pk), "plan": "Review 3 d"})
    amendment = ClinicalNote.objects.exclude(pk=note.pk).get()
    assert amendment.amends == note
    page = client.get(reverse("notes", args=[pat.pk])).content.decode()
    assert "Feels shaky" in page and "Review 3 d" in page


def test_empty_note_is_refused(client: Client, pat: Any, cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("notes", args=[pat.pk]), {"subjective": "  "})
    assert response.status_code == 200
    assert "subjective" in response.context["form"].errors
    assert not ClinicalNote.objects.exists()


def test_amending_another_patients_note_is_404(
    client: Client, pat: Any, bob: Any, cleo: Any
) -> None:
    from kratom_recovery.web.clinic.actions import write_note

    other = write_note(bob, cleo, {"plan": "bob's plan"})
    client.force_login(cleo)
    response = client.post(reverse("notes", args=[pat.pk]),
                           {"amends": str(other.pk), "plan": "x"})
    assert response.status_code == 404
    assert ClinicalNote.objects.count() == 1


def test_chart_lists_questionnaires_and_cows(client: Client, pat: Any, cleo: Any) -> None:
    from kratom_recovery.web.patients.actions import record_questionnaire
    from kratom_recovery.web.recovery.actions import update_sharing

    record_questionnaire(pat, pat.user, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1])
    record_questionnaire(pat, cleo, "cows", [int(v) for v in COWS_19])
    client.force_login(cleo)
    page = client.get(reverse("chart", args=[pat.pk]))
    rated = card(page, QUESTIONNAIRES_CARD)["questionnaires"]
    assert [r.instrument for r in rated] == ["cows", "phq9"]
    assert "item 9" in page.content.decode()
    update_sharing(pat, pat.user, checkins=False, journal=True, plan=True)
    hidden = client.get(reverse("chart", args=[pat.pk]))
    assert [r.instrument for r in card(hidden, QUESTIONNAIRES_CARD)["questionnaires"]] == ["cows"]


def test_cows_chart_drawn_even_without_shared_checkins(client: Client, pat: Any,
                                                       cleo: Any) -> None:
    from datetime import timedelta

    from kratom_recovery.web.patients.actions import record_questionnaire
    from kratom_recovery.web.recovery.actions import update_sharing
    from tests.support.personas import NOW

    for day in (0, 1):
        record_questionnaire(pat, cleo, "cows", [int(v) for v in COWS_19],
                             now=NOW + timedelta(days=day))
    update_sharing(pat, pat.user, checkins=False, journal=True, plan=True)
    client.force_login(cleo)
    page = client.get(reverse("chart", args=[pat.pk]))
    checkins = card(page, "pages/chart_checkins.html")
    assert checkins["rows"] == [] and "COWS ×4/3" in checkins["chart_svg"]
