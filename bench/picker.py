"""Benchmark the people picker's search (org.queries.people_to_pick) at 10,000 and 100,000
people.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_picker_bench \\
        .venv/bin/python bench/picker.py [--people 10000 100000] [--repeat 30]

The database must be migrated (`tandem migrate`). People only (no goals, no history): the
search reads one table. Missing people are added in bulk with Faker names (seeded), 3% of
them marked as left; a database that already holds enough people is reused, so sizes are
measured smallest first. Prints the median and 95th-percentile time per query, with
PostgreSQL's plan for one of them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

QUERIES = ["ja", "jen", "smi", "mar", "an ro", "o'b", "zzq", "john.s"]
BATCH = 5000


def grow(size: int) -> None:
    from faker import Faker

    from tandem.org.models import Person, PersonStatus, derived_name_columns

    have = Person.objects.count()
    if have >= size:
        return
    fake = Faker()
    Faker.seed(size)
    rng = random.Random(size)
    batch: list[Person] = []
    for n in range(have, size):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}{n}@example.com".lower().replace(" ", "")
        left = rng.random() < 0.03
        person = Person(
            email=email,
            first_name=first,
            last_name=last,
            title=fake.job()[:200],
            status=PersonStatus.LEFT if left else PersonStatus.ACTIVE,
            is_active=not left,
            password="!",
            path=f"/{n + 1}/",
        )
        person.sort_name, person.search_text = derived_name_columns(
            first_name=first, last_name=last, preferred_name="", title=person.title, email=email
        )
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_create(batch)
            batch = []
    if batch:
        Person.objects.bulk_create(batch)


def measure(size: int, repeat: int) -> None:
    from django.db import connection

    from tandem.org import queries
    from tandem.org.models import Person

    grow(size)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE org_person")
    viewer = Person.objects.order_by("pk").first()
    print(f"\n{size:,} people ({connection.vendor})")
    print(f"{'query':<10} {'found':>5} {'median ms':>10} {'p95 ms':>8}")
    for q in QUERIES:
        times = []
        found = 0
        for _ in range(repeat):
            start = time.perf_counter()
            found = len(queries.people_to_pick(viewer, q=q))
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{q!r:<10} {found:>5} {statistics.median(times):>10.1f} {p95:>8.1f}")
    if connection.vendor == "postgresql":
        for q in ("smi", "ja"):
            people = queries.pick_queryset(viewer, words=queries.pick_words(q))
            plan = people[: queries.PICK_LIMIT].explain(analyze=True)
            print(f"\nplan for {q!r}:\n" + plan)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    for size in sorted(args.people):
        measure(size, args.repeat)


if __name__ == "__main__":
    main()
