"""What the patient lets their clinician see, in one place.

Every clinician-facing view of check-ins, shared journal entries and the relapse plan asks
`clinician_may_see` first. The consent is read once per loaded patient (Django keeps the
one-to-one row on the instance, and update_sharing replaces it there): the panels of one page
share a read, and as each request loads the patient afresh, revoking takes effect on the next
page load.
"""

from __future__ import annotations

from typing import Final

from kratom_recovery.web.patients.models import Patient
from kratom_recovery.web.recovery.models import SharingConsent

SHAREABLE: Final = ("checkins", "journal", "plan")


def consent_for(patient: Patient) -> SharingConsent:
    """The stored consent, or an unsaved one with the defaults (everything shared)."""
    try:
        return patient.sharing_consent
    except SharingConsent.DoesNotExist:
        return SharingConsent(patient=patient)


def clinician_may_see(patient: Patient, what: str) -> bool:
    """Whether the patient's clinician may see `what` ("checkins", "journal" or "plan")."""
    if what not in SHAREABLE:
        raise ValueError(f"unknown shareable {what!r}; allowed: {', '.join(SHAREABLE)}")
    return bool(getattr(consent_for(patient), what))
