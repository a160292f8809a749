"""`kratom-recovery taper`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar

from kratom_recovery.cli import main

BASE = ["taper", "--amount", "2", "--unit", "g", "--product", "leaf", "--doses-per-day", "2",
        "--rate", "10", "--step-days", "7", "--jump-off", "1.5", "--start", "2026-12-01"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*BASE, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [s["daily_amount"] for s in data["steps"]] == [2.0, 1.8, 1.7, 1.6, 1.5, 0.0]
    assert data["steps"][1]["doses"] == [0.9, 0.9]
    assert data["end_date"] == "2027-01-05" and data["total_days"] == 35


def test_table_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert "2026-12-08" in out and "0.9 + 0.9" in out and "does not replace it" in out


def test_ics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "ics")
    assert code == 0
    events = Calendar.from_ical(out).walk("VEVENT")
    assert len(events) == 6
    assert str(events[0]["summary"]) == "Kratom taper step 1: 2.0 g a day"


def test_clinical_defaults_from_years(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["taper", "--amount", "10", "--unit", "g", "--product", "leaf", "--doses-per-day",
            "3", "--strategy", "clinical", "--start", "2026-12-01", "--format", "json"]
    for years, days in (("3", 30), ("0.5", 7)):
        assert main([*args, "--years", years]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["step_days"] == days and data["rate_percent"] == 10
        assert data["steps"][0]["days"] == days


def test_checkins_add_holds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    csv = tmp_path / "checkins.csv"
    # Held on Dec 8; a check-in on Dec 13 lets the step go ahead on Dec 15.
    csv.write_text("time,sows_total,craving\n2026-12-06T20:00:00+00:00,14,3\n"
                   "2026-12-07T09:00:00Z,,2\n2026-12-13T09:00:00Z,3,1\n")
    code, out, _ = run(capsys, "--checkins", str(csv), "--today", "2026-12-20",
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(h["start"], h["days"]) for h in data["holds"]] == [("2026-12-08", 7)]
    assert data["end_date"] == "2027-01-12"


def test_medication(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["taper", "--medication", "Clonidine", "--amount", "0.3", "--unit", "mg",
                 "--doses-per-day", "3", "--rate", "25", "--step-days", "3",
                 "--precision", "0.025", "--start", "2026-12-01", "--format", "json",
                 "--confirm-large-cuts"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["kind"] == "medication" and data["name"] == "Clonidine"
    assert data["steps"][0]["doses"] == [0.1, 0.1, 0.1]
    assert len(data["warnings"]) == 3 and "rebound high blood pressure" in data["warnings"][1]


def test_medication_large_cuts_need_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["taper", "--medication", "Xanax", "--amount", "2", "--unit", "mg",
            "--doses-per-day", "2", "--rate", "25", "--step-days", "14",
            "--precision", "0.25", "--start", "2026-12-01", "--format", "json"]
    assert main(args) == 2  # 0.75 → 0.5 → 0.25 mg cuts a third, then half
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("kratom-recovery taper: --confirm-large-cuts:")
    assert main([*args, "--confirm-large-cuts"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("seizures" in w for w in data["warnings"])
    assert any("more than 25%" in w for w in data["warnings"])
    # Near miss: stopping at 1 mg keeps every cut at 25% or less; no flag needed.
    assert main([*args, "--jump-off", "1"]) == 0
    capsys.readouterr()


def test_clinical_linear_and_the_suggested_jump_off(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["taper", "--amount", "20", "--unit", "g", "--product", "leaf", "--doses-per-day",
            "3", "--years", "3", "--start", "2026-12-01", "--format", "json"]
    assert main([*args, "--strategy", "clinical-linear"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_days"] == 300 and data["steps"][1]["daily_amount"] == 18.0
    assert main([*args, "--strategy", "clinical"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["jump_off"] == 1.0 and any("more than 12" in w for w in data["warnings"])
    assert main([*args, "--strategy", "clinical", "--jump-off", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["jump_off"] == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--amount", "0"], "--amount"),
        (["--unit", "tablets"], "--unit"),
        (["--rate", "100"], "--rate"),
        (["--step-days", "0"], "--step-days"),
        (["--precision", "5"], "--precision"),
        (["--jump-off", "2"], "--jump-off"),
        (["--doses-per-day", "30"], "--doses-per-day"),
        (["--strategy", "fast"], "--strategy"),
        (["--start", "soon"], "--start"),
        (["--today", "soon"], "--today"),
        (["--checkins", "/nonexistent/file.csv"], "--checkins"),
        (["--medication", "Clonidine"], "--precision"),   # no defaults for medicines
        (["--medication", "Clonidine", "--precision", "0.1"], "--product"),
    ],
)
def test_invalid_exits_2(capsys: pytest.CaptureFixture[str], args: list[str],
                         message: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith(f"kratom-recovery taper: {message}:")


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ("when,sows,craving\n", "line 1"),
        ("time,sows_total,craving\n2026-12-06T20:00:00+00:00,70,3\n", "line 2 sows_total"),
        ("time,sows_total,craving\n2026-12-06T20:00:00+00:00,1,3\nyesterday,1,1\n",
         "line 3 time"),
        ("time,sows_total,craving\n2026-12-06T20:00:00,1,3\n", "line 2 time"),
        ("time,sows_total,craving\n2026-12-06T20:00:00Z,1,11\n", "line 2 craving"),
        ("time,sows_total,craving\n2026-12-06T20:00:00Z,,\n", "line 2"),
        ("time,sows_total,craving\n2026-12-06T20:00:00Z,1\n", "line 2"),
    ],
)
def test_bad_checkin_rows_name_the_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, where: str
) -> None:
    csv = tmp_path / "checkins.csv"
    csv.write_text(body)
    code, out, err = run(capsys, "--checkins", str(csv), "--today", "2026-12-20")
    assert code == 2 and out == ""
    assert f"--checkins {where}" in err
