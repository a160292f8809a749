"""`{{ text|cite }}`: shows `[ref:KEY]` citations by their short labels (care/references.py).

Source strings in the clinical tables cite docs/references.md by key; a screen shows the
label ("Rogers et al. 2024") instead of the bare key. The result is escaped as usual. On a
page in another language a source the catalogue translates is shown translated; the others
are bibliographic English (titles, authors) and are marked `lang="en"` so a screen reader
reads them with English rules.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from kratom_recovery.care.references import readable

register = template.Library()


@register.filter
def cite(text: object) -> str | SafeString:
    source = str(text)
    translated = gettext(source)
    if translated != source or (get_language() or "en").startswith("en"):
        return readable(translated)
    return format_html('<span lang="en">{}</span>', readable(source))
