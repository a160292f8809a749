"""The web apps' free-text checks (web/common/text.py) on top of the core's character rule."""

from __future__ import annotations

import pytest

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.web.common.text import check_line, check_text


def test_a_line_is_stripped_and_kept() -> None:
    assert check_line("name", "  Clonidine 0.1 mg  ", 60) == "Clonidine 0.1 mg"


@pytest.mark.parametrize("bad", ["a\nb", "a\tb", "a\x00b", "a\u2028b"])
def test_a_line_refuses_control_characters(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        check_line("name", bad, 60)
    assert error.value.field == "name"


def test_text_keeps_line_breaks_and_refuses_too_long() -> None:
    assert check_text("note", "line 1\nline 2", 20) == "line 1\nline 2"
    with pytest.raises(InvalidInput) as error:
        check_text("note", "x" * 21, 20)
    assert error.value.field == "note" and "20" in error.value.message
