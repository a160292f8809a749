"""Forms for the own measures: a new measure, and today's value for each active one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.recovery.measures import actions


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("Something to track (0–10)"),
                           max_length=actions.MAX_MEASURE_NAME,
                           help_text=_("For example pain, stress or energy."))


class MeasureValuesForm(forms.Form):
    def __init__(self, measures: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        for measure in measures:
            self.fields[f"measure_{measure.pk}"] = forms.IntegerField(
                label=measure.name, min_value=0, max_value=10, required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=_("0 = none, 10 = the most you can imagine"),
            )

    def values(self) -> dict[int, object]:
        return {m.pk: self.cleaned_data.get(f"measure_{m.pk}") for m in self.measures}
