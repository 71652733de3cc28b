"""Benchmark SCIM's two hot reads against whatever database DATABASE_URL names.

    DATABASE_URL=postgres://…/tandem_bench100k .venv/bin/python bench/scim.py \
        [--people 100000] [--repeat 60]

Migrates the database, and when it holds fewer than --people people adds plain ones in bulk
(seed data for timing only: real SCIM writes go through org.services), then VACUUM ANALYZE
on PostgreSQL. Then, signed in
with a fresh SCIM token, times in-process (django.test.Client, perf_counter, after a
warm-up) `GET /scim/v2/Users?filter=userName eq "…"` (target p95 < 50 ms) and a full page
`GET /scim/v2/Users?startIndex=…&count=100` (target p95 < 150 ms), and prints p50/p95 and
the queries per request.
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
FILTER_TARGET_MS = 50.0
PAGE_TARGET_MS = 150.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.access.rules import SYSTEM
    from tandem.integrations.scim import services
    from tandem.org.models import Person

    call_command("migrate", verbosity=0)
    have = Person.objects.count()
    if have < args.people:
        batch = []
        for n in range(have, args.people):
            person = Person(
                email=f"bench.person{n}@example.com",
                first_name=f"Bench{n}",
                last_name="Person",
            )
            person.refresh_derived_fields()
            person.set_unusable_password()
            batch.append(person)
            if len(batch) == 5000:
                Person.objects.bulk_create(batch)
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load: statistics and the visibility map
            # (index-only scans for deep pages).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
                batch = []
        Person.objects.bulk_create(batch)
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a bulk load: statistics and the visibility map
            # (index-only scans for deep pages).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    total = Person.objects.count()
    _, raw = services.create_scim_token(name="bench", by=SYSTEM)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    emails = list(Person.objects.order_by("?").values_list("email", flat=True)[: args.repeat])
    rng = random.Random(17)

    def timed(make_url: object) -> tuple[list[float], int]:
        times, queries = [], 0
        for i in range(args.repeat + 5):
            target = make_url(i)  # type: ignore[operator]
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(target)
                elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, response.content[:300]
            if i >= 5:  # warm-up
                times.append(elapsed)
                queries = len(captured)
        return times, queries

    pages = max(total // 100, 1)
    results = {
        "filter userName eq": (
            timed(lambda i: f'/scim/v2/Users?filter=userName eq "{emails[i % len(emails)]}"'),
            FILTER_TARGET_MS,
        ),
        "page of 100": (
            timed(
                lambda i: f"/scim/v2/Users?startIndex={rng.randrange(pages) * 100 + 1}&count=100"
            ),
            PAGE_TARGET_MS,
        ),
    }
    print(f"SCIM at {total:,} people on {connection.vendor}, {args.repeat} requests each")
    for name, ((times, queries), target) in results.items():
        p95 = statistics.quantiles(times, n=20)[-1]
        verdict = "ok" if p95 < target else "OVER TARGET"
        print(
            f"  {name}: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms "
            f"(target {target:.0f}), {queries} queries — {verdict}"
        )


if __name__ == "__main__":
    main()
