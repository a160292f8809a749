"""Program settings: defaults, bounds, and that each is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.program_settings import (
    DEFAULT_SETTINGS,
    SETTINGS,
    ProgramSettings,
    parse_settings,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "safety.md"


def test_defaults_match_the_table_and_lie_within_bounds() -> None:
    for setting in SETTINGS:
        assert getattr(DEFAULT_SETTINGS, setting.name) == setting.default
        assert setting.low <= setting.default <= setting.high
        assert "[ref:" in setting.source


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in text] == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cows_review_at": 48}, "settings.cows_review_at"),  # would never fire
        ({"cows_review_at": 0}, "settings.cows_review_at"),
        ({"cows_review_at": 12.5}, "settings.cows_review_at"),
        ({"pulse_limit": 300}, "settings.pulse_limit"),
        ({"pulse_limit_heart": "100"}, "settings.pulse_limit_heart"),
        ({"fever_c": 100.4}, "settings.fever_c"),
        ({"lost_tolerance_days": True}, "settings.lost_tolerance_days"),
        ({"audit_c_men": 12}, "settings.audit_c_men"),
        ({"cows": 13}, "settings"),
        ([13], "settings"),
    ],
)
def test_out_of_bounds_or_unknown_settings_are_refused(data: object, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_settings(data)
    assert error.value.field == field


def test_good_settings() -> None:
    assert parse_settings(None) is DEFAULT_SETTINGS
    assert parse_settings({"cows_review_at": 8, "fever_c": 37.8}) == ProgramSettings(
        cows_review_at=8, fever_c=37.8)
