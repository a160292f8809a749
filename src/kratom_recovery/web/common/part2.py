"""Notices for programs covered by 42 CFR Part 2 [ref:cfr42-part2]: the re-disclosure notice
attached to every export a clinician takes out of the app. Our own wording, carrying the
elements the regulation asks for (docs/data-rights.md)."""

from __future__ import annotations

from typing import Final

REDISCLOSURE_NOTICE: Final = (
    "Confidential substance use disorder record. If the program that sent this record is "
    "covered by federal confidentiality rules (42 CFR Part 2), those rules protect it: you may "
    "not use or disclose it, or anything it contains, further except as the patient's written "
    "consent or the rules themselves allow, and a general authorisation to release medical "
    "information does not suffice. The record and testimony about it may not be used to bring "
    "criminal charges against or to investigate the patient, or in any civil, criminal, "
    "administrative or legislative proceeding against the patient, without the patient's "
    "consent or a court order that meets the rules."
)
