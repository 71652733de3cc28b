from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from tandem.core.bulk import RowSink, checks_and_indexes_after, next_id
from tandem.org.models import Person, ReportingLine
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's COPY, keys and indexes"
)


def test_a_sink_writes_aware_datetimes_and_values_adapted_already() -> None:
    person = PersonFactory()
    # The factory's own reporting line starts on a random date: only the sink's rows count.
    before = set(ReportingLine.objects.filter(person=person).values_list("pk", flat=True))
    sink = RowSink(ReportingLine, ("person", "start_date"), chunk=10)
    sink.add((person.pk, date(2026, 1, 5)))
    sink.add((person.pk, connection.ops.adapt_datefield_value(date(2026, 2, 5))))
    sink.flush()
    written = ReportingLine.objects.filter(person=person).exclude(pk__in=before)
    assert sorted(written.values_list("start_date", flat=True)) == [
        date(2026, 1, 5),
        date(2026, 2, 5),
    ]


def test_a_sink_writes_a_chunk_as_soon_as_it_is_full() -> None:
    person = PersonFactory()
    written: list[int] = []

    class Counting(RowSink):
        def flushed(self, count: int) -> None:
            written.append(count)

    sink = Counting(ReportingLine, ("person", "start_date"), chunk=2)
    for day in (1, 2, 3):
        sink.add((person.pk, date(2026, 1, day)))
    assert written == [2]
    sink.flush()
    assert written == [2, 1]
    assert sink.added == 3


def _foreign_keys_and_indexes() -> tuple[set[str], set[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'org_person'::regclass"
        )
        keys = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'org_person'")
        indexes = {row[0] for row in cursor.fetchall()}
    return keys, indexes


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_keys_and_indexes_are_back_after_a_load() -> None:
    before = _foreign_keys_and_indexes()
    with transaction.atomic(), checks_and_indexes_after():
        assert _foreign_keys_and_indexes()[0] == set()
    assert _foreign_keys_and_indexes() == before


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_a_row_that_breaks_a_foreign_key_fails_the_load() -> None:
    missing = next_id(Person) + 1000
    with pytest.raises(IntegrityError, match="foreign key"):  # noqa: SIM117 (raised at the end)
        with transaction.atomic(), checks_and_indexes_after():
            sink = RowSink(ReportingLine, ("person", "start_date"), chunk=10)
            sink.add((missing, date(2026, 1, 5)))
            sink.flush()
    assert not ReportingLine.objects.filter(person_id=missing).exists()
