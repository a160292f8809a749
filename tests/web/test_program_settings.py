"""Program settings: every value bounded, bad input writes nothing, each change
audited; opening hours answer "open now?" and "opens when?" in the program's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.program_settings import SETTINGS
from kratom_recovery.web.accounts.twofactor import GRACE_DAYS_MAX, GRACE_DAYS_MIN
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.program.config import (
    ESCALATION_MAX,
    ESCALATION_MIN,
    current_settings,
    user_zone,
)
from kratom_recovery.web.program.hours import DEFAULT_HOURS, parse_hours
from kratom_recovery.web.program.models import ProgramSettingsRow


def valid_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {"timezone": "America/New_York", "escalation_minutes": 15,
                               "two_factor_grace_days": 7}
    for day, hours in zip(("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
                          DEFAULT_HOURS.to_json(), strict=True):
        data[f"{day}_open"], data[f"{day}_close"] = hours or ("", "")
    data.update({s.name: s.default for s in SETTINGS})
    data.update(changes)
    return data


def out_of_bounds() -> list[tuple[str, object, str]]:
    """(form field, value, field the error shows on): each bound ±1 beyond."""
    cases: list[tuple[str, object, str]] = []
    for s in SETTINGS:
        cases += [(s.name, s.low - 1, s.name), (s.name, s.high + 1, s.name)]
    cases += [("two_factor_grace_days", GRACE_DAYS_MIN - 1, "two_factor_grace_days"),
              ("two_factor_grace_days", GRACE_DAYS_MAX + 1, "two_factor_grace_days"),
              ("two_factor_grace_days", "seven", "two_factor_grace_days")]
    cases += [("escalation_minutes", ESCALATION_MIN - 1, "escalation_minutes"),
              ("escalation_minutes", ESCALATION_MAX + 1, "escalation_minutes"),
              ("timezone", "Mars/Olympus_Mons", "timezone"),
              ("mon_open", "24:01", "mon_open"),
              ("tue_close", "08:00", "tue_open")]  # closes before it opens
    return cases


@pytest.mark.parametrize(("field", "value", "shown_on"), out_of_bounds())
def test_each_value_beyond_its_bounds_is_refused_and_nothing_is_written(
    client: Client, ada: Any, field: str, value: object, shown_on: str,
) -> None:
    client.force_login(ada)
    response = client.post(reverse("program-settings"), valid_post(**{field: value}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert shown_on in errors, errors
    assert not ProgramSettingsRow.objects.exists()
    assert not AuditEntry.objects.filter(target__startswith="program:").exists()
    assert current_settings().escalation_minutes == 15


def test_a_change_is_saved_used_and_audited_field_by_field(client: Client, ada: Any) -> None:
    client.force_login(ada)
    response = client.post(reverse("program-settings"), valid_post(
        cows_review_at=15, escalation_minutes=20, sat_open="10:00", sat_close="14:00"))
    assert response.status_code == 302
    config = current_settings()
    assert config.clinical.cows_review_at == 15 and config.escalation_minutes == 20
    assert config.timezone == "America/New_York"
    targets = set(AuditEntry.objects.filter(actor=ada).values_list("target", flat=True))
    assert {"program:settings.cows_review_at=15", "program:escalation_minutes=20",
            "program:hours.sat=10:00-14:00", "program:timezone=America/New_York"} <= targets
    assert "program:settings.pulse_limit=120" not in targets  # unchanged: not recorded
    # Saving the same values again changes nothing and records nothing.
    before = AuditEntry.objects.count()
    client.post(reverse("program-settings"), valid_post(
        cows_review_at=15, escalation_minutes=20, sat_open="10:00", sat_close="14:00"))
    assert AuditEntry.objects.count() == before


def test_only_admins_reach_the_settings_page(client: Client, cleo: Any) -> None:
    client.force_login(cleo)
    assert client.get(reverse("program-settings")).status_code == 403
    assert client.post(reverse("program-settings"), valid_post()).status_code == 403
    assert not ProgramSettingsRow.objects.exists()


def test_defaults_before_any_save_and_staff_zone(db: None, cleo: Any) -> None:
    config = current_settings()
    assert config.timezone == "UTC" and config.escalation_minutes == 15
    assert config.clinical.cows_review_at == 13
    assert user_zone(cleo, config) == ZoneInfo("UTC")
    cleo.timezone = "Europe/Berlin"
    assert user_zone(cleo, config) == ZoneInfo("Europe/Berlin")


NEW_YORK = ZoneInfo("America/New_York")


def ny(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=NEW_YORK)


@pytest.mark.parametrize(("local", "is_open", "opens"), [
    (ny(2, 10), True, ny(3, 9)),  # Monday
    (ny(2, 8, 59), False, ny(2, 9)),
    (ny(2, 17), False, ny(3, 9)),
    (ny(6, 18), False, ny(9, 9)),  # Friday evening: Monday
    (ny(7, 12), False, ny(9, 9)),  # Saturday
])
def test_opening_hours(local: datetime, is_open: bool, opens: datetime) -> None:
    assert DEFAULT_HOURS.is_open(local) is is_open
    assert DEFAULT_HOURS.next_opening(local) == opens


def test_hours_in_the_program_zone_not_utc(db: None, ada: Any) -> None:
    from kratom_recovery.web.program.actions import update_program_settings

    update_program_settings(ada, timezone_name="America/New_York",
                            hours=DEFAULT_HOURS.to_json(), escalation_minutes=15,
                            clinical={})
    config = current_settings()
    # 14:00 UTC on a Monday in March is 10:00 in New York (open); 23:00 UTC is 19:00 (closed).
    assert config.is_open(datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    assert not config.is_open(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))
    assert config.next_opening(datetime(2026, 3, 2, 23, 0, tzinfo=UTC)) == datetime(
        2026, 3, 3, 9, 0, tzinfo=NEW_YORK)


@pytest.mark.parametrize(("data", "field"), [
    ([None] * 6, "hours"), ({"monday": None}, "hours"), ([["9:00", "17"]] + [None] * 6,
                                                          "hours.mon"),
    ([None] * 6 + [["18:00", "09:00"]], "hours.sun"),
])
def test_bad_hours_name_the_field(data: object, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_hours(data)
    assert error.value.field == field


def test_the_second_factor_grace_period_is_a_program_setting(
        client: Client, cleo: Any, ada: Any) -> None:
    from kratom_recovery.web.accounts import twofactor

    client.force_login(ada)
    page = client.get(reverse("program-settings")).content.decode()
    assert 'name="two_factor_grace_days"' in page and 'value="7"' in page
    response = client.post(reverse("program-settings"), valid_post(two_factor_grace_days=0))
    assert response.status_code == 302 and twofactor.grace_days() == 0
    assert AuditEntry.objects.filter(target="program:two_factor_grace_days=0").count() == 1
    other = Client()
    other.force_login(cleo)  # applies at once, in every process: a new clinician must enrol
    assert other.get(reverse("caseload"))["Location"] == reverse("two-factor")
