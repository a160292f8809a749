"""Level of care in the web app, the missed check-in sweep and the read API for others."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.cli import main
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.pages.panels import CHART_REGIONS, HOME_PANELS
from kratom_recovery.web.patients import actions
from kratom_recovery.web.safety import panels as safety_panels
from kratom_recovery.web.safety.actions import record_level_decision
from kratom_recovery.web.safety.engine import current_safety
from kratom_recovery.web.safety.models import Alert, LevelOfCareDecision
from tests.support.personas import NOW, profile_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_safety_panels() -> Any:
    """Render just this app's panels (other apps' panels are tested by their owners)."""
    lists = (HOME_PANELS, *CHART_REGIONS.values())
    saved = [list(paths) for paths in lists]
    for paths in lists:
        paths[:] = [p for p in paths if p.__module__ == safety_panels.__name__]
    yield
    for paths, kept in zip(lists, saved, strict=True):
        paths[:] = kept


@pytest.fixture
def risky(make_patient: Any, cleo: Any) -> Any:
    """7-OH user with a seizure history: suggested level 1.7 (dimensions 1 and 2)."""
    patient = make_patient("risky", cleo, onboard=False)
    actions.complete_onboarding(patient, patient.user, profile_data(
        product="7-oh", amount_per_day="4", unit="tablets", conditions=["seizures"]), now=NOW)
    return patient


def test_level_page_shows_reasons_with_dimensions(client: Client, risky: Any,
                                                  cleo: Any) -> None:
    client.force_login(cleo)
    response = client.get(reverse("level-of-care", args=[risky.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "1.7" in page and "Medically Managed Outpatient" in page
    assert "Dimension 1" in page and "Dimension 2" in page
    assert "not an ASAM placement" in page
    assert AuditEntry.objects.filter(actor=cleo, target="level-of-care").exists()
    chart = client.get(reverse("chart", args=[risky.pk])).content.decode()
    assert reverse("level-of-care", args=[risky.pk]) in chart and "D1" in chart


def test_level_decision_is_recorded_audited_and_shown(client: Client, risky: Any,
                                                      cleo: Any) -> None:
    client.force_login(cleo)
    response = client.post(reverse("level-of-care", args=[risky.pk]),
                           {"level": "2.1", "reason": "Lives alone; prefers IOP"})
    assert response.status_code == 302
    decision = LevelOfCareDecision.objects.get(patient=risky)
    assert (decision.level, decision.decided_by) == ("2.1", cleo)
    assert AuditEntry.objects.filter(actor=cleo, action="create",
                                     target=f"level-decision:{decision.pk}").exists()
    summary = current_safety(risky)
    assert summary is not None
    assert (summary["level"], summary["effective_level"]) == ("1.7", "2.1")
    assert summary["decision"] is not None and summary["decision"]["decided_by"] == "Cleo"
    # The patient's home shows the decided next step, in plain words, with the disclaimer.
    client.force_login(risky.user)
    with time_machine.travel(NOW, tick=False):
        home = client.get(reverse("patient-home")).content.decode()
    assert "Intensive outpatient program" in home and "agreed by your clinician" in home
    assert "not an ASAM placement" in home


@pytest.mark.parametrize(
    ("data", "field"),
    [({"level": "9.9", "reason": "x"}, "level"), ({"level": "", "reason": "x"}, "level"),
     ({"level": "2.1", "reason": "  "}, "reason")],
)
def test_bad_level_decision_names_the_field_and_writes_nothing(
    client: Client, risky: Any, cleo: Any, data: dict[str, str], field: str
) -> None:
    client.force_login(cleo)
    response = client.post(reverse("level-of-care", args=[risky.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LevelOfCareDecision.objects.exists()


def test_decision_action_validates_through_the_core(risky: Any, cleo: Any) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        record_level_decision(risky, cleo, "5", "because")
    assert excinfo.value.field == "level"
    assert not LevelOfCareDecision.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("otto", 404), ("pat", 403), ("ada", 403)])
def test_level_page_access(client: Client, risky: Any, pat: Any, otto: Any, ada: Any,
                           who: str, status: int) -> None:
    client.force_login({"otto": otto, "pat": pat.user, "ada": ada}[who])
    assert client.get(reverse("level-of-care", args=[risky.pk])).status_code == status
    response = client.post(reverse("level-of-care", args=[risky.pk]),
                           {"level": "2.1", "reason": "x"})
    assert response.status_code == status
    assert not LevelOfCareDecision.objects.exists()


def test_sweep_raises_missed_checkins_once(pat: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # Onboarded at NOW, last dose 30 h before; three days later withdrawal is still acute.
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        assert main(["safety-sweep", "--format", "json"]) == 0
        first = json.loads(capsys.readouterr().out)
        assert main(["safety-sweep", "--format", "json"]) == 0
        second = json.loads(capsys.readouterr().out)
    assert first == {"patients": 1, "alerts": 1}
    assert second == {"patients": 1, "alerts": 0}
    alert = Alert.objects.get(patient=pat)
    assert (alert.rule, alert.severity, alert.source) == ("missed-checkins", "warning", "sweep")


def test_sweep_is_quiet_when_checking_in(pat: Any) -> None:
    answers = {"sows": [1] * 16, "craving": [2], "daily-extra": [1, 1, 1, 1, 1]}
    actions.record_checkin(pat, pat.user, answers, now=NOW + timedelta(days=2))
    with time_machine.travel(NOW + timedelta(days=2, hours=3), tick=False):
        assert main(["safety-sweep"]) == 0
    assert not Alert.objects.filter(rule="missed-checkins").exists()


def test_current_safety_before_any_write(make_patient: Any) -> None:
    fresh = make_patient("fresh", None, onboard=False)
    assert current_safety(fresh) is None
