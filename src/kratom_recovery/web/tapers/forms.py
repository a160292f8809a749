"""Taper forms: field-level parsing only; the planner validates the combination.

Numbers are parsed here without ranges so that the planner's messages (which say what is
allowed) reach the person, on the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import profile as care_profile
from kratom_recovery.care.taper import MEDICATION_STRATEGIES, STRATEGIES, TaperRequest
from kratom_recovery.web.patients.forms import (
    PRODUCT_LABELS,
    UNIT_LABELS,
    LocalDateTimeField,
    labelled,
)

STRATEGY_LABELS = {
    "percent": _("Percent: cut a share of the current amount each step (gentle tail)"),
    "linear": _("Linear: cut the same amount each step"),
    "clinical": _("Opioid-guidance pattern (CDC; no kratom trials exist): 10% of the current "
                  "amount a month, or a week after less than a year of use"),
    "clinical-linear": _("Opioid-guidance pace, shorter: 10% of the starting amount a month (a "
                         "week after less than a year of use), about ten steps"),
}
SCHEDULE_LABELS = {"fixed": _("Fixed schedule"), "as-needed": _("As needed, by a symptom rule")}
START_LABELS = {
    "today": _("Continue from today's planned amount"),
    "custom": _("Use the amount and first day given above"),
}

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def number(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, help_text=help_text,
                              max_digits=12, decimal_places=6)


def pace_fields(required: bool) -> dict[str, forms.Field]:
    optional = "" if required else _("Leave empty for the strategy's default.")
    return {
        "rate_percent": number(_("Cut per step (%)"), required=required, help_text=optional),
        "step_days": forms.IntegerField(label=_("Days per step"), required=required,
                                        help_text=optional),
        "precision": number(
            _("Smallest amount you can measure"), required=required,
            help_text=_("For example 0.1 for a 0.1 g scale.") if not required else "",
        ),
        "jump_off": number(
            _("Jump-off amount (optional)"),
            help_text=_("At or below this daily amount the next step is zero.") if required
            else _("At or below this daily amount the next step is zero. The opioid-guidance "
                   "patterns suggest about 1 g for leaf and capsules (our assumption); enter 0 "
                   "to taper all the way down."),
        ),
    }


class KratomTaperForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"),
                                choices=labelled(care_profile.PRODUCTS, PRODUCT_LABELS))
    amount_per_day = number(_("Amount per day now"), required=True)
    unit = forms.ChoiceField(label=_("Unit"), choices=labelled(care_profile.UNITS, UNIT_LABELS))
    doses_per_day = forms.IntegerField(label=_("Doses per day"))
    years_of_use = number(_("Years of regular use"))
    strategy = forms.ChoiceField(
        label=_("How to taper"), choices=labelled(STRATEGIES, STRATEGY_LABELS),
        widget=forms.RadioSelect, initial="percent",
        help_text=_("Percent and linear start from 5% every 7 days, a pattern people who "
                    "tapered kratom share (not from a clinical trial). The clinical pattern "
                    "follows opioid tapering guidance. There are no trials of kratom tapering."),
    )
    start = forms.DateField(label=_("First day of the plan"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in pace_fields(required=False).items():
            self.fields[name] = field

    def request_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class MedicationForm(forms.Form):
    name = forms.CharField(label=_("Medicine"), max_length=60)
    unit = forms.CharField(label=_("Unit"), max_length=60, help_text=_("For example mg or mcg."))
    amount_per_day = number(_("Amount per day"), required=True,
                            help_text=_("For an as-needed medicine: the most per day."))
    doses_per_day = forms.IntegerField(label=_("Doses per day"))
    schedule = forms.ChoiceField(label=_("Schedule"), choices=list(SCHEDULE_LABELS.items()),
                                 widget=forms.RadioSelect, initial="fixed")
    as_needed = forms.CharField(
        label=_("Symptom rule (as needed)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("When the patient may take a dose, in your words."),
    )
    strategy = forms.ChoiceField(label=_("How to taper"),
                                 choices=labelled(MEDICATION_STRATEGIES, STRATEGY_LABELS),
                                 widget=forms.RadioSelect, initial="percent")
    start = forms.DateField(label=_("First day of the plan"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in pace_fields(required=True).items():
            self.fields[name] = field
        self.fields["jump_off"].required = False
        # The second confirmation for cuts over 25% a step: hidden until the planner asks for
        # it (show_confirmation), so it always appears next to its warning.
        self.fields["confirm_large_cuts"] = forms.BooleanField(
            label=_("I confirm these large cuts"), required=False, widget=forms.HiddenInput,
        )
        if self.data.get(self.add_prefix("confirm_large_cuts")) in ("on", "true", "True"):
            self.show_confirmation()

    def show_confirmation(self, warning: str = "") -> None:
        """Turn the hidden field into the confirm box, its label carrying the warning."""
        field = self.fields["confirm_large_cuts"]
        field.widget = forms.CheckboxInput()
        if warning:
            field.label = _("%(warning)s I confirm these large cuts.") % {"warning": warning}
            self["confirm_large_cuts"].label = field.label  # a bound field copies its label

    def request_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data.pop("schedule", None)
        return data


class EditMixin(forms.Form):
    """The clinician's extra fields on an edit: where to continue from, a hold, the reason."""

    starting_point = forms.ChoiceField(
        label=_("Starting point of the new version"), choices=list(START_LABELS.items()),
        widget=forms.RadioSelect, initial="today",
    )
    hold_days = forms.IntegerField(
        label=_("Hold today's amount for (days)"), required=False, min_value=0,
        help_text=_("Optional. The new schedule then starts after the hold."),
    )
    change_reason = forms.CharField(
        label=_("Reason for the change"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The patient sees this, with your name."),
    )
    edit_fields = ("starting_point", "hold_days", "change_reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.edit_fields:  # after the plan's own fields
            self.fields[name] = self.fields.pop(name)

    def edit_options(self) -> dict[str, Any]:
        return {
            "from_today": self.cleaned_data["starting_point"] == "today",
            "hold_days": self.cleaned_data.get("hold_days") or 0,
            "reason": self.cleaned_data["change_reason"],
        }

    def request_data(self) -> dict[str, Any]:
        data: dict[str, Any] = super().request_data()  # type: ignore[misc]
        for name in self.edit_fields:
            data.pop(name, None)
        return data


class KratomEditForm(EditMixin, KratomTaperForm):
    pass


class MedicationEditForm(EditMixin, MedicationForm):
    pass


class DoseForm(forms.Form):
    taken_at = LocalDateTimeField(
        label=_("When?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    amount = forms.DecimalField(label=_("How much?"), max_digits=12, decimal_places=4,
                                help_text=_("Enter 0 to record a day with none."))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class SignoffForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class StopForm(forms.Form):
    reason = forms.CharField(label=_("Why stop? (optional)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


def initial_from_request(parsed: TaperRequest) -> dict[str, Any]:
    """An edit form's starting values: what the planner actually used."""
    return {
        "product": parsed.product, "name": parsed.name, "unit": parsed.unit,
        "amount_per_day": parsed.amount_per_day, "doses_per_day": parsed.doses_per_day,
        "years_of_use": parsed.years_of_use, "strategy": parsed.strategy,
        "rate_percent": parsed.rate_percent, "step_days": parsed.step_days,
        "precision": parsed.precision, "jump_off": parsed.jump_off or None,
        "start": parsed.start, "as_needed": parsed.as_needed,
    }
