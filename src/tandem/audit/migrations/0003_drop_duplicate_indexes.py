"""The audit trail loses three indexes of one column (actor, subject, kind): the (…, -at)
indexes lead with the same columns, and every audited write kept all of them up to date.

Only the indexes are dropped (by their names, which Django gives alike on every database):
`AlterField`'s own SQL would also drop and re-add both foreign keys, checking every row of
a trail that may hold millions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (index, column, PostgreSQL only: the LIKE index of a CharField)
DROPPED = (
    ("audit_auditevent_actor_id_270bb4b7", "actor_id", ""),
    ("audit_auditevent_subject_id_1173988d", "subject_id", ""),
    ("audit_auditevent_kind_931b47e8", "kind", ""),
    ("audit_auditevent_kind_931b47e8_like", "kind", "varchar_pattern_ops"),
)


def drop_indexes(apps, schema_editor):
    for name, _column, _opclass in DROPPED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def recreate_indexes(apps, schema_editor):
    for name, column, opclass in DROPPED:
        if opclass and schema_editor.connection.vendor != "postgresql":
            continue
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "audit_auditevent" ("{column}" {opclass})'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_anonymous_tally"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, recreate_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="kind",
                    field=models.CharField(max_length=60),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="subject",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
