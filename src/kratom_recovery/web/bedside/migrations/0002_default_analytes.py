"""Seed the analyte list a program starts from (care.labs.DEFAULT_ANALYTES): names, panels
and codes only, with no ranges (a program enters its own); see bedside.defaults."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from kratom_recovery.web.bedside.defaults import ensure_default_analytes


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    ensure_default_analytes(apps.get_model("bedside", "LabAnalyte"))


class Migration(migrations.Migration):
    dependencies = [("bedside", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
