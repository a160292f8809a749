"""`kratom-recovery timeline`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kratom_recovery.care.timeline import ESTIMATE_NOTICE
from kratom_recovery.cli import main

BASE = ["timeline", "--last-dose", "2026-11-20T08:00:00+00:00", "--amount", "15", "--unit", "g",
        "--product", "leaf", "--years", "2", "--now", "2026-11-22T20:00:00+00:00"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*BASE, *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "observed.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["phase"] == "peak"
    assert data["hours_since_last_dose"] == 60
    assert data["flags"] == []
    assert [p["day"] for p in data["forecast"]] == list(range(31))
    assert data["acute_end_expected"].startswith("2026-11-2")
    earliest, latest = data["acute_end_range"]["earliest"], data["acute_end_range"]["latest"]
    assert earliest < data["acute_end_expected"] < latest
    assert data["notice"] == ESTIMATE_NOTICE


def test_text_is_the_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert out.startswith(ESTIMATE_NOTICE + "\nPhase: peak")
    assert "not evidence-based" in out and " 30 " in out
    assert "Acute phase expected to end: between 2026-11-2" in out
    assert "is not used" not in out


def test_extract_amounts_are_said_to_be_unused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--product", "extract", "--amount", "2")
    assert code == 0
    assert "The amount (2 g of extract) is not used" in out


def test_observed_check_ins_move_the_forecast_and_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, before, _ = run(capsys, "--format", "json")
    rows = "\n".join(f"2026-11-2{d}T{h:02d}:00:00+00:00,45" for d in (1, 2) for h in (6, 18))
    code, after, _ = run(capsys, "--format", "json", "--observed",
                         write(tmp_path, f"time,sows_total\n{rows}\n"))
    assert code == 0
    assert json.loads(after)["flags"] == ["worse-than-expected"]
    assert json.loads(after)["forecast"][4]["expected"] > json.loads(before)["forecast"][4][
        "expected"]


@pytest.mark.parametrize(
    ("args", "csv_text", "message"),
    [
        (["--last-dose", "2026-11-23T08:00:00+00:00"], None, "--last-dose: cannot be after --now"),
        (["--unit", "mg"], None, "--unit: 'mg' does not fit product 'leaf'"),
        (["--amount", "-3"], None, "--amount"),
        (["--doses-per-day", "0"], None, "--doses-per-day"),
        (["--now", "yesterday"], None, "--now"),
        ([], "time,total\n", "--observed line 1"),
        ([], "time,sows_total\n2026-11-21T08:00:00+00:00,12\nnot-a-time,3\n", "--observed line 3"),
        ([], "time,sows_total\n2026-11-21T08:00:00+00:00,99\n", "--observed line 2"),
        ([], "time,sows_total\n2026-11-25T08:00:00+00:00,9\n", "--observed line 2"),
        ([], "time,sows_total\n2026-11-21T08:00:00+00:00\n", "--observed line 2"),
    ],
)
def test_bad_input_exits_2_with_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str],
    csv_text: str | None, message: str,
) -> None:
    extra = [*args] if csv_text is None else ["--observed", write(tmp_path, csv_text)]
    code, out, err = run(capsys, *extra)
    assert code == 2
    assert out == ""
    assert message in err and err.count("\n") == 1


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--observed", str(tmp_path / "nope.csv"))
    assert (code, out) == (2, "")
    assert "--observed: cannot read" in err


def test_a_closed_pipe_ends_quietly() -> None:
    """`timeline | head -1`: the reader leaves early; no traceback, SIGPIPE's status."""
    import subprocess
    import sys

    script = ("import sys; from kratom_recovery.cli import main; "
              f"sys.exit(main({[*BASE, '--format', 'json']!r}))")
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # nobody reads: the first write fails with a broken pipe
    err = child.stderr.read().decode()
    assert child.wait(timeout=30) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err
