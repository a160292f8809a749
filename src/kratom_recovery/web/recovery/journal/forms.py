"""The journal entry form: field checks only, the actions validate the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.patients.forms import MOOD_CHOICES
from kratom_recovery.web.recovery.journal import actions


class JournalForm(forms.Form):
    text = forms.CharField(label=_("What's on your mind?"), max_length=actions.MAX_JOURNAL,
                           widget=forms.Textarea(attrs={"rows": 6}))
    mood = forms.TypedChoiceField(
        label=_("Your mood"), choices=MOOD_CHOICES, coerce=int, required=False,
        widget=forms.RadioSelect,
    )
    shared = forms.BooleanField(
        label=_("Share this entry with my clinician"), required=False,
        help_text=_("Entries are private unless you tick this."),
    )
