"""Forms for signing in, the second factor and passwords. They read fields only; the
checks that matter (throttle, password rules, codes) are in throttle.py, twofactor.py and
passwords.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.common.zones import zone_choices

PASSWORD_MAX = 200


def password_field(label: Any, autocomplete: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=PASSWORD_MAX, strip=False,
                           help_text=help_text,
                           widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}))


class SignInForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}))
    password = password_field(_("Password"), "current-password")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32,
        help_text=_("The 6 digits your authenticator app shows now, or one of your backup "
                    "codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                      "autocapitalize": "characters", "autofocus": True}))


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"), max_length=32,
        help_text=_("After adding the account, type the 6 digits the app shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class NewPasswordForm(forms.Form):
    new_password = password_field(_("New password"), "new-password",
                                  _("At least 10 characters; not a common password."))
    new_password2 = password_field(_("New password again"), "new-password")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("new_password") and data.get("new_password2")
                and data["new_password"] != data["new_password2"]):
            self.add_error("new_password2", _("The two passwords are not the same."))
        return data


class ChangePasswordForm(NewPasswordForm):
    current_password = password_field(_("Current password"), "current-password")
    revoke_tokens = forms.BooleanField(
        label=_("Also revoke my API tokens"), required=False, initial=True,
        help_text=_("Apps that use a token will need a new one. Leave this on if you change "
                    "your password because it may be known to someone else."))
    field_order = ["current_password", "new_password", "new_password2", "revoke_tokens"]


class ResetRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ResetCodeForm(NewPasswordForm):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(
        attrs={"autocomplete": "username", "autocapitalize": "none"}))
    code = forms.CharField(label=_("Reset code from your clinician"), max_length=32,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters",
                                                         "autocomplete": "off"}))
    field_order = ["username", "code", "new_password", "new_password2"]


class PasswordCheckForm(forms.Form):
    password = password_field(_("Your password"), "current-password")


class SignOutEverywhereForm(forms.Form):
    revoke_tokens = forms.BooleanField(
        label=_("Also revoke my API tokens"), required=False,
        help_text=_("Apps that use a token stop working until you make a new one."))


class DisplayTimezoneForm(forms.Form):
    timezone = forms.ChoiceField(
        label=_("Show times in"), required=False,
        choices=lambda: [("", _("The program's time zone")), *zone_choices()],
        help_text=_("Caseload, chart and alert times use this zone, with its abbreviation."),
    )
