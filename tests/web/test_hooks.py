"""After-write hooks: run inside every write, or once per patient when deferred."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from kratom_recovery.web.patients import actions, hooks
from kratom_recovery.web.patients.models import CheckIn
from kratom_recovery.web.safety.engine import evaluate_patient
from kratom_recovery.web.safety.models import Alert, SafetyState
from tests.support.personas import NOW

pytestmark = pytest.mark.django_db


def test_every_write_is_evaluated(pat: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [2]}, danger_symptoms=["seizure"],
                           self_harm_thoughts=False, now=NOW)
    assert Alert.objects.filter(patient=pat, rule="emergency-symptoms").exists()


def test_deferred_evaluates_each_patient_once_on_the_last_write(
    pat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(hooks, "AFTER_WRITE", [calls_into(calls)])
    with hooks.deferred():
        for day in (2, 0, 1):
            actions.record_checkin(pat, pat.user, {"craving": [day]},
                                   now=NOW + timedelta(days=day))
        assert calls == []
    assert [(c[0], c[2]) for c in calls] == [(pat.pk, NOW + timedelta(days=2))]


def test_deferred_real_hook_raises_alerts_at_the_end(pat: Any) -> None:
    SafetyState.objects.filter(patient=pat).delete()
    with hooks.deferred():
        actions.record_checkin(pat, pat.user, {"craving": [2]}, danger_symptoms=["seizure"],
                               self_harm_thoughts=False, now=NOW)
        assert not Alert.objects.filter(patient=pat).exists()
    assert Alert.objects.filter(patient=pat, rule="emergency-symptoms").exists()


def calls_into(calls: list[Any]) -> hooks.Hook:
    def record_call(patient: Any, actor: Any, now: Any, source: str) -> None:
        calls.append((patient.pk, source, now))
    return record_call


def test_safety_registers_its_evaluation_at_start_up() -> None:
    assert evaluate_patient in hooks.AFTER_WRITE
    assert hooks.check_hooks_registered() == []


def test_without_a_hook_writes_fail_loudly_and_the_system_check_errs(
    pat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hooks, "AFTER_WRITE", [])
    assert [m.id for m in hooks.check_hooks_registered()] == ["patients.E001"]
    with pytest.raises(ImproperlyConfigured, match="no after-write hook"):
        actions.record_checkin(pat, pat.user, {"craving": [2]}, now=NOW)
    assert not CheckIn.objects.filter(patient=pat).exists()  # the transaction rolled back


def test_system_check_passes_with_the_project_settings() -> None:
    call_command("check")  # raises SystemCheckError if patients.E001 (or any error) fires
