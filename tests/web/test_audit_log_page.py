"""The program admin's audit log page: admins only, filters, pages, and audited itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.audit import log
from kratom_recovery.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admins_only(client: Client, cleo: Any, pat: Any) -> None:
    for user in (cleo, pat.user):
        client.force_login(user)
        assert client.get(reverse("audit-log")).status_code == 403


def test_filters_and_the_read_is_audited(
    client: Client, ada: Any, cleo: Any, otto: Any, pat: Any, bob: Any
) -> None:
    log.record(cleo, pat, "read", "chart")
    log.record(otto, bob, "export", "fhir")
    client.force_login(ada)
    page = client.get(reverse("audit-log"), {"actor": "otto"})
    rows = page.context["rows"]
    assert [(e.target, name) for e, name in rows] == [("fhir", "otto")]
    page = client.get(reverse("audit-log"), {"patient": pat.pk, "action": "read"})
    assert [e.target for e, _ in page.context["rows"]] == ["chart"]
    assert 'class="clinic-time"' in page.content.decode()
    assert AuditEntry.objects.filter(actor=ada, target="audit-log", action="read").count() == 2


def test_bad_filter_names_the_field_and_lists_nothing(client: Client, ada: Any,
                                                      pat: Any, cleo: Any) -> None:
    log.record(cleo, pat, "read", "chart")
    client.force_login(ada)
    page = client.get(reverse("audit-log"), {"patient": "abc", "since": "yesterday"})
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"patient", "since"}
    assert page.context["rows"] == []


def test_pages_keep_the_filter(client: Client, ada: Any, cleo: Any, pat: Any) -> None:
    for n in range(60):
        log.record(cleo, pat, "read", f"thing:{n}")
    client.force_login(ada)
    first = client.get(reverse("audit-log"), {"actor": "cleo"})
    assert len(first.context["rows"]) == 50
    assert "actor=cleo&amp;page=2" in first.content.decode()
    second = client.get(reverse("audit-log"), {"actor": "cleo", "page": "2"})
    assert [e.target for e, _ in second.context["rows"]][-1] == "thing:0"


def test_deleted_clinician_is_named_by_reference(client: Client, ada: Any, otto: Any,
                                                 pat: Any) -> None:
    log.record(otto, pat, "read", "chart")
    ref = otto.pk
    otto.delete()
    client.force_login(ada)
    page = client.get(reverse("audit-log"), {"patient": pat.pk})
    assert f"deleted account #{ref}" in page.content.decode()
