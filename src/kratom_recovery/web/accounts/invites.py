"""An invite as something to show: the sign-up link with the code filled in, and that link
as a QR code made here (segno, no outside service) for a patient to scan from the screen."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse

from kratom_recovery.web.accounts.models import InviteCode


def invite_link(invite: InviteCode) -> str:
    """The public sign-up page (SITE_URL, as in e-mails) with the code prefilled."""
    return f"{settings.SITE_URL}{reverse('signup')}?{urlencode({'invite': invite.code})}"


def qr_svg_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI for an <img> (CSP allows data: images, nothing runs).
    Dark modules on white with a quiet zone, so it scans in the dark theme too."""
    return str(segno.make(text, error="m").svg_data_uri(scale=6, border=4, dark="#000",
                                                        light="#fff"))
