"""Writing many rows with ids chosen in Python, as every app's demo data does.

Model instances and bulk_create spend most of their time in Python per value; at a million
rows that is minutes. `write_rows` writes plain tuples instead: PostgreSQL's COPY, or
executemany elsewhere (SQLite). Ids start at `next_id`; explicit ids leave PostgreSQL's
sequences behind, so `reset_sequences` runs once the rows are in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


def next_id(model: type[models.Model]) -> int:
    """The first id after every row the table has (1 for an empty table)."""
    return (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """Move PostgreSQL's id sequences past the explicit ids written (SQLite has none: it
    uses max(rowid) + 1), so the next ordinary insert does not collide."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def write_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Write `rows` (plain tuples, values already adapted, in the order of the column names
    `columns`) into `model`'s table: PostgreSQL's COPY, or executemany elsewhere (SQLite)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, under Django's wrapper
            with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)
