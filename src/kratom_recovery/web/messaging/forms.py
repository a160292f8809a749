"""Forms for the thread page (messaging/actions.py checks the text again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kratom_recovery.web.messaging.models import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Text only, up to %(n)d characters.") % {"n": MAX_BODY},
    )


class NoticesForm(forms.Form):
    email_notices = forms.BooleanField(
        label=_("E-mail me when my care team writes (the e-mail says only that there is a "
                "new message)"),
        required=False,
    )
