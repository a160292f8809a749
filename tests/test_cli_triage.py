"""`kratom-recovery triage`, run in-process through the front door."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kratom_recovery.cli import main

BASE: dict[str, Any] = {
    "product": "leaf", "amount_per_day": 4, "unit": "g", "doses_per_day": 2,
    "years_of_use": 1,
}
DOCS = Path(__file__).resolve().parents[1] / "docs" / "profile.md"


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object,
        *extra: str) -> tuple[int, str, str]:
    path = tmp_path / "profile.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    status = main(["triage", "--profile", str(path), *extra])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_output_for_a_person_in_crisis(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = {**BASE, "product": "7-oh", "unit": "mg", "amount_per_day": 60,
            "medications": ["Suboxone"],
            "answers": {"phq9": [0, 0, 0, 0, 0, 0, 0, 0, 1], "sud": [1] * 7 + [0] * 4},
            "suicide_followup": {"thoughts-now": True, "plan": True}, "zip": "10001"}
    status, out, err = run(tmp_path, capsys, data, "--format", "json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["level"] == "4" and result["level_name"] == "Medically Managed Inpatient"
    ids = [flag["id"] for flag in result["flags"]]
    assert ids[:2] == ["suicide-intent-or-plan", "suicidal-thoughts"]
    assert {"buprenorphine-with-7oh", "seven-oh-product"} <= set(ids)
    first = result["flags"][0]
    assert first["severity"] == "emergency" and first["message"]
    assert {a["id"] for a in first["actions"]} >= {"call-911", "call-988"}
    assert {"988", "911", "poison-control"} <= {r["id"] for r in result["resources"]}
    assert {r["id"] for r in result["reasons"]} >= {"loc-suicide-intent", "loc-use-disorder-severe"}
    assert "not an ASAM placement" in result["disclaimer"]


def test_text_output_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(tmp_path, capsys, {**BASE, "doses_per_day": 5})
    assert status == 0
    assert out.startswith("Suggested level of care: 1.5 Outpatient Therapy")
    assert "Safety flags: none" in out and "SAMHSA National Helpline" in out
    assert "not an ASAM placement" in out


def test_documented_example_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    status, out, err = run(tmp_path, capsys, example, "--format", "json")
    assert (status, err) == (0, "")
    assert json.loads(out)["level"] == "1.7"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ("{not json", "--profile"),
        ("[1, 2]", "profile"),
        ({k: v for k, v in BASE.items() if k != "product"}, "product"),
        ({**BASE, "product": "tea"}, "product"),
        ({**BASE, "amount_per_day": 900}, "amount_per_day"),
        ({**BASE, "doses_per_day": 0}, "doses_per_day"),
        ({**BASE, "conditions": ["flu"]}, "conditions"),
        ({**BASE, "favourite_colour": "blue"}, "favourite_colour"),
        ({**BASE, "answers": {"phq9": [0, 1]}}, "answers.phq9"),
        ({**BASE, "answers": {"sows": [5] * 16}}, "answers.sows"),
        ({**BASE, "answers": {"audit": [0]}}, "answers"),
        ({**BASE, "answers": [0, 1]}, "answers"),
        ({**BASE, "danger_symptoms": ["headache"]}, "danger_symptoms"),
        ({**BASE, "suicide_followup": {"intent": "yes"}}, "suicide_followup.intent"),
        ({**BASE, "timeline_flags": ["late"]}, "timeline_flags"),
        ({**BASE, "phase": "acute"}, "phase"),
        ({**BASE, "days_since_checkin": -3}, "days_since_checkin"),
        ({**BASE, "zip": "1000"}, "zip"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, field: str
) -> None:
    status, out, err = run(tmp_path, capsys, data)
    assert status == 2 and out == ""
    assert err.startswith(f"kratom-recovery triage: {field}: ")
    assert err.count("\n") == 1


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["triage", "--profile", str(tmp_path / "nope.json")])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and err.startswith("kratom-recovery triage: --profile: ")
