"""Forms for the safety pages. Field checks only; the actions validate through the core."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care.level_of_care import LEVELS
from kratom_recovery.care.safety import SUICIDE_FOLLOWUP

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SuicideFollowupForm(forms.Form):
    """Our own follow-up questions (not the C-SSRS), one yes/no field each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in SUICIDE_FOLLOWUP:
            self.fields[question.id] = forms.ChoiceField(
                label=_(question.text), choices=YES_NO, widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, bool]:
        return {q.id: self.cleaned_data[q.id] == "yes" for q in SUICIDE_FOLLOWUP}


class AcknowledgeForm(forms.Form):
    # Not required here: the action says what is missing ("say briefly what was done").
    note = forms.CharField(
        label=_("What was done?"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: called the patient, safety plan reviewed, referred to ED."),
    )


class LevelDecisionForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level of care you decided on"),
        choices=[(level.code, f"{level.code} – {level.name}") for level in LEVELS],
    )
    reason = forms.CharField(
        label=_("Why"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
