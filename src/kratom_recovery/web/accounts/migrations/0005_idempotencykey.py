# IdempotencyKey moved here from the api app (api 0003 lets go of it first). State only: the
# table api_idempotencykey, its unique constraint and rows stay as they are.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_second_factor_sessions_throttle"),
        ("api", "0003_move_idempotencykey_to_accounts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyKey",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=255)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("response_status", models.PositiveSmallIntegerField()),
                        ("response_body", models.JSONField()),
                        ("created_at", models.DateTimeField(
                            default=django.utils.timezone.now)),
                        ("user", models.ForeignKey(
                            on_delete=django.db.models.deletion.CASCADE, related_name="+",
                            to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "api_idempotencykey",
                        "constraints": [models.UniqueConstraint(
                            fields=("user", "key"), name="idempotency_user_key")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
