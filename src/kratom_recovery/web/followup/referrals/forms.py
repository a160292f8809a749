"""Forms of the referral directory: search, one entry, and a CSV upload."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.followup.forms import ZipField
from kratom_recovery.web.followup.models import REFERRAL_KINDS, Referral


class DirectorySearchForm(forms.Form):
    zip = ZipField(label=_("Near ZIP code"), required=False)
    radius = forms.TypedChoiceField(
        label=_("Within"), coerce=int, initial=50, required=False,
        choices=[(10, _("10 miles")), (25, _("25 miles")), (50, _("50 miles")),
                 (100, _("100 miles")), (250, _("250 miles"))],
    )
    state = forms.RegexField(label=_("State (2 letters)"), regex=r"^[A-Za-z]{2}$",
                             max_length=2, required=False,
                             error_messages={"invalid": _("Two letters, like NY.")})
    kind = forms.ChoiceField(label=_("Kind of help"), required=False,
                             choices=[("", _("Any")), *REFERRAL_KINDS.items()])
    service = forms.CharField(label=_("Service (e.g. spanish, telehealth)"), required=False,
                              max_length=40)


class ReferralForm(forms.Form):
    """Plain text fields: actions.clean_row validates them, as for an imported row."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=list(REFERRAL_KINDS.items()))
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State (2 letters)"), max_length=2)
    zip = forms.CharField(label=_("ZIP code"), max_length=10)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    services = forms.CharField(label=_("Services (separated by ;)"), max_length=2000,
                               required=False)
    latitude = forms.CharField(label=_("Latitude (optional; else the ZIP centre)"),
                               max_length=20, required=False)
    longitude = forms.CharField(label=_("Longitude (optional)"), max_length=20,
                                required=False)

    @classmethod
    def initial_for(cls, referral: Referral) -> dict[str, object]:
        return {
            "name": referral.name, "kind": referral.kind, "street": referral.street,
            "city": referral.city, "state": referral.state, "zip": referral.zip,
            "phone": referral.phone, "website": referral.website,
            "services": "; ".join(referral.services),
            "latitude": "" if referral.latitude is None else str(referral.latitude),
            "longitude": "" if referral.longitude is None else str(referral.longitude),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    source = forms.CharField(label=_("Source"), max_length=64, initial="findtreatment.gov")
    pulled_on = forms.DateField(label=_("Date the data was pulled"),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
