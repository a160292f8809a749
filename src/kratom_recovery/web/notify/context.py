"""A red banner on the caseload and the program pages when alerts may not be reaching
anyone: the worker is silent, an urgent alert waits undelivered, or a delivery was given up.
Computed only for staff on those pages, and only when a template shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kratom_recovery.web.accounts.models import Role
from kratom_recovery.web.notify.health import DeliveryHealth, delivery_health


def banner_page(request: HttpRequest) -> bool:
    """The caseload and every program page: where staff look first."""
    match = request.resolver_match
    return (match is not None and match.url_name == "caseload") or \
        request.path.startswith("/program/")


def delivery_banner(request: HttpRequest) -> dict[str, object]:
    """One query on the caseload (two on program pages, with failed deliveries); none
    elsewhere or for patients (docs: "Alert delivery")."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    if role not in (Role.CLINICIAN, Role.ADMIN) or not banner_page(request):
        return {}

    def health() -> DeliveryHealth:
        return delivery_health(timezone.now(), with_failed=role == Role.ADMIN)

    return {"delivery_health": SimpleLazyObject(health)}
