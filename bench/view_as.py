""""View as" (issue 16): a preview page against the same page for its real viewer.

For a sample employee and a sample manager of the demo, each page is requested as the
person themselves and as the HR admin previewing them (`/hr/view-as/<id>/<page>/`), each
`--repeat` times after one warm-up, and the p50 / p95 and their ratio printed. The target:
a preview within 1.5x the time of the real page. A preview writes its audit record on the
first look at a page of a person in an hour (site/view_as.py, `needs_record`); the last
columns time that first look, the cache's note of it forgotten before each sample.

    DATABASE_URL=sqlite:////tmp/viewas.sqlite3 PYTHONPATH=src .venv/bin/tandem migrate
    DATABASE_URL=sqlite:////tmp/viewas.sqlite3 PYTHONPATH=src .venv/bin/tandem demo --people 300
    DATABASE_URL=sqlite:////tmp/viewas.sqlite3 PYTHONPATH=src \\
        .venv/bin/python bench/view_as.py [--repeat 30]

It runs on whatever database DATABASE_URL names (bench/pages.py's 100k PostgreSQL one
too). Each preview writes its audit record, as in production.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from org import setup_django_in_process  # bench/ is not a package: found through sys.path


def _time(
    client: object, url: str, repeat: int, before: Callable[[], None] | None = None
) -> tuple[float, float, int]:
    """p50 and p95 in ms, and the status of the last answer; `before` runs before each
    request, untimed."""
    samples = []
    status = 0
    client.get(url)  # type: ignore[attr-defined]
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(samples), p95, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django_in_process()
    from django.core.cache import cache
    from django.test import Client
    from django.urls import reverse

    from tandem.access.models import Role, RoleGrant
    from tandem.org.models import Person
    from tandem.site.view_as import record_key, sample_person

    hr = Person.objects.filter(
        pk__in=RoleGrant.objects.filter(role=Role.HR_ADMIN).values("person_id")
    ).first()
    if hr is None:
        print("no HR admin: load the demo first (tandem demo)", file=sys.stderr)
        return 1
    hr_client = Client()
    hr_client.force_login(hr)
    print(f"people: {Person.objects.count():,}; repeat {args.repeat}")

    def forget_record(person_id: int, page: str) -> Callable[[], None]:
        # Only this preview's note: never a clear() of a cache others may share.
        return lambda: cache.delete(record_key(hr.pk, person_id, page))

    print(
        "| person | page | real p50 | real p95 | preview p50 | preview p95 | p95 ratio "
        "| first look p50 | first look p95 | its p95 ratio |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = worst_first = 0.0
    for role in ("employee", "manager"):
        person = sample_person(role)
        assert person is not None, f"no {role} in the demo"
        own = Client()
        own.force_login(person)
        to = f"&to={person.manager_id}" if person.manager_id else ""
        pages = {
            "home": reverse("home"),
            "program": reverse("program:detail"),
            "feedback-with_manager": reverse("feedback:give") + "?visibility=with_manager" + to,
        }
        for page, real_url in pages.items():
            real50, real95, real_status = _time(own, real_url, args.repeat)
            preview_url = reverse("site:view_as_page", args=[person.pk, page])
            prev50, prev95, prev_status = _time(hr_client, preview_url, args.repeat)
            first50, first95, first_status = _time(
                hr_client, preview_url, args.repeat, before=forget_record(person.pk, page)
            )
            assert real_status == prev_status == first_status == 200, (page, real_status)
            ratio, first_ratio = prev95 / real95, first95 / real95
            worst = max(worst, ratio)
            worst_first = max(worst_first, first_ratio)
            print(
                f"| {role} | {page} | {real50:.1f} | {real95:.1f} | {prev50:.1f} | "
                f"{prev95:.1f} | {ratio:.2f} | {first50:.1f} | {first95:.1f} | {first_ratio:.2f} |"
            )
    print(f"worst p95 ratio: {worst:.2f} (target <= 1.5)")
    print(f"worst p95 ratio of a first look (writes the audit record): {worst_first:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
