"""Store the caseload triage of every existing patient (clinic/triage.py), so the caseload,
which now sorts on the stored rows, keeps its order right after the upgrade.

It runs the app's own refresh, which reads today's schema: on a database with no patients
(a fresh install, the tests) it does nothing. `kratom-recovery safety-sweep` rewrites every
row too.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils import timezone


def forward(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if not apps.get_model("patients", "Patient").objects.exists():
        return
    from kratom_recovery.web.clinic.triage import refresh_many
    from kratom_recovery.web.patients.models import Patient

    refresh_many(Patient.objects.all(), timezone.now())


class Migration(migrations.Migration):
    dependencies = [("clinic", "0002_triage_state")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
