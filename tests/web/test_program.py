"""Program admin: figures, clinician accounts, caseload assignment."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.clinic.program import program_figures
from kratom_recovery.web.patients import actions
from kratom_recovery.web.patients.models import Patient
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


def test_figures_count_active_completed_and_retention(pat: Any, bob: Any) -> None:
    onboard = NOW - timedelta(days=40)
    Patient.objects.filter(pk=pat.pk).update(onboarded_at=onboard,
                                             last_use_at=NOW - timedelta(days=20))
    Patient.objects.filter(pk=bob.pk).update(onboarded_at=onboard,
                                             last_use_at=NOW - timedelta(days=2))
    actions.record_checkin(pat, pat.user, {"craving": [2]}, now=NOW - timedelta(days=3))
    actions.record_checkin(bob, bob.user, {"craving": [2]}, now=NOW - timedelta(days=35))
    figures = program_figures(NOW)
    assert (figures.patients, figures.active, figures.completed_withdrawals) == (2, 1, 1)
    day30, day90 = figures.retention
    assert (day30.eligible, day30.retained, day30.percent) == (2, 1, 50.0)
    assert (day90.eligible, day90.retained, day90.percent) == (0, 0, None)


def test_program_page_for_admin_only(client: Client, ada: Any, cleo: Any, pat: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("program")).status_code == 403
    client.force_login(pat.user)
    assert client.get(reverse("assignments")).status_code == 403
    client.force_login(ada)
    page = client.get(reverse("program"))
    assert page.status_code == 200 and "Cleo" in page.content.decode()


def test_admin_reassigns_patient_audited(
    client: Client, ada: Any, cleo: Any, otto: Any, pat: Any
) -> None:
    client.force_login(ada)
    response = client.post(reverse("assignments"),
                           {"patient": pat.pk, "change": "primary", "clinician": otto.pk})
    assert response.status_code == 302
    assert pat.clinician == otto
    assert AuditEntry.objects.filter(actor=ada, patient=pat,
                                     target="care-team:primary:otto").exists()


def test_reassign_to_non_clinician_changes_nothing(
    client: Client, ada: Any, pat: Any, cleo: Any
) -> None:
    client.force_login(ada)
    client.post(reverse("assignments"),
                {"patient": pat.pk, "change": "primary", "clinician": ada.pk})
    assert pat.clinician == cleo
    assert client.post(reverse("assignments"), {"patient": 999999}).status_code == 404


def test_admin_creates_and_deactivates_clinician(client: Client, ada: Any) -> None:
    from kratom_recovery.web.accounts.models import User

    client.force_login(ada)
    bad = client.post(reverse("add-clinician"), {"username": "dr x", "password": "x"})
    assert bad.status_code == 400 and not User.objects.filter(role="clinician").exists()
    ok = client.post(reverse("add-clinician"),
                     {"username": "drx", "password": "a-long-password-99", "display_name": "X"})
    assert ok.status_code == 302
    drx = User.objects.get(username="drx")
    client.post(reverse("clinician-active", args=[drx.pk]), {"active": "0"})
    drx.refresh_from_db()
    assert drx.is_active is False


def test_program_page_query_count(
    client: Client, ada: Any, cleo: Any, make_patient: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(8):
        make_patient(f"p{index}", cleo)
    client.force_login(ada)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("program")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("assignments")).status_code == 200
