"""Which characters text may hold, shared by every entry point (API, forms, CLI files).

Single-line text (names, medication names, units, titles, reasons shown as one line) refuses
every control character: a CR or LF in a medication name breaks the .ics lines it is copied
into, and a NUL cannot be stored by PostgreSQL. Multi-line free text (notes, journal) keeps
newlines and tabs but refuses the other control characters, NUL included.
"""

from __future__ import annotations

import re

from kratom_recovery.care.errors import InvalidInput

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see care/taper.py)
if TYPE_CHECKING:
    from typing import Final

# C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
_LINE_FORBIDDEN: Final = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# The same, less tab, LF and CR.
_TEXT_FORBIDDEN: Final = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
# Patterns as JSON Schema states them (ECMA-262 syntax, which Python's re also reads).
LINE_PATTERN: Final = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
TEXT_PATTERN: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]*$"
# Compiled on first use (re caches them): a command that checks no text does not pay for it.
_LINE_BAD: Final = f"[{_LINE_FORBIDDEN}]"
_TEXT_BAD: Final = f"[{_TEXT_FORBIDDEN}]"


def check_characters(field: str, text: str, *, multiline: bool) -> str:
    """`text` unchanged, or InvalidInput naming the field and the first bad character."""
    found = re.search(_TEXT_BAD if multiline else _LINE_BAD, text)
    if found is not None:
        what = "line breaks, tabs or other control characters" if not multiline else (
            "control characters other than line breaks and tabs")
        raise InvalidInput(
            field, f"must not contain {what} (found U+{ord(found.group()):04X})"
        )
    return text

