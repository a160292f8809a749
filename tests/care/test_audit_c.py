"""AUDIT-C: scoring, sex-specific cut-offs as parameters, and the rule that reads it."""

from __future__ import annotations

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.instruments import score
from kratom_recovery.care.instruments.audit_c import AUDIT_C, cutoff_for, is_positive


def test_three_items_scored_0_to_4_total_0_to_12_with_the_loinc_total() -> None:
    assert [len(item.options) for item in AUDIT_C.items] == [5, 5, 5]
    assert (AUDIT_C.min_total, AUDIT_C.max_total) == (0, 12)
    assert AUDIT_C.loinc_total == "75626-2"
    assert score("audit-c", [4, 1, 0]).total == 5


def test_licence_cites_both_statements() -> None:
    assert "[ref:who-audit]" in AUDIT_C.licence and "public domain" in AUDIT_C.licence
    assert "not physical dependence" in (AUDIT_C.caveat or "")


@pytest.mark.parametrize(
    ("total", "sex", "cutoff", "positive"),
    [
        (4, "male", None, True),
        (3, "male", None, False),
        (3, "female", None, True),
        (2, "female", None, False),
        (3, None, None, True),  # sex not given: the lower cut-off
        (4, "male", 5, False),  # a program using 5
        (5, None, 5, True),
    ],
)
def test_cutoffs(total: int, sex: str | None, cutoff: int | None, positive: bool) -> None:
    assert is_positive(total, sex, cutoff=cutoff) is positive


def test_cutoffs_are_parameters() -> None:
    assert cutoff_for("male", men=5) == 5 and cutoff_for("female", women=4) == 4
    assert cutoff_for(None, men=5, women=4) == 4


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"total": 13}, "total"),
        ({"total": True}, "total"),
        ({"total": 3, "sex": "x"}, "sex"),
        ({"total": 3, "cutoff": 0}, "cutoff"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        is_positive(**kwargs)  # type: ignore[arg-type]
    assert error.value.field == field
