"""The analyte list a program starts from (care.labs.DEFAULT_ANALYTES): names, panels and
codes only, with no ranges (a program enters its own).

Ensured rather than seeded once: the data migration, the demo, the admin's analyte page and a
labs form on an empty table all call this, so a database flushed or restored without the rows
still records labs. It only adds codes that are missing and never touches a program's edits.
"""

from __future__ import annotations

from typing import Any

from kratom_recovery.care.labs import DEFAULT_ANALYTES


def ensure_default_analytes(model: Any = None) -> int:
    """Add the default analytes whose codes are missing; return how many were added.

    `model` is the LabAnalyte class (the migration passes its historical one)."""
    if model is None:
        from kratom_recovery.web.bedside.models import LabAnalyte
        model = LabAnalyte
    present = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=entry.code, name=entry.name, panel=entry.panel, kind=entry.kind,
              unit=entry.unit, loinc=entry.loinc, code_status=entry.code_status,
              specific_assay=entry.specific_assay, note=entry.note, position=position)
        for position, entry in enumerate(DEFAULT_ANALYTES, start=1)
        if entry.code not in present
    ]
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
