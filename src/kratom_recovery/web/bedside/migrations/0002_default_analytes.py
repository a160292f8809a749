"""Seed the analyte list a program starts from (care.labs.DEFAULT_ANALYTES): names, panels
and codes only, with no ranges (a program enters its own)."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from kratom_recovery.care.labs import DEFAULT_ANALYTES


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    analyte = apps.get_model("bedside", "LabAnalyte")
    for position, entry in enumerate(DEFAULT_ANALYTES, start=1):
        analyte.objects.get_or_create(code=entry.code, defaults={
            "name": entry.name, "panel": entry.panel, "kind": entry.kind, "unit": entry.unit,
            "loinc": entry.loinc, "code_status": entry.code_status,
            "specific_assay": entry.specific_assay, "note": entry.note, "position": position,
        })


class Migration(migrations.Migration):
    dependencies = [("bedside", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
