"""US crisis and treatment resources as data, and which ones a set of flags calls for.

Numbers and links are exactly those of [ref:988-lifeline], [ref:samhsa-helpline],
[ref:poison-help] and [ref:findtreatment]; the "when to use" wording is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from kratom_recovery.care.errors import InvalidInput


@dataclass(frozen=True)
class Contact:
    """One way to reach a resource: a tel:, sms: or https: link and what it does."""

    kind: str  # call | text | chat | tty | web
    label: str
    href: str


@dataclass(frozen=True)
class Resource:
    id: str
    name: str
    contacts: tuple[Contact, ...]
    when: str
    hours: str
    source: str
    action: str | None = None  # the safety action id that calls for it
    always: bool = False  # listed with every triage result (treatment referral)

    def as_dict(self, zip_code: str | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "when": self.when,
            "hours": self.hours,
            "source": self.source,
            "contacts": [
                {"kind": c.kind, "label": c.label, "href": _fill_zip(c.href, zip_code)}
                for c in self.contacts
            ],
        }


FINDTREATMENT_LOCATOR: Final = "https://findtreatment.gov/locator?sAddr={zip}"

RESOURCES: Final[tuple[Resource, ...]] = (
    Resource(
        "911", "Emergency services (911)",
        (Contact("call", "Call 911", "tel:911"),),
        "Someone is in danger right now: chest pain, fainting, a seizure, trouble breathing, "
        "confusion, or a plan or intent to end their life.",
        "24 hours a day", "The US emergency number is general knowledge (no source needed)",
        action="call-911",
    ),
    Resource(
        "988", "988 Suicide & Crisis Lifeline",
        (
            Contact("call", "Call 988", "tel:988"),
            Contact("text", "Text 988", "sms:988"),
            Contact("chat", "Chat at 988lifeline.org", "https://988lifeline.org"),
        ),
        "You are thinking about suicide or hurting yourself, or you are in a mental-health or "
        "substance-use crisis. Free and confidential; press 1 for veterans, 2 for Spanish.",
        "24 hours a day, 7 days a week", "[ref:988-lifeline] (live since 16 July 2022)",
        action="call-988",
    ),
    Resource(
        "poison-control", "Poison Help line",
        (Contact("call", "Call 1-800-222-1222", "tel:+18002221222"),),
        "You or someone else may have taken too much kratom, a 7-OH product or an extract, "
        "or mixed it with something else, and you want advice on what to do.",
        # Opening hours are not in our sources [ref:poison-help], so none are claimed.
        "If the person is not breathing normally or will not wake up, call 911 first.",
        "[ref:poison-help]", action="call-poison-control",
    ),
    Resource(
        "samhsa-helpline", "SAMHSA National Helpline",
        (
            Contact("call", "Call 1-800-662-4357", "tel:+18006624357"),
            Contact("tty", "TTY 1-800-487-4889", "tel:+18004874889"),
            Contact("text", "Text your ZIP code to 435748", "sms:435748"),
        ),
        "You want help finding treatment, a support group or other services near you. "
        "It refers you to services; it does not offer counselling. Free and confidential, "
        "English and Spanish (text in English only).",
        "24 hours a day, 365 days a year", "[ref:samhsa-helpline]",
        always=True,
    ),
    Resource(
        "findtreatment", "FindTreatment.gov",
        (Contact("web", "Search for treatment near you", FINDTREATMENT_LOCATOR),),
        "You want to look up treatment services near you yourself.",
        "Website, any time", "[ref:findtreatment] (link out to the locator by ZIP code)",
        always=True,
    ),
)

RESOURCE_BY_ID: Final = {r.id: r for r in RESOURCES}
CRISIS_SEVERITIES: Final = frozenset({"urgent", "emergency"})


class FlagLike(Protocol):
    @property
    def severity(self) -> str: ...
    @property
    def actions(self) -> tuple[str, ...]: ...


def resources_for(flags: Iterable[FlagLike]) -> tuple[Resource, ...]:
    """The resources the flags call for, in table order, then the always-listed ones.

    988 and 911 are always present once any flag is urgent or emergency, whatever its actions,
    so a person in crisis never sees a list without them.
    """
    wanted: set[str] = set()
    for flag in flags:
        wanted.update(flag.actions)
        if flag.severity in CRISIS_SEVERITIES:
            wanted.update({"call-988", "call-911"})
    return tuple(r for r in RESOURCES if r.always or (r.action and r.action in wanted))


# ASCII digits only (`\d` would also take other scripts' digits); ZIP+4 is "20001-1234".
_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")


def check_zip(value: object, field: str = "zip") -> str | None:
    """A US ZIP code as its five digits, or None when not given.

    The one rule for every ZIP we read (triage profiles, the API, the referral directory and
    its search): text of five ASCII digits, or a ZIP+4, which is shortened to the five digits
    every use needs (the FindTreatment link, the ZIP centre, the stored referral). Nothing
    else: no spaces or other characters (forms strip their input first), and no JSON number,
    which would lose leading zeros.
    """
    if value in (None, ""):
        return None
    found = _ZIP.fullmatch(value) if isinstance(value, str) else None
    if found is None:
        raise InvalidInput(field, f"must be a 5-digit US ZIP code, like 20001, or a ZIP+4, "
                           f"like 20001-1234 (got {value!r})")
    return found.group(1)


def _fill_zip(href: str, zip_code: str | None) -> str:
    if "{zip}" not in href:
        return href
    if zip_code is None:
        return "https://findtreatment.gov/"
    return href.format(zip=check_zip(zip_code))
