# The care team replaces Patient.clinician: each assigned clinician becomes the primary.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def clinician_to_primary(apps, schema_editor):  # type: ignore[no-untyped-def]
    Patient = apps.get_model("patients", "Patient")
    CareTeamMember = apps.get_model("patients", "CareTeamMember")
    CareTeamMember.objects.bulk_create(
        CareTeamMember(patient_id=pk, clinician_id=clinician_id, role="primary")
        for pk, clinician_id in Patient.objects.exclude(clinician=None)
        .values_list("pk", "clinician_id").iterator()
    )


def primary_to_clinician(apps, schema_editor):  # type: ignore[no-untyped-def]
    Patient = apps.get_model("patients", "Patient")
    CareTeamMember = apps.get_model("patients", "CareTeamMember")
    for member in CareTeamMember.objects.filter(role="primary").iterator():
        Patient.objects.filter(pk=member.patient_id).update(clinician_id=member.clinician_id)


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0002_checkin_danger_symptoms_checkin_self_harm_thoughts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CareTeamMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('primary', 'Primary clinician'), ('co', 'Co-clinician')], max_length=8)),
                ('added_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('clinician', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_teams', to=settings.AUTH_USER_MODEL)),
                ('patient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_team', to='patients.patient')),
            ],
            options={
                'ordering': ['role', 'added_at', 'id'],
                'indexes': [models.Index(fields=['clinician', 'patient'], name='care_team_clinician')],
                'constraints': [models.UniqueConstraint(fields=('patient', 'clinician'), name='care_team_once'), models.UniqueConstraint(condition=models.Q(('role', 'primary')), fields=('patient',), name='care_team_one_primary')],
            },
        ),
        migrations.RunPython(clinician_to_primary, primary_to_clinician),
    ]
