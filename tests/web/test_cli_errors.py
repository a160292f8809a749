"""The command line never prints a traceback: bad paths and values exit 2, name the path or
field on standard error, and write nothing (no file, no audit entry, no database rows)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kratom_recovery.cli import main
from kratom_recovery.web.audit.models import AuditEntry
from kratom_recovery.web.patients.models import Patient

pytestmark = pytest.mark.django_db


def fails(capsys: pytest.CaptureFixture[str], argv: list[str], *named: str) -> str:
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith(f"kratom-recovery {argv[0]}: "), err
    for text in named:
        assert text in err, err
    return err


@pytest.mark.parametrize("fmt", ["fhir", "csv"])
def test_export_into_a_missing_folder(tmp_path: Path, pat: Any, fmt: str,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "missing" / "out.json"
    fails(capsys, ["export", "--patient", str(pat.pk), "--format", fmt, "--output",
                   str(target)], "--output", str(target.parent))
    assert not target.parent.exists()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_export_onto_a_directory(tmp_path: Path, pat: Any,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    fails(capsys, ["export", "--patient", str(pat.pk), "--output", str(tmp_path)],
          "--output", str(tmp_path), "directory")
    assert list(tmp_path.iterdir()) == []
    assert not AuditEntry.objects.filter(action="export").exists()


def test_export_below_a_file(tmp_path: Path, pat: Any,
                             capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    fails(capsys, ["export", "--patient", str(pat.pk), "--output", str(blocker / "o.json")],
          "--output", str(blocker))
    assert not AuditEntry.objects.filter(action="export").exists()


def test_backup_to_a_place_that_cannot_be_written(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    target = blocker / "sub" / "copy.sqlite3"
    fails(capsys, ["backup", "--output", str(target)], str(blocker))
    assert blocker.read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_backup_onto_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fails(capsys, ["backup", "--output", str(tmp_path)], "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("count", ["0", "-1", "501", "100000"])
def test_demo_patients_out_of_range(count: str, capsys: pytest.CaptureFixture[str]) -> None:
    fails(capsys, ["demo", "--patients", count], "--patients", "1", "500", count)
    assert not Patient.objects.exists()


def test_os_error_on_a_path_is_exit_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any command: an OSError about a file becomes one line naming it, not a traceback."""
    from kratom_recovery.commands import web_patients

    def broken(args: Any) -> int:
        raise PermissionError(13, "Permission denied", str(tmp_path / "x.db"))

    monkeypatch.setattr(web_patients, "run", broken)
    fails(capsys, ["patients"], str(tmp_path / "x.db"), "Permission denied")
