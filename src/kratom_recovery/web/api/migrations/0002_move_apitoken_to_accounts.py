# ApiToken moved to the accounts app (accounts 0002 takes it over). State only: the table
# keeps its name (ApiToken.Meta.db_table = "api_apitoken"), so no row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ApiToken")],
            database_operations=[],
        ),
    ]
