"""`{% if instrument|not_validated %}`: this questionnaire is shown in an unvalidated translation.

Our Spanish PHQ-9 and GAD-7 are our own wording, not a verified copy of the official Spanish
versions, so the page says "translation not validated" and keeps the English items beside
them as the scored reference ([ref:phq-screeners]).
"""

from __future__ import annotations

import re

from django import template
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from kratom_recovery.care.instruments.base import Instrument
from kratom_recovery.web.common.core_text import NOT_VALIDATED

register = template.Library()


@register.filter
def not_validated(instrument: Instrument) -> bool:
    language = get_language() or "en"
    return instrument.id in NOT_VALIDATED and not language.startswith("en")


# The core writes a coping card's reason as one English sentence (care/coping.py, _reason);
# these patterns take it apart so each piece is translated.
_PINNED = re.compile(r"because your (?P<name>.+) is at the top of the scale")
_FOR = re.compile(r"for your (?P<first>.+?)(?: and (?P<second>.+))?")
_PHASE = re.compile(r"general support for the (?P<phase>[\w-]+) phase")
_HELPED = re.compile(r"helped you (?P<helped>\d+) of (?P<tries>\d+) times?")
_PHASE_NAMES = {
    "pre-onset": gettext_lazy("before withdrawal starts"),
    "onset": gettext_lazy("start of withdrawal"),
    "peak": gettext_lazy("hardest stretch"),
    "subsiding": gettext_lazy("easing"),
    "post-acute": gettext_lazy("weeks after"),
}


def _reason_part(part: str) -> str:
    if match := _PINNED.fullmatch(part):
        return gettext("because your %(name)s is at the top of the scale") % {
            "name": gettext(match["name"])}
    if match := _PHASE.fullmatch(part):
        phase = _PHASE_NAMES.get(match["phase"])
        return part if phase is None else gettext("general support for this stage (%(phase)s)") % {
            "phase": phase}
    if match := _HELPED.fullmatch(part):
        tries = int(match["tries"])
        return ngettext("helped you %(helped)s of %(tries)s time",
                        "helped you %(helped)s of %(tries)s times", tries) % {
            "helped": match["helped"], "tries": tries}
    if match := _FOR.fullmatch(part):
        names = [gettext(name) for name in (match["first"], match["second"]) if name]
        return gettext("for your %(names)s") % {"names": gettext(" and ").join(names)}
    return gettext(part)


@register.filter
def coping_reason(reason: str) -> str:
    """A coping card's reason in the page's language (English unchanged)."""
    if (get_language() or "en").startswith("en"):
        return reason
    return "; ".join(_reason_part(part) for part in reason.split("; "))
