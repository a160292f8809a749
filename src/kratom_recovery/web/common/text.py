"""Free text as the apps store it: one length check and one character rule for all."""

from __future__ import annotations

from typing import Final

from django.utils.translation import gettext as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.text import check_characters

# A note, a reason, a trigger: the default limit of multi-line free text.
MAX_NOTE: Final = 2000


def check_text(field: str, value: object, limit: int = MAX_NOTE, *,
               required: bool = False, single_line: bool = False) -> str:
    """Free text as stored: stripped, at most `limit`, no control characters but line
    breaks and tabs (none at all when `single_line`; care.text). NUL is refused too:
    PostgreSQL cannot store it."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, _("must be text"))
    text = check_characters(field, value.strip(), multiline=not single_line)
    if required and not text:
        raise InvalidInput(field, _("is required"))
    if len(text) > limit:
        raise InvalidInput(field, _("at most %(n)d characters") % {"n": limit})
    return text


def check_line(field: str, value: object, limit: int, *, required: bool = False) -> str:
    """One line of text (a name, a unit, a title): no control characters at all."""
    return check_text(field, value, limit, required=required, single_line=True)
