"""The one ZIP rule (care/resources.check_zip): five ASCII digits or ZIP+4, kept as five."""

from __future__ import annotations

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.resources import check_zip


@pytest.mark.parametrize(
    ("value", "expected"),
    [("02139", "02139"), ("20001-1234", "20001"), ("", None), (None, None)],
)
def test_accepted(value: object, expected: str | None) -> None:
    assert check_zip(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "1234", "123456", "20001-123", "20001-12345", "20001 1234", "200011234", " 20001",
        "20001 ", "20001\n", "abcde", "20001&x=1", "２０００１", "٢٠٠٠١", 20001, 2.0, True,
        ["20001"],
    ],
)
def test_refused_naming_the_field(value: object) -> None:
    with pytest.raises(InvalidInput) as error:
        check_zip(value, "near_zip")
    assert error.value.field == "near_zip"
    assert "5-digit US ZIP code" in error.value.message
