"""Writing many rows with ids chosen in Python, as every app's demo data does.

Model instances and bulk_create spend most of their time in Python per value; at a million
rows that is minutes. `write_rows` writes plain tuples instead: PostgreSQL's COPY, or
executemany elsewhere (SQLite), and `RowSink` gathers them a chunk at a time. Ids start at
`next_id`; explicit ids leave PostgreSQL's sequences behind, so `reset_sequences` runs once
the rows are in. `checks_and_indexes_after` holds PostgreSQL's per-row work (foreign-key
checks, secondary indexes) until a load's rows are all written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core.management.color import no_style
from django.db import OperationalError, connection, models, transaction
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


PENDING_TRIGGER_EVENTS = "55006"  # PostgreSQL's object_in_use: "… has pending trigger events"


@contextmanager
def checks_and_indexes_after() -> Iterator[None]:
    """Inside a transaction on PostgreSQL, drop the foreign keys and the secondary (not
    unique) indexes of every Tandem table, and put them back, exactly as they were, when
    the block ends; elsewhere, do nothing.

    A foreign key checked at commit costs one lookup and row lock per row written, and an
    index updated row by row costs far more than one built from the finished table: for
    millions of rows, adding each constraint back (one validating join) and building each
    index once is minutes faster. Adding a constraint back still checks every row, so
    nothing that breaks a foreign key gets in. Only for loads into a database nobody else
    is using: the tables are locked until the transaction ends. When this transaction has
    already written rows whose checks are still waiting, nothing is dropped."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("checks_and_indexes_after() needs a transaction (atomic block).")
    tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND t.relname = ANY(%s)
              AND t.relnamespace = current_schema()::regnamespace
            ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace
              AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, name, _ in foreign_keys:
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quoted}")
            for index, _ in indexes:
                cursor.execute(f"DROP INDEX {index}")
    except OperationalError as error:
        # Rows written earlier in this transaction still wait for their checks (a test
        # that deletes a company and loads another): keep the per-row work then.
        if getattr(error.__cause__, "sqlstate", None) != PENDING_TRIGGER_EVENTS:
            raise
        yield
        return
    yield
    with connection.cursor() as cursor:
        # Memory to sort each index in, and to join each table with the one its key names.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            quoted = connection.ops.quote_name(name)
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition}")


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


class RowSink:
    """Rows for one table, kept as plain tuples (values in the order of the field `names`)
    and written `chunk` at a time with write_rows. Foreign keys are checked at commit, so
    tables may be written in any order. On SQLite, aware datetimes (drawn in UTC) and UUIDs
    are adapted as they are written (values adapted already are left alone); PostgreSQL's
    COPY takes them as they are."""

    def __init__(self, model: type[models.Model], names: Sequence[str], *, chunk: int):
        meta = model._meta
        self.model = model
        fields: list[Any] = [meta.get_field(name) for name in names]
        self.columns: list[str] = [f.column for f in fields]
        self.chunk = chunk
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        internal = [f.get_internal_type() for f in fields]
        self.datetimes = [i for i, t in enumerate(internal) if t == "DateTimeField"]
        self.uuids = [i for i, t in enumerate(internal) if t == "UUIDField"]

    @property
    def added(self) -> int:
        """Rows added so far, written or not."""
        return self.count + len(self.rows)

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows = self.rows if self.postgres else [self._sqlite(row) for row in self.rows]
        write_rows(self.model, self.columns, rows)
        self.count += len(self.rows)
        self.flushed(len(self.rows))
        self.rows = []

    def flushed(self, written: int) -> None:
        """Called after each write with the number of rows it wrote (progress reports)."""

    def _sqlite(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.datetimes and not self.uuids:
            return row
        values = list(row)
        for i in self.datetimes:
            if isinstance(values[i], datetime):  # not None, not adapted already
                values[i] = str(values[i].replace(tzinfo=None))  # drawn in UTC
        for i in self.uuids:
            if isinstance(values[i], UUID):
                values[i] = values[i].hex
        return tuple(values)


def analyze_tables() -> None:
    """Give the query planner statistics for tables just filled in bulk (ANALYZE, on
    PostgreSQL and SQLite alike). Without them PostgreSQL plans a freshly loaded table as if
    it were empty until autovacuum gets to it: measured on a 100,000-person demo, a read of
    a person's reviews took 689 ms before and 4 ms after."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
