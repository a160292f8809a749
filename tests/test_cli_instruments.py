"""`kratom-recovery instruments` and `kratom-recovery score`, run in-process."""

from __future__ import annotations

import json

import pytest

from kratom_recovery.care.instruments import INSTRUMENTS
from kratom_recovery.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_instruments_json_lists_every_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "instruments", "--format", "json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert status == 0 and list(rows) == list(INSTRUMENTS)
    assert (rows["cows"]["items"], rows["cows"]["min"], rows["cows"]["max"]) == (11, 0, 48)
    assert rows["cows"]["respondent"] == "clinician"
    assert rows["daily-extra"]["max"] == 20


def test_instruments_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "instruments")
    assert status == 0
    for instrument in INSTRUMENTS.values():
        assert instrument.id in out and instrument.name in out


@pytest.mark.parametrize(
    ("argv", "total", "maximum", "band", "flags"),
    [
        (["score", "cows", "--answers", "1,2,3,1,2,2,2,1,1,2,3"], 20, 48, "moderate", []),
        (["score", "phq9", "--answers", "0,0,0,0,0,0,0,0,2"], 2, 27, "minimal",
         ["suicidal-thoughts"]),
        (["score", "sud", "--answers", "1,1,0,0,0,0,0,0,0,1,1", "--medically-supervised"],
         2, 9, "mild", []),
        (["score", "sud", "--answers", "1,1,0,0,0,0,0,0,0,1,1"], 4, 11, "moderate", []),
        (["score", "daily-extra", "--answers", "1,1,1,1,1"], 5, 20, None, []),
        (["score", "daily-extra", "--answers", "1, 1, 1, 1, 1, 72"], 5, 20, None, []),
    ],
)
def test_score_json(
    capsys: pytest.CaptureFixture[str], argv: list[str], total: int, maximum: int,
    band: str | None, flags: list[str],
) -> None:
    status, out, err = run(capsys, *argv, "--format", "json")
    data = json.loads(out)
    assert (status, err) == (0, "")
    assert (data["instrument"], data["total"], data["max"], data["band"], data["flags"]) == (
        argv[1], total, maximum, band, flags
    )
    assert len(data["items"]) == len(INSTRUMENTS[argv[1]].items)


def test_score_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "score", "phq9", "--answers", "3,3,3,3,3,3,3,3,1",
                         "--format", "text")
    assert status == 0
    assert "PHQ-9: 25 of 27 - Severe" in out and "suicidal-thoughts" in out


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["score", "cows", "--answers", "3,0,0,0,0,0,0,0,0,0,0"],
         ["item 1 (resting-pulse)", "0, 1, 2, 4"]),
        (["score", "phq9", "--answers", "1,x,2"], ["item 2 (low-mood)", "'x'"]),
        (["score", "phq9", "--answers", "1,1,1"], ["9 answers", "item 4"]),
        (["score", "phq9", "--answers", "1,,1,1,1,1,1,1,1"], ["item 2 (low-mood)", "missing"]),
        (["score", "ciwa", "--answers", "1"], ["unknown instrument 'ciwa'", "sows"]),
        (["score", "cows", "--answers", "0,0,0,0,0,0,0,0,0,0,0", "--medically-supervised"],
         ["no scoring option"]),
        (["score", "daily-extra", "--answers", "0,0,0,0,0,250"], ["item 6 (pulse)", "30 to 220"]),
    ],
)
def test_invalid_input_exits_2_with_one_line_and_empty_stdout(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragments: list[str]
) -> None:
    status, out, err = run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("kratom-recovery score: ")
    for fragment in fragments:
        assert fragment in err
