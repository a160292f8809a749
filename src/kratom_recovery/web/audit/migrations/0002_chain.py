"""Hash-chain the audit log: plain actor and patient references, chain columns (existing
entries are chained in id order), foreign keys that deleting an account leaves alone, and on
PostgreSQL a trigger that refuses UPDATE and DELETE on the table."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kratom_recovery.web.audit.chain import SYSTEM_CHAIN, digest, patient_ref

REFUSE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def chain_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    entry_model = apps.get_model("audit", "AuditEntry")
    head_model = apps.get_model("audit", "AuditChainHead")
    heads: dict[str, tuple[int, str]] = {}
    for entry in entry_model.objects.order_by("id").iterator():
        entry.actor_ref = "" if entry.actor_id is None else str(entry.actor_id)
        entry.patient_ref = "" if entry.patient_id is None else patient_ref(entry.patient_id)
        entry.chain_key = entry.patient_ref or SYSTEM_CHAIN
        count, last = heads.get(entry.chain_key, (0, ""))
        entry.seq, entry.prev_hash = count + 1, last
        entry.hash = digest(entry)
        entry.save(update_fields=["actor_ref", "patient_ref", "chain_key", "seq",
                                  "prev_hash", "hash"])
        heads[entry.chain_key] = (entry.seq, entry.hash)
    head_model.objects.bulk_create(
        head_model(chain_key=key, count=count, last_hash=last)
        for key, (count, last) in heads.items())


def refuse_changes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE, params=None)


def allow_changes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('patients', '0006_contact_details'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain_key', models.CharField(max_length=32, unique=True)),
                ('last_hash', models.CharField(default='', max_length=64)),
                ('count', models.PositiveBigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor_ref',
            field=models.CharField(default='', max_length=24),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='chain_key',
            field=models.CharField(default='', max_length=32),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='hash',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='patient_ref',
            field=models.CharField(default='', max_length=32),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(default='', max_length=64),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='seq',
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='patient',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='audit_entries', to='patients.patient'),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.UniqueConstraint(fields=('chain_key', 'seq'), name='audit_chain_seq'),
        ),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
