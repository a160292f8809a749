# Patient.clinician gives way to the care team (0003 copied each clinician in as primary).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("patients", "0004_checkin_temperature_profile_dependence_sex"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="patient", name="patient_clinician"),
        migrations.RemoveField(model_name="patient", name="clinician"),
    ]
