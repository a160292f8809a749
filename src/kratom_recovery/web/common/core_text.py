"""The clinical core's words a patient reads, listed so the web layer can translate them.

The core (care/) stays free of Django, so its instruments, crisis resources, coping cards and
exercises keep their English text. The catalogue builder (`make messages`) writes these
strings where gettext's extractor finds them, and templates and forms translate them when they
render (`{% translate item.text %}`, `gettext(label)`). Staff-only instruments (COWS, CIWA-Ar,
AUDIT-C) are left out: staff pages are served in English.
"""

from __future__ import annotations

from collections.abc import Iterator

from kratom_recovery.care import coping, level_of_care, routing, taper, timeline
from kratom_recovery.care.coping import COPING, SYMPTOM_NAMES
from kratom_recovery.care.exercises import EXERCISES
from kratom_recovery.care.instruments import get_instrument
from kratom_recovery.care.profile import DEPENDENCE_QUESTIONS
from kratom_recovery.care.resources import RESOURCES
from kratom_recovery.care.safety import DANGER_SYMPTOMS, SAFETY_RULES, SUICIDE_FOLLOWUP
from kratom_recovery.care.safety_plan import PLAN_SECTIONS

PATIENT_INSTRUMENTS = ("sows", "craving", "daily-extra", "phq9", "gad7", "sud", "audit-c")
# Spanish wordings of these are ours, not a validated translation: English stays the scored
# reference and the page says so ([ref:phq-screeners]).
NOT_VALIDATED = frozenset({"phq9", "gad7"})


def _instrument_strings() -> Iterator[str]:
    for instrument_id in PATIENT_INSTRUMENTS:
        instrument = get_instrument(instrument_id)
        yield from (instrument.name, instrument.description, instrument.instructions)
        if instrument.caveat:
            yield instrument.caveat
        for band in instrument.bands:
            yield band.label
        for item in instrument.items:
            yield item.text
            if item.unit:
                yield item.unit
            yield from (option.label for option in item.options)


def _care_strings() -> Iterator[str]:
    yield from _instrument_strings()
    for resource in RESOURCES:
        yield from (resource.name, resource.when, resource.hours)
        yield from (contact.label for contact in resource.contacts)
    for entry in COPING:
        yield from (entry.title, entry.summary, *entry.steps)
    yield from SYMPTOM_NAMES.values()
    yield coping.GENERAL
    for level in level_of_care.LEVELS:
        yield from (level.plain_name, level.next_step)
    yield level_of_care.DISCLAIMER
    for action in (routing.CALL_911, routing.CRISIS_988, routing.CARE_TEAM, routing.SAME_DAY,
                   routing.POISON, routing.SAMHSA):
        yield from (action.label, action.what)
    yield from (taper.SUPPORT_NOTE, taper.SUPERVISION_WARNING, taper.OTHER_PRODUCT_WARNING)
    yield from (rule.patient_message for rule in SAFETY_RULES)
    for section in PLAN_SECTIONS:
        yield from (section.title, section.prompt)
    yield from (symptom.label for symptom in DANGER_SYMPTOMS)
    yield from (question.text for question in SUICIDE_FOLLOWUP)
    yield from (text for _, text in DEPENDENCE_QUESTIONS)
    yield from timeline.PHASE_LABELS.values()
    yield from (timeline.STILL_ACUTE_LABEL, timeline.SMALL_BUMP_LABEL, timeline.ESTIMATE_NOTICE)
    for exercise in EXERCISES:
        yield from (exercise.title, exercise.intro, *exercise.steps)
        for field in exercise.fields:
            yield field.label
            if field.help:
                yield field.help
        if exercise.timer is not None:
            yield from (prompt.text for prompt in exercise.timer.prompts)


def core_strings() -> list[str]:
    """Every core string a patient page shows, each once, in a stable order."""
    return sorted({text for text in _care_strings() if text.strip()})
