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


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**BASE, "amount_per_day": "15"}, "amount_per_day"),
        ({**BASE, "years_of_use": "2"}, "years_of_use"),
        ({**BASE, "doses_per_day": "2"}, "doses_per_day"),
        ({**BASE, "doses_per_day": 2.0}, "doses_per_day"),
        ({**BASE, "doses_per_day": True}, "doses_per_day"),
        ({**BASE, "age": "40"}, "age"),
        ({**BASE, "previous_attempts": "1"}, "previous_attempts"),
        ({**BASE, "days_since_checkin": "3"}, "days_since_checkin"),
    ],
)
def test_strings_are_not_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, field: str
) -> None:
    """As in the API: where docs/profile.md says number, a JSON string is refused."""
    status, out, err = run(tmp_path, capsys, data)
    assert status == 2 and out == ""
    assert err.startswith(f"kratom-recovery triage: {field}: ")
    assert "number" in err


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than Python's recursion limit
        '{"product": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"age": ' + "9" * 5000 + "}",  # more digits than int() converts
        "\ufeff{}",
        "",
    ],
)
def test_unreadable_json_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 text: str) -> None:
    status, out, err = run(tmp_path, capsys, text)
    assert status == 2 and out == ""
    assert err.startswith("kratom-recovery triage: --profile: ") and "Traceback" not in err
    assert str(tmp_path / "profile.json") in err


def test_profile_that_is_a_directory_or_not_utf8(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--profile", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00{")
    assert main(["triage", "--profile", str(binary)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("kratom-recovery triage: --profile: ")
    assert str(binary) in err and "Traceback" not in err


# --- issue 13 section A: new inputs, first actions, sign-off ----------------------------------

def test_text_output_shows_first_actions_and_signoff(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = {**BASE, "danger_symptoms": ["dark-urine"], "age": 16}
    status, out, _ = run(tmp_path, capsys, data)
    assert status == 0
    assert out.startswith("Do this first:\n  1. Contact your care team")
    assert "988" not in out.split("Suggested level of care")[0]  # no suicide line first
    assert "Taper needs a clinician's sign-off: You are under 18" in out
    assert "[URGENT] liver-injury-signs (notifies the care team)" in out


def test_json_carries_new_inputs_flags_and_routing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = {**BASE, "medications": ["subs 8mg", "blorptab"], "temperature_c": 38.4,
            "resting_pulse": 125, "dependence": ["daily-drinking", "past-withdrawal"],
            "days_free_before_lapse": 10, "answers": {"audit-c": [4, 1, 0]},
            "settings": {"cows_review_at": 10}}
    status, out, err = run(tmp_path, capsys, data, "--format", "json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    ids = {flag["id"] for flag in result["flags"]}
    assert {"fever", "fast-pulse", "kratom-with-moud", "unrecognised-medicines",
            "sedative-withdrawal-risk", "lost-tolerance", "risky-drinking"} <= ids
    assert result["level"] == "3.7"
    assert [a["id"] for a in result["first_actions"]][:2] == ["care-team", "same-day-review"]
    assert result["taper_needs_signoff"] == []
    unknown = next(f for f in result["flags"] if f["id"] == "unrecognised-medicines")
    assert unknown["details"] == ["blorptab"] and unknown["notifies"] is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**BASE, "danger_symptoms": ["yellow-eyes"]}, "danger_symptoms"),
        ({**BASE, "temperature_c": 101.2}, "temperature_c"),
        ({**BASE, "resting_pulse": 400}, "resting_pulse"),
        ({**BASE, "days_free_before_lapse": -1}, "days_free_before_lapse"),
        ({**BASE, "dependence": ["weekly-drinking"]}, "dependence"),
        ({**BASE, "sex": "unknown"}, "sex"),
        ({**BASE, "settings": {"cows_review_at": 48}}, "settings.cows_review_at"),
        ({**BASE, "settings": {"pulse": 120}}, "settings"),
        ({**BASE, "answers": {"audit-c": [5, 0, 0]}}, "answers.audit-c"),
    ],
)
def test_new_inputs_refuse_bad_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: object, field: str
) -> None:
    status, out, err = run(tmp_path, capsys, data)
    assert status == 2 and out == ""
    assert err.startswith(f"kratom-recovery triage: {field}: ")
