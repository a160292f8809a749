"""A clinician's invite shown again as a link and a QR code, and the link filling in the
sign-up (or, for someone already signed in, the join) form."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kratom_recovery.web.accounts.actions import create_invite
from kratom_recovery.web.accounts.models import InviteCode

pytestmark = pytest.mark.django_db


def svg_of(data_uri: str) -> str:
    head, _, payload = data_uri.partition(",")
    return base64.b64decode(payload).decode() if head.endswith("base64") else unquote(payload)


def test_new_invite_opens_its_page_with_link_and_qr(client: Client, cleo: Any,
                                                    settings: Any) -> None:
    settings.SITE_URL = "https://recovery.example.org"
    client.force_login(cleo)
    response = client.post(reverse("new-invite"))
    invite = InviteCode.objects.get(clinician=cleo)
    assert response["Location"] == reverse("invite", args=[invite.code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    link = f"https://recovery.example.org/signup/?invite={invite.code}"
    text = page.content.decode()
    assert f'value="{link}"' in text
    qr = page.context["qr"]
    assert qr.startswith("data:image/svg+xml") and "<svg" in svg_of(qr)
    # The caseload lists the open invite with a link back to this page.
    assert reverse("invite", args=[invite.code]) in client.get(reverse("caseload")).content.decode()


def test_someone_elses_used_or_expired_invite_is_404(client: Client, cleo: Any, otto: Any,
                                                      pat: Any) -> None:
    theirs = create_invite(otto)
    used = create_invite(cleo)
    used.used_by, used.used_at = pat.user, timezone.now()
    used.save()
    expired = create_invite(cleo)
    expired.expires_at = timezone.now()
    expired.save()
    client.force_login(cleo)
    for invite in (theirs, used, expired):
        assert client.get(reverse("invite", args=[invite.code])).status_code == 404


def test_invite_page_is_clinicians_only(client: Client, cleo: Any, pat: Any) -> None:
    invite = create_invite(cleo)
    client.force_login(pat.user)
    assert client.get(reverse("invite", args=[invite.code])).status_code == 403


def test_the_link_fills_in_the_code(client: Client, cleo: Any) -> None:
    code = create_invite(cleo).code
    form = client.get(reverse("signup"), {"invite": code}).context["form"]
    assert form["invite_code"].value() == code


def test_signed_in_patient_following_the_link_joins_with_it(client: Client, pat: Any,
                                                           otto: Any) -> None:
    code = create_invite(otto).code
    client.force_login(pat.user)
    response = client.get(reverse("signup"), {"invite": code})
    assert response["Location"] == f"{reverse('join')}?invite={code}"
    assert client.get(response["Location"]).context["form"]["invite_code"].value() == code


def test_signup_zone_is_a_required_choice_with_no_default(client: Client) -> None:
    text = client.get(reverse("signup")).content.decode()
    assert '<option value="" selected>' in text  # nothing preselected, UTC least of all
    assert "data-browser-zone" in text and "js/timezone.js" in text


def test_onboarding_offers_the_zone_chosen_at_sign_up(client: Client) -> None:
    from kratom_recovery.web.patients.actions import register_patient
    from tests.support.personas import PASSWORD

    patient = register_patient("zoe", PASSWORD, "Zoe", zone="America/Denver")
    client.force_login(patient.user)
    form = client.get(reverse("onboarding")).context["form"]
    assert form["timezone"].value() == "America/Denver"
