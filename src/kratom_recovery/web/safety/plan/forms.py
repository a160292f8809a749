"""Forms for the risk assessment and the safety plan. They only collect text: the actions
check it and name the field, and the view puts the error on that field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.safety_plan import (
    MAX_CONTACTS,
    PLAN_SECTIONS,
    RISK_LABELS,
    RISK_LEVELS,
)
from kratom_recovery.web.patients.forms import LocalDateTimeField

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"},
                                      format="%Y-%m-%dT%H:%M")
EXTRA_ROWS = 2  # empty contact rows offered below the filled ones


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class RiskAssessmentForm(forms.Form):
    rating = forms.ChoiceField(label=_("Your rating of suicide risk"), widget=forms.RadioSelect,
                               choices=[(r, _(RISK_LABELS[r])) for r in RISK_LEVELS])
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What you based the rating on, in your words."))
    risk_factors = forms.CharField(
        label=_("Risk factors (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."))
    protective_factors = forms.CharField(
        label=_("Protective factors (optional)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."))
    assessed_at = LocalDateTimeField(label=_("Assessed at"), widget=DATETIME_WIDGET,
                                     required=False, help_text=_("Blank: now."),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["required"] = _("choose low, moderate or high")
        self.fields["reasons"].error_messages["required"] = _("is required")

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"rating": data["rating"], "reasons": data["reasons"],
                "risk_factors": split_lines(data["risk_factors"]),
                "protective_factors": split_lines(data["protective_factors"])}

    def assessed_at_value(self) -> datetime | None:
        """The wall clock read in the zone the request activated (the viewer's)."""
        value: datetime | None = self.cleaned_data.get("assessed_at")
        return None if value is None else value.replace(
            tzinfo=timezone.get_current_timezone())


class SafetyPlanForm(forms.Form):
    """One box per line section (a line per item) and name/phone rows per contact section.
    `version` is the version the writer started from, so a save over someone else's is
    refused instead of silently replacing it."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, sections: dict[str, list[Any]] | None = None,
                 version: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = sections or {}
        self.fields["version"].initial = version
        self.rows: dict[str, int] = {}
        for section in PLAN_SECTIONS:
            given = sections.get(section.id, [])
            if section.kind == "lines":
                self.fields[section.id] = forms.CharField(
                    label=_(section.title), required=False, help_text=_(section.prompt),
                    widget=forms.Textarea(attrs={"rows": 3}), initial="\n".join(given))
                continue
            rows = min(MAX_CONTACTS, len(given) + EXTRA_ROWS)
            self.rows[section.id] = rows
            for number in range(1, rows + 1):
                person = given[number - 1] if number <= len(given) else {}
                self.fields[f"{section.id}_{number}_name"] = forms.CharField(
                    label=_("Name"), required=False, initial=person.get("name", ""),
                    widget=forms.TextInput(attrs={"autocomplete": "off"}))
                self.fields[f"{section.id}_{number}_phone"] = forms.CharField(
                    label=_("Phone"), required=False, initial=person.get("phone", ""),
                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))

    def contact_rows(self, section_id: str) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"{section_id}_{n}_name"], self[f"{section_id}_{n}_phone"])
                for n in range(1, self.rows[section_id] + 1)]

    def sections(self) -> dict[str, list[Any]]:
        data = self.cleaned_data
        result: dict[str, list[Any]] = {}
        for section in PLAN_SECTIONS:
            if section.kind == "lines":
                result[section.id] = split_lines(data.get(section.id, ""))
            else:
                result[section.id] = [
                    {"name": data.get(f"{section.id}_{n}_name", ""),
                     "phone": data.get(f"{section.id}_{n}_phone", "")}
                    for n in range(1, self.rows[section.id] + 1)]
        return result

    def base_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)
