"""`{{ note|taper_text }}`: a taper plan's warnings, notes and hold reasons in the page's language.

The core (care/taper.py) writes them in English, many with the plan's own numbers in them.
A fixed sentence is looked up in the catalogue; a sentence with numbers is matched against the
core's patterns below and rebuilt from a translated template with the same numbers. Anything
else is shown as written. English pages get the core's text unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django import template
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

register = template.Library()

_N = r"[\d.]+"
_UNIT = r"[^\s,.]+"

# Fixed sentences of care/taper.py that are not module constants, for the extractor.
gettext_noop("Medication schedule entered by a clinician; this system supplies no dosing "
             "defaults for medicines.")
gettext_noop("Each step cuts the same amount, so late steps are a larger share of what is left.")
gettext_noop("about 10% a month when years of use are not known, as for a year or more")
gettext_noop("about 10% a month after a year or more of use")
gettext_noop("about 10% a week after less than a year of use")


def _days(count: str) -> str:
    return ngettext("%(n)s day", "%(n)s days", int(count)) % {"n": count}


def _pace(m: re.Match[str]) -> str:
    return gettext("This pace is within what people who tapered kratom describe. Opioid "
                   "guidance, the nearest clinical pattern, is slower (%(clinical)s); the "
                   "clinical patterns follow it.") % {"clinical": gettext(m["clinical"])}


def _too_fast(m: re.Match[str]) -> str:
    return gettext("This pace (%(rate)s%% every %(days)s) is faster than people who tapered "
                   "kratom describe (cuts of 5–10%% every 5–7 days), and opioid guidance, the "
                   "nearest clinical pattern, is slower still (%(clinical)s). Faster kratom "
                   "tapers bring more withdrawal; please plan this one with a clinician.") % {
        "rate": m["rate"], "days": _days(m["days"]), "clinical": gettext(m["clinical"])}


def _held(m: re.Match[str]) -> str:
    reasons = []
    for part in m["reasons"].split(" and "):
        if sows := re.fullmatch(r"withdrawal symptoms reached a SOWS total of (?P<v>\d+) \(hold "
                                r"at (?P<at>\d+) or more, the start of the moderate range\)", part):
            reasons.append(gettext("withdrawal symptoms reached a SOWS total of %(v)s (hold at "
                                   "%(at)s or more, the start of the moderate range)") % {
                "v": sows["v"], "at": sows["at"]})
        elif craving := re.fullmatch(r"craving reached (?P<v>\d+) of 10 \(hold at (?P<at>\d+) or "
                                     r"more, our own threshold\)", part):
            reasons.append(gettext("craving reached %(v)s of 10 (hold at %(at)s or more, our "
                                   "own threshold)") % {"v": craving["v"], "at": craving["at"]})
        else:
            return m[0]
    return gettext("Held because in the %(days)s before this step %(reasons)s.") % {
        "days": _days(m["days"]), "reasons": gettext(" and ").join(reasons)}


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"This pace is within what people who tapered kratom describe\. Opioid "
                r"guidance, the nearest clinical pattern, is slower \((?P<clinical>[^)]+)\); "
                r"the clinical patterns follow it\."), _pace),
    (re.compile(rf"This pace \((?P<rate>{_N})% every (?P<days>\d+) days\) is faster than people "
                r"who tapered kratom describe \(cuts of 5–10% every 5–7 days\), and opioid "
                r"guidance, the nearest clinical pattern, is slower still \((?P<clinical>[^)]+)"
                r"\)\. Faster kratom tapers bring more withdrawal; please plan this one with a "
                r"clinician\."), _too_fast),
    (re.compile(rf"From (?P<at>{_N}) (?P<unit>{_UNIT}) on, (?P<rate>{_N})% is less than the "
                rf"measuring precision, so each step cuts exactly (?P<cut>{_N}) {_UNIT}\."),
     lambda m: gettext("From %(at)s %(unit)s on, %(rate)s%% is less than the measuring "
                       "precision, so each step cuts exactly %(cut)s %(unit)s.") % m.groupdict()),
    (re.compile(rf"The starting amount was rounded down to (?P<to>{_N}) (?P<unit>{_UNIT}) to "
                rf"match the measuring precision of (?P<precision>{_N}) {_UNIT}\."),
     lambda m: gettext("The starting amount was rounded down to %(to)s %(unit)s to match the "
                       "measuring precision of %(precision)s %(unit)s.") % m.groupdict()),
    (re.compile(rf"At (?P<at>{_N}) (?P<unit>{_UNIT}), at or below the jump-off amount of "
                rf"(?P<jump>{_N}) {_UNIT}, the next step is zero\."),
     lambda m: gettext("At %(at)s %(unit)s, at or below the jump-off amount of %(jump)s "
                       "%(unit)s, the next step is zero.") % m.groupdict()),
    (re.compile(rf"At (?P<at>{_N}) (?P<unit>{_UNIT}) the next step is zero: a 7-OH plan keeps "
                r"at least (?P<doses>\d+) doses a day until its last step, and a smaller amount "
                r"cannot be split into two\."),
     lambda m: gettext("At %(at)s %(unit)s the next step is zero: a 7-OH plan keeps at least "
                       "%(doses)s doses a day until its last step, and a smaller amount cannot "
                       "be split into two.") % m.groupdict()),
    (re.compile(rf"The plan proposes stopping when it reaches about (?P<g>{_N}) g a day \(a "
                r"jump-off point; our assumption, not from a study\)\. Enter another jump-off "
                r"amount, or 0 to taper all the way down\."),
     lambda m: gettext("The plan proposes stopping when it reaches about %(g)s g a day (a "
                       "jump-off point; our assumption, not from a study). Enter another "
                       "jump-off amount, or 0 to taper all the way down.") % m.groupdict()),
    (re.compile(r"This plan runs about (?P<months>\d+) months, more than (?P<limit>\d+) \(our "
                r"assumption for a plan people can keep up\)\. A jump-off point, or the "
                r"clinical pattern that cuts 10% of the starting amount each step, makes it "
                r"shorter; talk it over with your care team\."),
     lambda m: gettext("This plan runs about %(months)s months, more than %(limit)s (our "
                       "assumption for a plan people can keep up). A jump-off point, or the "
                       "clinical pattern that cuts 10%% of the starting amount each step, makes "
                       "it shorter; talk it over with your care team.") % m.groupdict()),
    (re.compile(r"Step (?P<step>\d+) has been held (?P<n>\d+) times\. Please talk with your "
                r"care team about how the taper is going\."),
     lambda m: gettext("Step %(step)s has been held %(n)s times. Please talk with your care "
                       "team about how the taper is going.") % m.groupdict()),
    (re.compile(r"Dates after (?P<date>[\d-]+) assume each step goes ahead; they move later if "
                r"check-ins call for a hold\."),
     lambda m: gettext("Dates after %(date)s assume each step goes ahead; they move later if "
                       "check-ins call for a hold.") % m.groupdict()),
    (re.compile(r"Held because in the (?P<days>\d+) days? before this step (?P<reasons>.+)\."),
     _held),
    (re.compile(r"Held because there was no check-in in the (?P<days>\d+) days? before this "
                r"step: after a hold, the next step down waits for a check-in\."),
     lambda m: gettext("Held because there was no check-in in the %(days)s before this step: "
                       "after a hold, the next step down waits for a check-in.") % {
         "days": _days(m["days"])}),
    (re.compile(r"Held because there was no check-in in the (?P<days>\d+) days? before this "
                r"step: after a severe withdrawal score \(SOWS (?P<sows>\d+) or more\), the next "
                r"step down waits for a check-in\."),
     lambda m: gettext("Held because there was no check-in in the %(days)s before this step: "
                       "after a severe withdrawal score (SOWS %(sows)s or more), the next step "
                       "down waits for a check-in.") % {"days": _days(m["days"]),
                                                         "sows": m["sows"]}),
)


@register.filter
def taper_text(text: str) -> str:
    if (get_language() or "en").startswith("en"):
        return text
    translated = gettext(text)
    if translated != text:
        return translated
    for pattern, build in _PATTERNS:
        if match := pattern.fullmatch(text):
            return build(match)
    return text
