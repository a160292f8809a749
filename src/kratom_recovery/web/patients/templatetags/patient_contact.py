"""`{% contact_links patient %}`: the patient's phone and e-mail as tel: and mailto: links,
for staff pages (the chart, the caseload, an alert, a message thread).

A tag rather than an included template: the caseload shows it on every one of its hundred
rows, where rendering an include per row cost as much as the rest of the row.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def contact_links(patient: Any, compact: bool = False) -> SafeString:
    """The links, or a note that there are none (nothing at all when `compact`)."""
    phone: str = patient.phone
    email: str = patient.user.email
    links = []
    if phone:
        links.append(format_html('<a href="tel:{}" data-testid="contact-phone">{}</a>',
                                 phone.replace(" ", ""), phone))
    if email:
        links.append(format_html('<a href="mailto:{}" data-testid="contact-email">{}</a>',
                                 email, email))
    if links:
        return format_html('<span class="contact-links">{}</span>',
                           format_html_join(" · ", "{}", ((link,) for link in links)))
    if compact:
        return SafeString("")
    return format_html('<span class="small">{}</span>', gettext("No phone or e-mail given"))
