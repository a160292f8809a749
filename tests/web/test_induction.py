"""The buprenorphine induction checklist: the program's COWS line has no default and is set
by a program admin within the scale; last use by product with hours since; the 7-OH caution;
the reassessment timer after a MAR dose; access."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.web.bedside import actions
from kratom_recovery.web.bedside.models import Induction, InductionSetting

pytestmark = pytest.mark.django_db


def local(minutes_ago: int) -> str:
    return (timezone.localtime() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M")


def test_threshold_has_no_default_and_is_bounded(client: Client, pat: Any, cleo: Any,
                                                 ada: Any) -> None:
    client.force_login(cleo)
    page = client.get(reverse("induction", args=[pat.pk])).content.decode()
    assert 'data-testid="no-threshold"' in page and 'data-testid="precipitated-warning"' in page
    assert client.get(reverse("induction-threshold")).status_code == 403
    with pytest.raises(InvalidInput):
        actions.set_induction_threshold(cleo, "10")
    client.force_login(ada)
    url = reverse("induction-threshold")
    assert 'data-testid="no-threshold"' in client.get(url).content.decode()
    for bad in ("0", "49", "", "ten"):
        response = client.post(url, {"cows_threshold": bad})
        assert response.status_code == 400
    assert not InductionSetting.objects.exists()
    for ok in ("1", "48", "10"):
        assert client.post(url, {"cows_threshold": ok}).status_code == 302
    assert actions.induction_threshold() == 10


def test_checklist_shows_hours_since_cows_and_the_reassessment_timer(
        client: Client, pat: Any, cleo: Any, ada: Any) -> None:
    actions.set_induction_threshold(ada, "10")
    items = get_instrument("cows").items
    actions.record_assessment(pat, cleo, "cows", {i.id: i.highest for i in items},
                              assessed_at=timezone.now() - timedelta(minutes=20))
    client.force_login(cleo)
    url = reverse("induction", args=[pat.pk])
    bad = client.post(url, {"last_7oh": local(-60 * 24)})
    assert bad.status_code == 400 and "last_7oh" in bad.context["form"].errors
    assert client.post(url, {"low_dose": "on"}).status_code == 400  # no schedule written
    assert not Induction.objects.exists()
    assert client.post(url, {"last_leaf": local(30 * 60), "last_7oh": local(12 * 60),
                             "reassess_minutes": "60", "low_dose": "on",
                             "schedule": "Day 1: my entry"}).status_code == 302
    order = actions.create_order(pat, cleo, {
        "medicine": "subutex", "dose": "2", "unit": "mg", "route": "sublingual",
        "kind": "prn", "indication": "induction", "cows_at_least": "10", "max_per_24h": "4",
        "window_minutes": "60"}, now=timezone.now() - timedelta(hours=1))
    actions.record_dose(order, cleo, outcome="given",
                        at=timezone.now() - timedelta(minutes=90 - 75))
    page = client.get(url).content.decode()
    assert 'data-testid="cows-met"' in page
    assert "30.0 h ago" in page and "12.0 h ago" in page
    assert 'data-testid="caution-7oh"' in page and "sharma2025" in page
    assert 'data-testid="reassess"' in page and "Reassess at" in page
    assert "Day 1: my entry" in page


def test_checklist_is_for_the_care_team(client: Client, pat: Any, otto: Any) -> None:
    url = reverse("induction", args=[pat.pk])
    client.force_login(otto)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reassess_minutes": "60"}).status_code == 404
    client.force_login(pat.user)
    assert client.get(url).status_code == 403
    assert not Induction.objects.exists()
