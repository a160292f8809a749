"""The one form of the exports app: confirming an account deletion."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("We ask for it so no one else can delete your account."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my records will be deleted and cannot be "
                "brought back."),
    )


class DischargeForm(forms.Form):
    """The clinician's part of a discharge summary; the rest is read from the stay's records
    (care/discharge.py checks the dates and names a wrong field)."""

    admitted_on = forms.DateField(label=_("Admitted on"),
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    discharged_on = forms.DateField(label=_("Discharged on"),
                                    widget=forms.DateInput(attrs={"type": "date"},
                                                           format="%Y-%m-%d"))
    destination = forms.CharField(label=_("Discharged to (home, a residential program, …)"),
                                  max_length=200)
    course_note = forms.CharField(
        label=_("Course, in your words (optional)"), max_length=800, required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
