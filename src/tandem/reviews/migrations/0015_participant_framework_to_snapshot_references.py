"""Each participant's framework JSON becomes a reference to one shared FrameworkSnapshot row.

The old column held a full copy per participant (~2 kB; 200 MB a cycle at 100,000 people)
of a few dozen distinct snapshots. Forward: read the non-empty copies in chunks, store
each distinct content once (keyed by the SHA-256 of its canonical JSON, as
`FrameworkSnapshot.digest_of` computes it), then point the participants at their row with
one UPDATE per snapshot and chunk of ids. Backward: copy the content back. Plain ORM
queries: SQLite and PostgreSQL alike. The old column is dropped by the next migration (on
PostgreSQL a table updated in this transaction cannot be altered in it)."""

import hashlib
import json
from collections import defaultdict

from django.db import migrations

# Ids per UPDATE … WHERE id IN (…): well below SQLite's parameter limit.
CHUNK = 900
READ_CHUNK = 2000


def digest_of(content):
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def move_to_references(rows, Snapshot, Participant):
    """`rows`: (participant id, framework JSON) pairs. Stores each distinct non-empty JSON
    once (reusing a row with the same digest) and points the participants at it. Returns
    how many participants now have a reference."""
    ids_by_digest = defaultdict(list)
    content_of = {}
    for pk, content in rows:
        if not content:
            continue
        digest = digest_of(content)
        content_of.setdefault(digest, content)
        ids_by_digest[digest].append(pk)
    moved = 0
    for digest, ids in ids_by_digest.items():
        snapshot, _ = Snapshot.objects.get_or_create(
            digest=digest, defaults={"content": content_of[digest]}
        )
        for start in range(0, len(ids), CHUNK):
            moved += Participant.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                framework_snapshot_id=snapshot.pk
            )
    return moved


def forward(apps, schema_editor):
    Participant = apps.get_model("reviews", "Participant")
    Snapshot = apps.get_model("reviews", "FrameworkSnapshot")
    rows = Participant.objects.order_by("pk").values_list("pk", "framework")
    move_to_references(rows.iterator(chunk_size=READ_CHUNK), Snapshot, Participant)


def backward(apps, schema_editor):
    Participant = apps.get_model("reviews", "Participant")
    Snapshot = apps.get_model("reviews", "FrameworkSnapshot")
    for snapshot in Snapshot.objects.order_by("pk").iterator(chunk_size=100):
        Participant.objects.filter(framework_snapshot_id=snapshot.pk).update(
            framework=snapshot.content
        )


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0014_framework_snapshot_table'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
