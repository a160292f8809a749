# IdempotencyKey moved to the accounts app (accounts 0005 takes it over), so the signed-in
# web check-in can use it too. State only: the table keeps its name
# (IdempotencyKey.Meta.db_table = "api_idempotencykey"), so no row is touched.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_move_apitoken_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="IdempotencyKey")],
            database_operations=[],
        ),
    ]
