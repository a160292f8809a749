"""The admin's forms: program settings and an on-call shift. Bounds are checked by the
domain (program/config.py, care/program_settings.py); the forms only read the fields."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.program_settings import SETTINGS
from kratom_recovery.web.accounts.models import User
from kratom_recovery.web.accounts.twofactor import (
    GRACE_DAYS_DEFAULT,
    GRACE_DAYS_MAX,
    GRACE_DAYS_MIN,
    grace_days,
)
from kratom_recovery.web.program.config import ESCALATION_MAX, ESCALATION_MIN, ProgramConfig
from kratom_recovery.web.program.hours import DAYS

DAY_NAMES = {"mon": gettext_lazy("Monday"), "tue": gettext_lazy("Tuesday"),
             "wed": gettext_lazy("Wednesday"), "thu": gettext_lazy("Thursday"),
             "fri": gettext_lazy("Friday"), "sat": gettext_lazy("Saturday"),
             "sun": gettext_lazy("Sunday")}
CLOCK = {"placeholder": "HH:MM", "inputmode": "numeric", "size": 5, "maxlength": 5}


class SettingsForm(forms.Form):
    timezone = forms.CharField(label=gettext_lazy("Program time zone (IANA name)"),
                               max_length=64,
                               help_text=gettext_lazy("For example Europe/Berlin or "
                                                      "America/New_York. Opening hours and "
                                                      "the on-call rota are in this zone."))
    escalation_minutes = forms.IntegerField(
        label=gettext_lazy("Escalation delay (minutes)"),
        help_text=gettext_lazy("An emergency nobody acknowledges within this time goes to "
                               "the on-call backup and the admins. %(low)d–%(high)d; 15 is our "
                               "own choice, not a published figure.")
        % {"low": ESCALATION_MIN, "high": ESCALATION_MAX})
    two_factor_grace_days = forms.IntegerField(
        label=gettext_lazy("Two-factor grace period (days)"),
        help_text=gettext_lazy("A new clinician or admin may sign in with the password alone "
                               "for this many days, then must set up an authenticator app. "
                               "%(low)d–%(high)d; default %(default)d.")
        % {"low": GRACE_DAYS_MIN, "high": GRACE_DAYS_MAX, "default": GRACE_DAYS_DEFAULT})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day in DAYS:
            for end in ("open", "close"):
                self.fields[f"{day}_{end}"] = forms.CharField(
                    label=f"{DAY_NAMES[day]}: " + (_("opens") if end == "open" else _("closes")),
                    required=False, max_length=5, widget=forms.TextInput(attrs=CLOCK))
        for s in SETTINGS:
            self.fields[s.name] = forms.FloatField(
                label=f"{s.meaning} ({s.unit})",
                help_text=_("Allowed %(low)g–%(high)g; default %(default)g.")
                % {"low": s.low, "high": s.high, "default": s.default})

    @staticmethod
    def initial_from(config: ProgramConfig) -> dict[str, object]:
        initial: dict[str, object] = {"timezone": config.timezone,
                                      "escalation_minutes": config.escalation_minutes,
                                      "two_factor_grace_days": grace_days()}
        for day, hours in zip(DAYS, config.hours.to_json(), strict=True):
            initial[f"{day}_open"], initial[f"{day}_close"] = hours or ("", "")
        for name, value in asdict(config.clinical).items():
            initial[name] = int(value) if float(value).is_integer() else value
        return initial

    def hours(self) -> dict[str, list[str] | None]:
        """Day -> [open, close], or None when both are blank (closed that day)."""
        data = self.cleaned_data
        result: dict[str, list[str] | None] = {}
        for day in DAYS:
            opens, closes = data.get(f"{day}_open", ""), data.get(f"{day}_close", "")
            result[day] = None if not opens and not closes else [opens or "?", closes or "?"]
        return result

    def clinical(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for s in SETTINGS:
            value = self.cleaned_data[s.name]
            values[s.name] = int(value) if s.integer and float(value).is_integer() else value
        return values

    def add_domain_error(self, error: InvalidInput) -> None:
        """Show a domain error on its field: hours.mon -> mon_open, settings.x -> x."""
        field = error.field
        if field.startswith("hours."):
            field = field.removeprefix("hours.") + "_open"
        field = field.removeprefix("settings.")
        if field in self.fields:
            self.add_error(field, error.message)
        else:
            self.add_error(None, str(error))


class ShiftForm(forms.Form):
    # ISO values: a datetime-local input shows nothing for a localized (e.g. Spanish) string.
    starts_at = forms.DateTimeField(label=gettext_lazy("Starts (program time)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label=gettext_lazy("Ends (program time)"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                             format="%Y-%m-%dT%H:%M"))
    primary = forms.ModelChoiceField(label=gettext_lazy("On-call primary"),
                                     queryset=User.objects.none())
    backup = forms.ModelChoiceField(label=gettext_lazy("Backup (told when an emergency is "
                                                       "not acknowledged in time)"),
                                    queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, clinicians: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("primary", "backup"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = clinicians

    def times(self) -> tuple[datetime, datetime]:
        return self.cleaned_data["starts_at"], self.cleaned_data["ends_at"]
