"""Add each name without its accents to search_text, so the people picker and the
directory find "José Núñez" by "jose nunez" (org.models.derived_name_columns).

Only people whose text has accents change; the trigram index on search_text (0003) serves
the new text as it did the old.
"""

import unicodedata

from django.db import migrations

BATCH = 2000


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def add_folded_names(apps, schema_editor):
    Person = apps.get_model("org", "Person")
    batch = []
    for person in Person.objects.only(
        "first_name", "last_name", "preferred_name", "title", "email", "search_text"
    ).iterator(chunk_size=BATCH):
        parts = [person.first_name, person.last_name, person.preferred_name, person.title,
                 person.email]
        text = " ".join(p for p in parts if p).lower()
        folded = fold(text)
        if folded == text:
            continue
        person.search_text = f"{text} {folded}"[:800]
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("org", "0005_person_dept_status_idx")]

    operations = [migrations.RunPython(add_folded_names, migrations.RunPython.noop)]
