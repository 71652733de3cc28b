"""Take employee ids out of the public search text, and give PostgreSQL a trigram index.

Employee ids are private; while they were in search_text anyone could confirm someone's id
by searching for it. The trigram index makes "contains" searches use an index at 100k
people (docs/benchmarks.md); SQLite has no equivalent and keeps its plain scan.
"""

import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)
BATCH = 2000


def rebuild_search_text(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    batch = []
    for person in Person.objects.only(
        "first_name", "last_name", "preferred_name", "title", "email"
    ).iterator(chunk_size=BATCH):
        parts = [person.first_name, person.last_name, person.preferred_name, person.title,
                 person.email]
        person.search_text = " ".join(p for p in parts if p).lower()[:800]
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_text"])


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception as error:  # noqa: BLE001 — a missing privilege must not stop the upgrade
        log.warning("pg_trgm unavailable (%s); people search will scan instead of using an index",
                    error)
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_trgm ON org_person "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("org", "0002_importbatch")]

    operations = [
        migrations.RunPython(rebuild_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
