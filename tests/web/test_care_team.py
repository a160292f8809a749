"""Care teams (issue 12): one primary, any co-clinicians; everyone on the team sees the
patient (caseload, chart, API), nobody else does; deactivating a clinician needs their
patients reassigned in the same step."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.clinic import admin_actions
from kratom_recovery.web.patients import care_team
from kratom_recovery.web.patients.models import CareTeamMember, CareTeamRole
from tests.support.api import call, token_for


def sees(client: Client, user: Any, patient: Any) -> tuple[int, bool, int]:
    """(chart status, listed on the caseload, API status) for `user` and `patient`."""
    client.force_login(user)
    chart = client.get(reverse("chart", args=[patient.pk])).status_code
    listed = f'href="{reverse("chart", args=[patient.pk])}"' in client.get(
        reverse("caseload")).content.decode()
    api = call(client, "GET", f"/patients/{patient.pk}", token_for(user)).status_code
    client.logout()
    return chart, listed, api


def test_co_clinician_sees_the_patient_and_loses_access_when_removed(
    client: Client, pat: Any, cleo: Any, otto: Any, ada: Any,
) -> None:
    assert sees(client, otto, pat) == (404, False, 404)
    client.force_login(ada)
    response = client.post(reverse("assignments"),
                           {"patient": pat.pk, "change": "co", "clinician": otto.pk})
    assert response.status_code == 302
    assert sees(client, otto, pat) == (200, True, 200)
    assert sees(client, cleo, pat) == (200, True, 200)
    assert pat.clinician == cleo  # the primary is unchanged
    client.force_login(ada)
    client.post(reverse("assignments"),
                {"patient": pat.pk, "change": "remove", "clinician": otto.pk})
    assert sees(client, otto, pat) == (404, False, 404)
    targets = list(AuditEntry.objects.filter(actor=ada, patient=pat.pk)
                   .values_list("target", flat=True))
    assert "care-team:co:otto" in targets and "care-team:removed:otto" in targets


def test_changing_the_primary_moves_the_patient(client: Client, pat: Any, cleo: Any,
                                                otto: Any, ada: Any) -> None:
    client.force_login(ada)
    client.post(reverse("assignments"),
                {"patient": pat.pk, "change": "primary", "clinician": otto.pk})
    assert pat.clinician == otto
    assert sees(client, cleo, pat) == (404, False, 404)
    assert sees(client, otto, pat) == (200, True, 200)


def test_one_primary_per_patient_in_the_database(pat: Any, otto: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CareTeamMember.objects.create(patient=pat, clinician=otto, role=CareTeamRole.PRIMARY)


def test_bad_team_changes_are_refused(client: Client, pat: Any, cleo: Any, ada: Any) -> None:
    with pytest.raises(InvalidInput) as error:
        care_team.add_co_clinician(ada, pat, cleo)  # already the primary
    assert error.value.field == "clinician"
    with pytest.raises(InvalidInput):
        care_team.add_co_clinician(ada, pat, ada)  # not a clinician
    client.force_login(ada)
    client.post(reverse("assignments"), {"patient": pat.pk, "change": "co", "clinician": "x"})
    assert CareTeamMember.objects.filter(patient=pat).count() == 1


def test_invite_from_a_second_clinician_adds_a_co_clinician(make_patient: Any, cleo: Any,
                                                            otto: Any) -> None:
    from kratom_recovery.web.accounts.actions import create_invite
    from kratom_recovery.web.patients.actions import join_clinician

    patient = make_patient("sam", cleo)
    join_clinician(patient, create_invite(otto).code)
    roles = dict(CareTeamMember.objects.filter(patient=patient)
                 .values_list("clinician__username", "role"))
    assert roles == {"cleo": "primary", "otto": "co"}


def test_deactivation_is_refused_while_primary_then_reassigns(
    client: Client, pat: Any, bob: Any, cleo: Any, otto: Any, ada: Any,
) -> None:
    client.force_login(ada)
    page = client.get(reverse("clinician-active", args=[cleo.pk]))
    assert page.status_code == 200 and "Pat" in page.content.decode()
    refused = client.post(reverse("clinician-active", args=[cleo.pk]), {"active": "0"})
    assert refused.status_code == 400
    assert "primary clinician of 2 patient(s)" in refused.content.decode()
    cleo.refresh_from_db()
    assert cleo.is_active and pat.clinician == cleo
    done = client.post(reverse("clinician-active", args=[cleo.pk]),
                       {"active": "0", "reassign_to": otto.pk})
    assert done.status_code == 302
    for user in (cleo, pat, bob):
        user.refresh_from_db()
    assert not cleo.is_active
    assert pat.clinician == otto and bob.clinician == otto
    assert not CareTeamMember.objects.filter(clinician=cleo).exists()
    assert AuditEntry.objects.filter(actor=ada, target="clinician:deactivate:cleo").exists()


def test_deactivating_without_patients_needs_no_reassignment(otto: Any, ada: Any,
                                                             pat: Any) -> None:
    care_team.add_co_clinician(ada, pat, otto)
    admin_actions.set_clinician_active(ada, otto, False)
    otto.refresh_from_db()
    assert not otto.is_active
    assert not CareTeamMember.objects.filter(clinician=otto).exists()  # left Pat's team


def test_reassigning_to_the_same_or_an_inactive_clinician_is_refused(
    pat: Any, cleo: Any, otto: Any, ada: Any,
) -> None:
    otto.is_active = False
    otto.save()
    for target in (cleo, otto):
        with pytest.raises(InvalidInput) as error:
            admin_actions.set_clinician_active(ada, cleo, False, reassign_to=target)
        assert error.value.field == "reassign_to"
    cleo.refresh_from_db()
    assert cleo.is_active and pat.clinician == cleo


def test_program_figures_count_patients_without_a_primary(pat: Any, ada: Any, cleo: Any,
                                                         make_patient: Any) -> None:
    from django.utils import timezone

    from kratom_recovery.web.clinic.program import program_figures

    make_patient("solo", None)
    assert program_figures(timezone.now()).unassigned == 1
    care_team.remove_member(ada, pat, cleo)
    assert program_figures(timezone.now()).unassigned == 2
