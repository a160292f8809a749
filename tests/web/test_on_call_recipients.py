"""On-call rota and the recipient policy (issue 12): shifts never overlap, and who is told of
an alert is a table: in and out of hours, with and without a shift, with the primary
clinician active or deactivated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.accounts.actions import create_staff_user
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients import care_team
from kratom_recovery.web.program import actions
from kratom_recovery.web.program.hours import DEFAULT_HOURS
from kratom_recovery.web.program.models import OnCallShift
from kratom_recovery.web.program.recipients import escalation_recipients, immediate_recipients
from kratom_recovery.web.program.rota import on_call_at
from tests.support.personas import PASSWORD

MONDAY_NOON = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 12:00 in New York: open
MONDAY_NIGHT = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # 00:00 in New York: closed


@pytest.fixture
def program(ada: Any) -> None:
    actions.update_program_settings(ada, timezone_name="America/New_York",
                                    hours=DEFAULT_HOURS.to_json(), escalation_minutes=15,
                                    clinical={})


def shift_form(start: str, end: str, primary: Any, backup: Any | None) -> dict[str, object]:
    return {"starts_at": start, "ends_at": end, "primary": primary.pk,
            "backup": backup.pk if backup else ""}


def test_rota_page_adds_shifts_in_program_time_and_refuses_overlaps(
    client: Client, program: None, ada: Any, cleo: Any, otto: Any,
) -> None:
    client.force_login(ada)
    ok = client.post(reverse("on-call"),
                     shift_form("2026-03-02T08:00", "2026-03-02T20:00", cleo, otto))
    assert ok.status_code == 302
    shift = OnCallShift.objects.get()
    assert shift.starts_at == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert on_call_at(MONDAY_NOON) == shift and on_call_at(MONDAY_NIGHT) is None
    for start, end in (("2026-03-02T19:00", "2026-03-02T23:00"),  # overlaps the end
                       ("2026-03-02T06:00", "2026-03-02T09:00"),  # overlaps the start
                       ("2026-03-02T10:00", "2026-03-02T11:00")):  # inside
        refused = client.post(reverse("on-call"), shift_form(start, end, otto, None))
        assert refused.status_code == 400
        assert "overlaps the shift from 2026-03-02 08:00 to 2026-03-02 20:00" in \
            refused.context["form"].errors["starts_at"][0]
    touching = client.post(reverse("on-call"),
                           shift_form("2026-03-02T20:00", "2026-03-03T08:00", otto, cleo))
    assert touching.status_code == 302 and OnCallShift.objects.count() == 2
    assert AuditEntry.objects.filter(actor=ada, target__startswith="on-call:add:").count() == 2


@pytest.mark.parametrize(("start", "end", "same", "field"), [
    ("2026-03-02T20:00", "2026-03-02T08:00", False, "ends_at"),
    ("2026-03-02T08:00", "2026-03-02T08:00", False, "ends_at"),
    ("2026-03-02T08:00", "2026-03-02T20:00", True, "backup"),
    ("not a time", "2026-03-02T20:00", False, "starts_at"),
])
def test_bad_shifts_name_the_field_and_write_nothing(
    client: Client, program: None, ada: Any, cleo: Any, otto: Any,
    start: str, end: str, same: bool, field: str,
) -> None:
    client.force_login(ada)
    response = client.post(reverse("on-call"),
                           shift_form(start, end, cleo, cleo if same else otto))
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not OnCallShift.objects.exists()


def test_removing_a_shift(client: Client, program: None, ada: Any, cleo: Any) -> None:
    shift = actions.add_shift(ada, MONDAY_NOON, MONDAY_NOON + timedelta(hours=8), cleo, None)
    client.force_login(ada)
    assert client.post(reverse("remove-shift", args=[shift.pk])).status_code == 302
    assert not OnCallShift.objects.exists()
    client.force_login(cleo)
    assert client.get(reverse("on-call")).status_code == 403


def test_a_deactivated_clinician_cannot_be_put_on_call(program: None, ada: Any,
                                                       otto: Any) -> None:
    otto.is_active = False
    otto.save()
    with pytest.raises(InvalidInput) as error:
        actions.add_shift(ada, MONDAY_NOON, MONDAY_NOON + timedelta(hours=1), otto, None)
    assert error.value.field == "primary"


def names(recipients: list[Any]) -> list[tuple[str, str]]:
    return [(r.user.username, r.reason) for r in recipients]


# (moment, shift: (primary, backup) or None, primary clinician deactivated?,
#  immediate recipients, escalation recipients)
POLICY = [
    (MONDAY_NOON, None, False,
     [("cleo", "primary clinician")],
     [("ada", "admin")]),
    (MONDAY_NIGHT, None, False,
     [("cleo", "primary clinician")],
     [("ada", "admin")]),
    (MONDAY_NOON, ("otto", "nora"), False,
     [("cleo", "primary clinician"), ("otto", "on-call primary")],
     [("nora", "on-call backup"), ("ada", "admin")]),
    (MONDAY_NIGHT, ("otto", "nora"), False,
     [("cleo", "primary clinician"), ("otto", "on-call primary")],
     [("nora", "on-call backup"), ("ada", "admin")]),
    (MONDAY_NIGHT, ("cleo", "nora"), False,  # the primary is on call: told once
     [("cleo", "primary clinician")],
     [("nora", "on-call backup"), ("ada", "admin")]),
    (MONDAY_NOON, ("otto", "nora"), True,
     [("otto", "on-call primary"), ("ada", "admin")],
     [("nora", "on-call backup"), ("ada", "admin")]),
    (MONDAY_NIGHT, None, True,
     [("ada", "admin")],
     [("ada", "admin")]),
]


@pytest.mark.parametrize(("now", "shift", "deactivated", "immediate", "escalation"), POLICY)
def test_recipient_policy(
    program: None, pat: Any, cleo: Any, otto: Any, ada: Any, now: datetime,
    shift: tuple[str, str] | None, deactivated: bool, immediate: list[tuple[str, str]],
    escalation: list[tuple[str, str]],
) -> None:
    staff = {"cleo": cleo, "otto": otto, "ada": ada,
             "nora": create_staff_user("nora", PASSWORD, "clinician", "Nora")}
    if shift is not None:
        actions.add_shift(ada, now - timedelta(hours=6), now + timedelta(hours=6),
                          staff[shift[0]], staff[shift[1]])
    if deactivated:  # e.g. `manage` or data drift: the admin has not reassigned yet
        cleo.is_active = False
        cleo.save()
    assert names(immediate_recipients(pat, now)) == immediate
    assert names(escalation_recipients(pat, now)) == escalation


def test_co_clinicians_are_told_and_inactive_admins_are_not(
    program: None, pat: Any, cleo: Any, otto: Any, ada: Any,
) -> None:
    care_team.add_co_clinician(ada, pat, otto)
    gone = create_staff_user("gus", PASSWORD, "admin", "Gus")
    gone.is_active = False
    gone.save()
    assert names(immediate_recipients(pat, MONDAY_NOON)) == [
        ("cleo", "primary clinician"), ("otto", "co-clinician")]
    assert names(escalation_recipients(pat, MONDAY_NOON)) == [("ada", "admin")]


def test_a_patient_without_a_team_goes_to_on_call_and_admins(
    program: None, make_patient: Any, cleo: Any, ada: Any,
) -> None:
    solo = make_patient("solo", None)
    actions.add_shift(ada, MONDAY_NOON - timedelta(hours=1), MONDAY_NOON + timedelta(hours=1),
                      cleo, None)
    assert names(immediate_recipients(solo, MONDAY_NOON)) == [
        ("cleo", "on-call primary"), ("ada", "admin")]
