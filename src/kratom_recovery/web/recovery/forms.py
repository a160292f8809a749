"""Forms for the recovery tools. Exercise forms are generated from care.exercises, so a changed
definition changes the page; field-level checks only, the actions validate the rest."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import profile as care_profile
from kratom_recovery.care.coping import COPING
from kratom_recovery.care.errors import InvalidInput
from kratom_recovery.care.exercises import Exercise, Field
from kratom_recovery.web.patients.forms import UNIT_LABELS, labelled
from kratom_recovery.web.recovery import actions

OPTION_ROWS: Final = 4  # problem-solving option rows shown without JavaScript
PEOPLE_ROWS: Final = actions.MAX_PEOPLE


class FeedbackForm(forms.Form):
    entry_id = forms.ChoiceField(choices=[(e.id, e.title) for e in COPING])
    helped = forms.TypedChoiceField(choices=[("yes", _("It helped")), ("no", _("It didn't"))],
                                    coerce=lambda v: v == "yes")


def exercise_field(field: Field) -> forms.Field:
    if field.kind == "integer":
        return forms.IntegerField(label=_(field.label), min_value=field.low, max_value=field.high,
                                  required=field.required)
    widget = (forms.TextInput() if field.max_length <= 200
              else forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=_(field.label), required=field.required,
                           max_length=field.max_length, widget=widget)


class ExerciseForm(forms.Form):
    """Built from an exercise definition; "options" fields become a few text/pros/cons rows."""

    def __init__(self, exercise: Exercise, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exercise = exercise
        for field in exercise.fields:
            if field.kind == "options":
                for n in range(1, OPTION_ROWS + 1):
                    self.fields[f"{field.id}_{n}_text"] = forms.CharField(
                        label=_("Option %(n)d") % {"n": n}, required=False, max_length=2000)
                    self.fields[f"{field.id}_{n}_pros"] = forms.CharField(
                        label=_("Pros of option %(n)d") % {"n": n}, required=False,
                        max_length=2000)
                    self.fields[f"{field.id}_{n}_cons"] = forms.CharField(
                        label=_("Cons of option %(n)d") % {"n": n}, required=False,
                        max_length=2000)
            else:
                self.fields[field.id] = exercise_field(field)

    def data_for_core(self) -> dict[str, Any]:
        """Cleaned values in the shape exercises.validate_entry reads."""
        data: dict[str, Any] = {}
        for field in self.exercise.fields:
            if field.kind == "options":
                options = []
                for n in range(1, OPTION_ROWS + 1):
                    row = {part: self.cleaned_data.get(f"{field.id}_{n}_{part}") or ""
                           for part in ("text", "pros", "cons")}
                    if any(value.strip() for value in row.values()):
                        options.append(row)
                data[field.id] = options
            else:
                data[field.id] = self.cleaned_data.get(field.id)
        return data

    def add_core_error(self, error: InvalidInput) -> None:
        """Show a core error on its field; "options" errors go on the first option row."""
        field = f"{error.field}_1_text" if error.field not in self.fields else error.field
        if field in self.fields:
            self.add_error(field, error.message)
        else:
            self.add_error(None, str(error))

    def option_rows(self) -> list[list[forms.BoundField]]:
        rows = []
        for field in self.exercise.fields:
            if field.kind == "options":
                for n in range(1, OPTION_ROWS + 1):
                    rows.append([self[f"{field.id}_{n}_{part}"]
                                 for part in ("text", "pros", "cons")])
        return rows

    def simple_fields(self) -> list[forms.BoundField]:
        return [self[f.id] for f in self.exercise.fields if f.kind != "options"]


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RelapsePlanForm(forms.Form):
    triggers = forms.CharField(
        label=_("My triggers"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Times, places, people and feelings when you used most. One per line."),
    )
    warning_signs = forms.CharField(
        label=_("My early warning signs"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Thoughts, moods or habits that tell you a risky moment is coming. One per "
                    "line."),
    )
    coping_actions = forms.CharField(
        label=_("What I will do instead"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your first moves when an urge hits. One per line."),
    )
    reasons = forms.CharField(
        label=_("My reasons for quitting"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you are doing this for. One per line."),
    )
    naloxone = forms.CharField(
        label=_("Naloxone (Narcan): where I keep it, and who knows"), required=False,
        max_length=300,
        help_text=_("Naloxone reverses an opioid overdose, including from 7-OH. Keep it where "
                    "the people around you can find it, and tell them where it is."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PEOPLE_ROWS + 1):
            self.fields[f"person_{n}_name"] = forms.CharField(
                label=_("Name"), required=False, max_length=80)
            self.fields[f"person_{n}_phone"] = forms.CharField(
                label=_("Phone number"), required=False, max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))

    def list_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("triggers", "warning_signs", "coping_actions")]

    def people_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"person_{n}_name"], self[f"person_{n}_phone"])
                for n in range(1, PEOPLE_ROWS + 1)]

    def plan_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {name: lines(self.cleaned_data[name])
                                for name in actions.PLAN_LISTS}
        data["naloxone"] = self.cleaned_data["naloxone"]
        data["people"] = [
            {"name": self.cleaned_data[f"person_{n}_name"],
             "phone": self.cleaned_data[f"person_{n}_phone"]}
            for n in range(1, PEOPLE_ROWS + 1)
        ]
        return data

    @staticmethod
    def initial_from(plan: Any) -> dict[str, Any]:
        if plan is None:
            return {}
        initial: dict[str, Any] = {name: "\n".join(getattr(plan, name))
                                   for name in actions.PLAN_LISTS}
        initial["naloxone"] = plan.naloxone
        for n, person in enumerate(plan.people, start=1):
            initial[f"person_{n}_name"] = person["name"]
            initial[f"person_{n}_phone"] = person["phone"]
        return initial


class LapseForm(forms.Form):
    trigger = forms.CharField(
        label=_("What was going on just before?"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where you were, who with, what happened."),
    )
    feelings = forms.CharField(
        label=_("How were you feeling?"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    plan_change = forms.CharField(
        label=_("Anything you would change in your plan?"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tell_clinician = forms.BooleanField(
        label=_("Tell my clinician about this lapse"), required=False,
        help_text=_("Only if you tick this. They will see the date, what was going on and "
                    "your plan change, not your feelings."),
    )

    def __init__(self, *args: Any, has_clinician: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_clinician:
            del self.fields["tell_clinician"]


class SettingsForm(forms.Form):
    price_per_unit = forms.DecimalField(
        label=_("What you paid per unit"), required=False, min_value=0, max_digits=8,
        decimal_places=2, help_text=_("Leave blank if you would rather not track money."),
    )
    price_unit = forms.ChoiceField(
        label=_("Per"), required=False,
        choices=[("", "–"), *labelled(care_profile.UNITS, UNIT_LABELS)],
    )
    currency = forms.CharField(label=_("Currency symbol"), max_length=3, initial="$",
                               required=False)


class SharingForm(forms.Form):
    checkins = forms.BooleanField(label=_("My daily check-ins"), required=False)
    journal = forms.BooleanField(label=_("Journal entries I mark as shared"), required=False)
    plan = forms.BooleanField(label=_("My relapse-prevention plan"), required=False)
