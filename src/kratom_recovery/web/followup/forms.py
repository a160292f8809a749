"""Forms: field-level checks only; actions validate the combination."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.resources import check_zip
from kratom_recovery.web.followup.models import APPOINTMENT_KINDS
from kratom_recovery.web.patients.forms import LocalDateTimeField

WEEKDAY_CHOICES = [
    ("0", _("Monday")), ("1", _("Tuesday")), ("2", _("Wednesday")), ("3", _("Thursday")),
    ("4", _("Friday")), ("5", _("Saturday")), ("6", _("Sunday")),
]
ZIP_FIELD_HELP = _("5 digits, like 20001")


class ZipField(forms.CharField):
    """A ZIP code by the one rule (care/resources.check_zip); a ZIP+4 comes out as 5 digits."""

    default_error_messages = {"invalid": _("Enter a 5-digit ZIP code, like 20001.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, help_text=ZIP_FIELD_HELP, **kwargs)

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))  # stripped; "" when empty
        try:
            return check_zip(text) or ""
        except InvalidInput:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ReminderForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send me reminders"), required=False)
    checkin_time = forms.TimeField(
        label=_("Daily check-in reminder at (your time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On these days"), choices=WEEKDAY_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours start (optional)"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("No reminders between start and end, e.g. 22:00 to 07:00."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end (optional)"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    followup_reminders = forms.BooleanField(
        label=_("Also remind me when a follow-up check-in is due"), required=False
    )
    email = forms.EmailField(
        label=_("E-mail address for reminders"), required=False, max_length=254,
        help_text=_("Reminders only say that a check-in is due, never anything about your "
                    "health."),
    )


class AppointmentForm(forms.Form):
    starts_at = LocalDateTimeField(
        label=_("Date and time (the patient's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(label=_("Length in minutes"), initial=30,
                                          min_value=5, max_value=480)
    kind = forms.ChoiceField(label=_("Kind"), choices=list(APPOINTMENT_KINDS.items()))
    note = forms.CharField(
        label=_("Note for the care team (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Not shown in calendars or e-mails."),
    )


class AnchorForm(forms.Form):
    anchor = forms.DateField(
        label=_("Count follow-ups from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Usually the end of withdrawal or of a taper; e.g. after a lapse."),
    )


class ZipForm(forms.Form):
    zip = ZipField(label=_("Your ZIP code"))
