"""The manager's weekly digest ("This week for your team", team.weekly) on a demo company:
how long one Monday's run takes, how many queries, per batch of managers; then a second
run the same day (everything already sent: nothing new).

    PYTHONPATH=src .venv/bin/python bench/team.py [--people 10000] [--repeat 3]
    PYTHONPATH=src .venv/bin/python bench/team.py --what hub [--people 100000] [--repeat 20]

`--what hub` times the CEO's team hub instead (direct reports and the whole company, both
orders, the page and the API).

The database is bench/org.py's (DATABASE_URL for PostgreSQL, else var/bench/org-10k.sqlite3;
build it first with bench/pages.py or bench/org.py). Each run is rolled back, so the
database is left as it was and no e-mail is queued.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from org import child_env, database_url

HUB_URLS = (
    "/team/",
    "/team/?sort=name",
    "/team/?view=all",
    "/team/?view=all&sort=name",
    "/api/v1/team/",
    "/api/v1/team/?subtree=true",
    "/api/v1/team/?subtree=true&sort=name",
)


def hub(repeat: int) -> None:
    """The team hub for the CEO (their direct reports, and the whole company below them)
    and for a first-line manager of about ten reports: p50/p95 of server time and the
    query count, after a warm-up."""
    from django.db.models import Count, Q

    from tandem.org.models import Person

    active_reports = Count("reports", filter=~Q(reports__status="left"))
    ceo = (
        Person.objects.filter(manager__isnull=True, is_active=True)
        .annotate(n=active_reports)
        .order_by("-n")
        .first()
    )
    assert ceo is not None
    below = Person.objects.filter(path__startswith=ceo.path).count() - 1
    print(f"the CEO: {below:,} people below, load average {os.getloadavg()[0]:.2f}")
    _time_pages(ceo, HUB_URLS, repeat)
    # A first-line manager: ten direct reports (or the nearest above), none of them managers.
    manager = (
        Person.objects.filter(is_active=True)
        .annotate(n=active_reports, managers_below=Count("reports__reports"))
        .filter(n__gte=10, managers_below=0)
        .order_by("n", "pk")
        .first()
    )
    if manager is not None:
        reports = manager.reports.exclude(status="left").count()
        print(f"a first-line manager: {reports} direct reports")
        _time_pages(manager, ("/team/", "/api/v1/team/"), repeat)


def _time_pages(person: object, urls: tuple[str, ...], repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    print("| page | p50 ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for url in urls:
        client.get(url)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        times.sort()
        p95 = times[max(0, round(len(times) * 0.95) - 1)]
        print(f"| `{url}` | {statistics.median(times):.1f} | {p95:.1f} | {len(captured)} |")


def child(repeat: int, what: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    if what == "hub":
        hub(repeat)
        return

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tandem.team import weekly

    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    managers = 0
    after = 0
    while batch := weekly.managers_after(after, today=monday):
        managers += len(batch)
        after = batch[-1].pk
    print(
        f"database {connection.vendor}, Monday {monday}, {managers:,} managers, "
        f"batches of {weekly.BATCH_SIZE}, load average {os.getloadavg()[0]:.2f}"
    )
    firsts, seconds = [], []
    for _ in range(repeat):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as first_queries:
                start = time.perf_counter()
                run = weekly.send_team_weeks(monday)
                firsts.append(time.perf_counter() - start)
            with CaptureQueriesContext(connection) as second_queries:
                start = time.perf_counter()
                again = weekly.send_team_weeks(monday)
                seconds.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    batches = -(-managers // weekly.BATCH_SIZE)
    print("| run | managers | sent | median s | max s | queries | queries per batch |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, times, result, queries in (
        ("first (Monday)", firsts, run, first_queries),
        ("second, same day", seconds, again, second_queries),
    ):
        print(
            f"| {name} | {result.managers:,} | {result.sent:,} | "
            f"{statistics.median(times):.2f} | {max(times):.2f} | {len(queries)} | "
            f"{len(queries) / max(batches, 1):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--what", choices=["digest", "hub"], default="digest", help="the digest, or the CEO's hub"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.repeat, args.what)
        return
    env = child_env(database_url(args.people))
    command = [sys.executable, __file__, "--child", "--repeat", str(args.repeat)]
    command += ["--what", args.what]
    # Our own script, our own arguments.
    raise SystemExit(subprocess.call(command, env=env))  # noqa: S603


if __name__ == "__main__":
    main()
