"""The daily check-in split into screens, one section each, in the order a person under
stress needs them: the safety questions and craving first (they are also the whole quick
version), then the withdrawal scale in two halves, the extra symptoms, and the optional rest.

Without JavaScript every screen is shown on one page; static/js/checkin.js shows one at a
time with progress. Field names are the forms' own, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.instruments.base import Instrument
from kratom_recovery.web.patients.forms import CheckinExtrasForm, InstrumentsForm

QUICK_INSTRUMENTS: Final = ("craving",)
# SOWS has 16 lines: two screens of 8 keep each one short on a phone.
SOWS_PER_SCREEN: Final = 8


@dataclass
class Screen:
    id: str
    title: str | Promise
    fields: list[forms.BoundField]
    intro: str | Promise = ""
    instrument: Instrument | None = None  # for "About these questions"

    @property
    def required(self) -> int:
        return sum(1 for f in self.fields if f.field.required)


@dataclass
class FieldError:
    anchor: str
    label: str
    messages: list[str] = field(default_factory=list)


def instrument_fields(form: InstrumentsForm, instrument_id: str) -> list[forms.BoundField]:
    for instrument, fields in form.sections():
        if instrument.id == instrument_id:
            return fields
    return []


def instrument_of(form: InstrumentsForm, instrument_id: str) -> Instrument | None:
    return next((i for i in form.instruments if i.id == instrument_id), None)


def checkin_screens(form: InstrumentsForm, extras: CheckinExtrasForm,
                    quick: bool) -> list[Screen]:
    screens = [Screen("now", _("Right now"),
                      extras.safety_fields() + instrument_fields(form, "craving"),
                      _("First, how you are right now."))]
    if quick:
        return screens
    sows = instrument_of(form, "sows")
    sows_fields = instrument_fields(form, "sows")
    halves = [sows_fields[i:i + SOWS_PER_SCREEN]
              for i in range(0, len(sows_fields), SOWS_PER_SCREEN)]
    for n, half in enumerate(halves, start=1):
        screens.append(Screen(
            f"sows-{n}", _("Withdrawal symptoms, %(n)d of %(total)d")
            % {"n": n, "total": len(halves)}, half,
            sows.instructions if sows else "", sows))
    extra = instrument_of(form, "daily-extra")
    screens.append(Screen("extras", _("Mood, sleep and energy"),
                          instrument_fields(form, "daily-extra"),
                          extra.instructions if extra else "", extra))
    screens.append(Screen("more", _("Anything else (optional)"), extras.optional_fields()))
    return screens


def anchor_of(bound: forms.BoundField) -> str:
    """The id a link to this question jumps to (a choice list: its first option)."""
    multiple = isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    return f"{bound.auto_id}_0" if multiple else str(bound.auto_id)


def error_list(screens: list[Screen], *all_forms: forms.Form) -> list[FieldError]:
    """Each question with an error, in screen order, for the error summary's links; then
    errors that belong to no one question."""
    found = [FieldError(anchor_of(bound), str(bound.label), [str(m) for m in bound.errors])
             for screen in screens for bound in screen.fields if bound.errors]
    for form in all_forms:
        found += [FieldError("", "", [str(m)]) for m in form.non_field_errors()]
    return found
