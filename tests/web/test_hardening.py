"""Sign-in throttling, no caching of private pages, audited caseload reads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.accounts.throttle import FREE_FAILURES
from kratom_recovery.web.audit.models import AuditEntry
from tests.support.personas import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


def login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_failures_lock_sign_in(client: Client, cleo: Any) -> None:
    for _ in range(FREE_FAILURES):
        assert login(client, "cleo", "wrong-password").status_code == 200
    locked = login(client, "cleo", PASSWORD)
    assert locked.status_code == 200 and "Too many failed attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_success_clears_the_count(cleo: Any) -> None:
    first = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(FREE_FAILURES - 1):
        login(first, "cleo", "wrong-password")
    assert login(first, "cleo", PASSWORD).status_code == 302
    first.logout()
    for _ in range(FREE_FAILURES - 1):  # the count restarted at 0 after the sign-in
        login(first, "cleo", "wrong-password")
    assert login(first, "cleo", PASSWORD).status_code == 302


def test_private_pages_are_not_cached(client: Client, pat: Any) -> None:
    assert "no-store" not in client.get(reverse("help")).get("Cache-Control", "")
    client.force_login(pat.user)
    assert client.get(reverse("patient-home"))["Cache-Control"] == "private, no-store"


def test_caseload_view_is_audited_per_patient(client: Client, pat: Any, bob: Any,
                                              cleo: Any) -> None:
    client.force_login(cleo)
    client.get(reverse("caseload"))
    entries = AuditEntry.objects.filter(actor=cleo, target="caseload", action="read")
    assert {e.patient for e in entries} == {pat, bob}


def test_assignment_with_a_non_numeric_patient_is_404(client: Client, ada: Any) -> None:
    client.force_login(ada)
    assert client.post(reverse("assignments"), {"patient": "abc"}).status_code == 404
