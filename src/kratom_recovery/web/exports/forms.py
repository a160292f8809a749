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
