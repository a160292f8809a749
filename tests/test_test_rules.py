"""Rules for the tests themselves: a test of our own code never skips because it is missing."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
OWN_SKIP = re.compile(r"importorskip\(\s*[\"']kratom_recovery")


def test_no_importorskip_of_our_own_modules() -> None:
    found = [f"{path.relative_to(TESTS)}:{number}"
             for path in sorted(TESTS.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if OWN_SKIP.search(line)]
    assert found == []
    assert OWN_SKIP.search("pytest.importorskip(" '"kratom_recovery.web.x")')
