"""MOUD forms. Values are checked by care/moud.py through the actions, so the error lands on
the field the core names; no field has a clinical default."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.care import moud

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = [("", "—")]


def day_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET)


class MoudForm(forms.Form):
    medication = forms.ChoiceField(label=_("Medication"),
                                   choices=BLANK + list(moud.MEDICATIONS.items()))
    status = forms.ChoiceField(label=_("Status"), choices=BLANK + list(moud.STATUSES.items()))
    on = day_field(_("Since (date)"), required=True)
    withdrawal_complete_on = day_field(_("Withdrawal complete on (naltrexone needs it)"))
    referred_to = forms.CharField(label=_("Referred to (service or clinician)"),
                                  max_length=200, required=False)
    referred_on = day_field(_("Referred on"))
    referral_status = forms.ChoiceField(label=_("Referral"),
                                        choices=list(moud.REFERRAL_STATUSES.items()),
                                        required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NaloxoneForm(forms.Form):
    action = forms.ChoiceField(label=_("Naloxone"), widget=forms.RadioSelect,
                               choices=list(moud.NALOXONE_ACTIONS.items()))
    on = day_field(_("Date"), required=True)
    note = forms.CharField(label=_("Note (e.g. nasal spray, two doses)"), max_length=200,
                           required=False)


class CheckinForm(forms.Form):
    on = day_field(_("Date"), required=True)
    answer = forms.ChoiceField(label=_("How MOUD is going"), widget=forms.RadioSelect,
                               choices=list(moud.CHECKIN_ANSWERS.items()))
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
