"""Growth at 100,000 people (issue 15): the committee view of the running promotion window
topped up to `--cases` cases, a promotion case page and its evidence, and "where I stand".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_demo100k \\
        TANDEM_STATIC_ROOT=/work/main/var/bench/static PYTHONPATH=src \\
        .venv/bin/python bench/growth.py [--cases 500] [--repeat 20] [--analyze]

It runs on whatever database DATABASE_URL names (a demo company: `tandem demo`), inside one
transaction that is rolled back at the end: nothing it writes stays. The running window
(the newest one not closed) is topped up to `--cases` cases with the rows the growth
services would write (`open_case` then `submit_case`, and a skip-level manager's
`comment` on about half of them): placed people of every track and level with a manager,
each to the next level of their track, in review, with the case text the demo writes. The
rows are written in bulk (the services' audit events are left out: no page reads them),
then the two tables analyzed as autovacuum would (the statistics roll back too).

Each page is then requested with django.test.Client, once to warm up and `--repeat` times
measured: wall and CPU time (`time.process_time()`) p50 / p95, and the number of queries.
The targets: p95 < 150 ms (the committee view: < 300 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from org import machine, measure, setup_django_in_process

HR_EMAIL = "hr@demo.tandem.test"
DEMO = "@demo.tandem.test"


def _top_up(window: Any, cases: int, seed: int) -> int:
    """Bulk rows for the window up to `cases` cases (what open_case + submit_case + comment
    write); returns how many were added."""
    from django.db import connection
    from django.utils import timezone

    from tandem.growth.demo import promotions as demo
    from tandem.growth.models import CaseComment, CaseStatus, FrameworkVersion, PromotionCase
    from tandem.org.models import Person

    missing = cases - PromotionCase.objects.filter(window=window).count()
    if missing <= 0:
        return 0
    rng = random.Random(seed)  # bench data from the seed
    taken = set(PromotionCase.objects.filter(window=window).values_list("person_id", flat=True))
    found = demo._candidates(demo._ladders(), rng, missing * 2, placed_before=window.opens_on)
    chosen = [(p, t) for p, t in found if p.person_id not in taken][:missing]
    versions: dict[int, int] = {}
    for version in FrameworkVersion.objects.order_by("track_id", "-number"):
        versions.setdefault(version.track_id, version.pk)
    now = timezone.now()
    rows = [
        PromotionCase(
            window=window,
            person=placement.person,
            author_id=demo._manager_of(placement.person),
            from_level_id=placement.level_id,
            target_level=target,
            framework_version_id=versions.get(placement.track_id),
            text=demo._text(rng, placement.person, target),
            status=CaseStatus.IN_REVIEW,
            submitted_at=now,
        )
        for placement, target in chosen
    ]
    PromotionCase.objects.bulk_create(rows)
    skip_of = dict(
        Person.objects.filter(pk__in={c.author_id for c in rows}).values_list("pk", "manager_id")
    )
    comments = [
        CaseComment(case=case, author_id=skip_of[case.author_id], text=rng.choice(demo.COMMENTS))
        for case in rows
        if skip_of.get(case.author_id) and rng.random() < 0.5
    ]
    CaseComment.objects.bulk_create(comments)
    # PostgreSQL's autovacuum would analyze the tables after so many new rows; without it
    # the planner guesses the window's size from the old statistics (in this transaction,
    # rolled back with it).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE growth_promotioncase, growth_casecomment")
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="ANALYZE every table first (rolled back too): for a freshly built database "
        "that autovacuum has not analyzed yet",
    )
    args = parser.parse_args()
    setup_django_in_process()
    from django.db import transaction

    with transaction.atomic():
        try:
            return _run(args)
        finally:
            transaction.set_rollback(True)  # nothing written stays


def _run(args: argparse.Namespace) -> int:
    """The top-up and the table, inside main's transaction."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tandem.access.models import Role, RoleGrant
    from tandem.growth.models import PromotionCase, PromotionWindow
    from tandem.org.models import Person

    if args.analyze and connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"analyzed every table in {time.perf_counter() - started:.1f} s")
    window = PromotionWindow.objects.filter(closed_at=None).order_by("-opens_on").first()
    if window is None:
        print("no running promotion window: load the demo first", file=sys.stderr)
        return 1
    before = PromotionCase.objects.filter(window=window).count()
    started = time.perf_counter()
    added = _top_up(window, args.cases, args.seed)
    top_up_s = time.perf_counter() - started
    people = {p.email.split("@")[0]: p for p in Person.objects.filter(email__endswith=DEMO)}
    hr = people["hr"]
    admins = set(RoleGrant.objects.filter(role=Role.HR_ADMIN).values_list("person_id", flat=True))
    member = window.committee.exclude(pk__in=admins).order_by("pk").first()
    assert member is not None, "no committee member who is not an HR admin"
    own = (
        PromotionCase.objects.filter(window=window, person=people["employee"]).first()
        or PromotionCase.objects.filter(window=window, author=people["manager"]).first()
    )
    assert own is not None, "no case written by the demo manager"
    author = own.author
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(",")[0]
    info = machine()
    print(
        f"{version}; {Person.objects.count():,} people; window {window.pk} "
        f"“{window.name}”: {before} cases + {added} added in {top_up_s:.1f} s = "
        f"{PromotionCase.objects.filter(window=window).count()}; case {own.pk} "
        f"(author {author.email}); repeat {args.repeat}"
    )
    print(f"nproc {info['nproc']}, {info['cpu']}, load average {info['load']} at the start")
    win = reverse("growth:promotion_window", args=[window.pk])
    case = reverse("growth:promotion_case", args=[own.pk])
    evidence = f"/api/v1/growth/promotion-cases/{own.pk}/evidence"
    me, me_api = reverse("growth:me"), "/api/v1/growth/me"
    plan = [
        ("committee view", "HR admin", hr, win, 300),
        ("committee view", f"committee member ({member.email.split('@')[0]})", member, win, 300),
        ("promotion case", "HR admin", hr, case, 150),
        ("promotion case", "author (manager)", author, case, 150),
        ("case evidence API", "HR admin", hr, evidence, 150),
        ("case evidence API", "author (manager)", author, evidence, 150),
        ("where I stand", "employee", people["employee"], me, 150),
        ("where I stand", "manager", people["manager"], me, 150),
        ("where I stand API", "employee", people["employee"], me_api, 150),
        ("where I stand API", "manager", people["manager"], me_api, 150),
    ]
    print(
        "| page | as | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms | queries "
        "| SQL ms | target p95 |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    over = []
    for name, who, person, url, target in plan:
        client = Client()
        client.force_login(person)
        got = measure(partial(client.get, url), args.repeat, label=url)
        if got["p95"] >= target:
            over.append(f"{name} as {who}")
        print(
            f"| {name} `{url}` | {who} | {got['p50']:.1f} | {got['p95']:.1f} | "
            f"{got['cpu50']:.1f} | {got['cpu95']:.1f} | {got['queries']} | "
            f"{got['sql']:.1f} | < {target} |"
        )
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("over target (wall p95):", ", ".join(over) if over else "none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
