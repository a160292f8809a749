"""After-write hooks: run inside every write, or once per patient when deferred."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from kratom_recovery.web.patients import actions, hooks
from kratom_recovery.web.safety.models import Alert, SafetyState
from tests.personas import NOW

pytestmark = pytest.mark.django_db


def test_every_write_is_evaluated(pat: Any) -> None:
    actions.record_checkin(pat, pat.user, {"craving": [2]}, danger_symptoms=["seizure"],
                           self_harm_thoughts=False, now=NOW)
    assert Alert.objects.filter(patient=pat, rule="emergency-symptoms").exists()


def test_deferred_evaluates_each_patient_once_on_the_last_write(
    pat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(hooks, "AFTER_WRITE", ["tests.web.test_hooks.record_call"])
    monkeypatch.setattr("tests.web.test_hooks.CALLS", calls)
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


CALLS: list[Any] = []


def record_call(patient: Any, actor: Any, now: Any, source: str) -> None:
    CALLS.append((patient.pk, source, now))
