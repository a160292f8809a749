"""`{{ text|cite }}`: shows `[ref:KEY]` citations by their short labels (care/references.py).

Source strings in the clinical tables cite docs/references.md by key; a screen shows the
label ("Rogers et al. 2024") instead of the bare key. The result is escaped as usual.
"""

from __future__ import annotations

from django import template

from kratom_recovery.care.references import readable

register = template.Library()


@register.filter
def cite(text: object) -> str:
    return readable(str(text))
