"""Web-side CLI commands, run in-process against the test database."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kratom_recovery.cli import main
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients.models import CheckIn, Patient

pytestmark = pytest.mark.django_db


def test_patients_json_lists_id_name_clinician_days(
    pat: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["patients", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"id": pat.pk, "display_name": "Pat", "clinician": "cleo",
                     "days_since_last_dose": rows[0]["days_since_last_dose"]}]
    assert isinstance(rows[0]["days_since_last_dose"], int)
    assert AuditEntry.objects.filter(patient=pat, via="cli", action="read").count() == 1


def test_createuser_makes_clinician(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEW_PW", "a-long-clinician-password")
    assert main(["createuser", "dana", "--role", "clinician", "--password-env", "NEW_PW"]) == 0
    assert User.objects.get(username="dana").role == "clinician"
    assert "created clinician dana" in capsys.readouterr().out


def test_createuser_weak_password_exits_2(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEW_PW", "short")
    assert main(["createuser", "dana", "--role", "admin", "--password-env", "NEW_PW"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "password" in captured.err
    assert not User.objects.filter(username="dana").exists()


def test_demo_seeds_synthetic_patients_idempotently(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--patients", "2"]) == 0
    first = capsys.readouterr().out
    assert "cleo" in first and "pat" in first and "recovery-demo-2026" in first
    counts = (Patient.objects.count(), CheckIn.objects.count())
    assert counts[0] == 2 and counts[1] > 20
    assert main(["demo", "--patients", "2"]) == 0
    assert (Patient.objects.count(), CheckIn.objects.count()) == counts


@pytest.mark.django_db(transaction=True)  # a snapshot of committed data, as in production
def test_backup_writes_a_checked_private_copy(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.db import connection

    from tests.support.personas import make_patient

    make_patient("pat", None)
    target = tmp_path / "copy.bin"
    assert main(["backup", "--output", str(target)]) == 0
    assert target.exists() and (target.stat().st_mode & 0o777) == 0o600
    assert "backup written" in capsys.readouterr().out
    if connection.vendor == "sqlite":
        import sqlite3

        copy = sqlite3.connect(target)
        assert copy.execute("select count(*) from patients_patient").fetchone() == (1,)
        copy.close()
    assert main(["backup", "--output", str(target)]) == 2  # never overwrites
