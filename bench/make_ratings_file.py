"""Write a ratings history for the people already in the database, for benchmarking
`tandem import-ratings`.

    DATABASE_URL=... .venv/bin/python bench/make_ratings_file.py --cycles 2 --out var/r.csv

Each half-year cycle before today: every person with a manager gets a manager rating, a
self rating and two peer ratings (teammates), on a 5-point scale — about 4 rows per person
per cycle, so 100,000 people and 1 cycle make ~400,000 rows. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

HEADER = [
    "cycle",
    "period_start",
    "period_end",
    "employee_id",
    "reviewer_employee_id",
    "relationship",
    "rating",
    "scale_points",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cycles", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()
    from tandem.org.models import Person, PersonStatus

    rng = random.Random(args.seed)
    people = list(
        Person.objects.exclude(status=PersonStatus.LEFT)
        .exclude(employee_id=None)
        .order_by("pk")
        .values_list("pk", "employee_id", "manager_id")
    )
    eid = {pk: e for pk, e, _ in people}
    teams: dict[int, list[int]] = defaultdict(list)
    for pk, _, manager in people:
        if manager in eid:
            teams[manager].append(pk)
    rows = 0
    with args.out.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for index in range(args.cycles):
            year = 2020 + index // 2
            start, end = (
                (date(year, 1, 1), date(year, 6, 30))
                if index % 2 == 0
                else (date(year, 7, 1), date(year, 12, 31))
            )
            name = f"Review {start:%b}–{end:%b %Y}"
            for pk, employee, manager in people:
                if manager not in eid:
                    continue
                level = rng.gauss(3.2, 0.8)
                rating = max(1, min(5, round(level)))
                common = [name, start.isoformat(), end.isoformat(), employee]
                writer.writerow([*common, eid[manager], "manager", rating, 5])
                writer.writerow([*common, "", "self", max(1, min(5, rating + 1)), 5])
                mates = [m for m in teams[manager] if m != pk]
                for peer in rng.sample(mates, min(2, len(mates))):
                    writer.writerow(
                        [
                            *common,
                            eid[peer],
                            "peer",
                            max(1, min(5, round(level + rng.gauss(0, 0.7)))),
                            5,
                        ]
                    )
                    rows += 1
                rows += 2
    print(f"{rows} rows written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
