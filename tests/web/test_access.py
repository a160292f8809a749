"""Object-level access: a patient reaches only their own record, a clinician only their
caseload, everyone else gets 404; the wrong role gets 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.web.patients import actions as patient_actions
from kratom_recovery.web.patients.access import (
    get_patient_for,
    of_visible_patients,
    visible_patients,
)
from kratom_recovery.web.safety.models import Alert

pytestmark = pytest.mark.django_db


def test_patient_sees_only_self(pat: Any, bob: Any) -> None:
    assert list(visible_patients(pat.user)) == [pat]
    with pytest.raises(Exception) as excinfo:
        get_patient_for(pat.user, bob.pk)
    assert excinfo.typename == "Http404"


def test_rows_of_visible_patients_match_visible_patients(
    pat: Any, bob: Any, cleo: Any, otto: Any, ada: Any
) -> None:
    """The filter from another table's side (alerts here) admits exactly the rows of the
    patients visible_patients gives each user, and none for other roles."""
    for patient in (pat, bob):  # an alert each, through the real check-in's safety rules
        patient_actions.record_checkin(patient, patient.user, {"craving": [2]},
                                       danger_symptoms=["chest-pain"], self_harm_thoughts=False)
    alerts = set(Alert.objects.all())
    assert {a.patient for a in alerts} == {pat, bob}
    for user in (pat.user, bob.user, cleo, otto, ada):
        seen = set(Alert.objects.filter(of_visible_patients(user)))
        assert seen == {a for a in alerts if a.patient in set(visible_patients(user))}, user
    assert set(Alert.objects.filter(of_visible_patients(cleo))) == alerts
    assert not Alert.objects.filter(of_visible_patients(otto)).exists()


def test_clinician_sees_caseload_only(pat: Any, bob: Any, cleo: Any, otto: Any) -> None:
    assert set(visible_patients(cleo)) == {pat, bob}
    assert list(visible_patients(otto)) == []
    bad_ids: list[Any] = [pat.pk, "abc", None, 10**12]
    for bad in bad_ids:
        with pytest.raises(Exception) as excinfo:
            get_patient_for(otto, bad)
        assert excinfo.typename == "Http404"


@pytest.mark.parametrize(
    ("who", "status"), [("cleo", 200), ("otto", 404), ("pat", 403), ("ada", 403)]
)
def test_chart_access_matrix(
    client: Client, who: str, status: int, pat: Any, cleo: Any, otto: Any, ada: Any
) -> None:
    users = {"cleo": cleo, "otto": otto, "pat": pat.user, "ada": ada}
    client.force_login(users[who])
    response = client.get(reverse("chart", args=[pat.pk]))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client: Client, pat: Any) -> None:
    for name, args in (("patient-home", []), ("checkin", []), ("chart", [pat.pk]),
                       ("caseload", [])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", ["patient-home", "checkin", "log-use", "onboarding"])
def test_patient_pages_refuse_clinicians(client: Client, cleo: Any, page: str) -> None:
    client.force_login(cleo)
    assert client.get(reverse(page)).status_code == 403


def test_caseload_lists_only_own_patients(
    client: Client, pat: Any, cleo: Any, otto: Any
) -> None:
    chart_link = f'href="{reverse("chart", args=[pat.pk])}"'
    client.force_login(otto)
    assert chart_link not in client.get(reverse("caseload")).content.decode()
    client.force_login(cleo)
    assert chart_link in client.get(reverse("caseload")).content.decode()


def test_caseload_query_count_is_constant(
    client: Client, cleo: Any, make_patient: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(12):
        make_patient(f"p{index}", cleo, onboard=True)
    client.force_login(cleo)
    # The viewer's zone (program settings), the live alert count and the bedside due list
    # each add one, the audit chain head two, sorting and paging in SQL two (the zones with
    # their counts, the page's ids), the staff second-factor policy one; the full budget is
    # in test_query_budgets.py.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("caseload"))
    assert response.status_code == 200
