"""Calibration and fairness at 100,000 people (issue 14): the calibration session page at
about 200 participants, the calibration cycle page, the fairness page and endpoint (raw and
calibrated) and the rater-effects endpoint, timed for the HR admin; and the finished
cycle's rater effects computed by the background task's body, in this process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_perfbench \\
        PYTHONPATH=src .venv/bin/python bench/calibration.py [--people 100000] [--repeat 20]

The database is bench/pages.py's (build it first; migrate it after new migrations). The
first run fills what the demo would (idempotently, kept afterwards): protected attributes
for everyone (`fairness.demo`, bulk; the HR admin gets the people-analytics role), and a
calibration session named "Bench: about 200 people" of the finished cycle, created through
`calibration.services.create_session` with the first participants in reporting-tree
order (whole teams side by side, as a session of a manager's organisation has).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from org import child_env, database_url, percentile

SESSION_NAME = "Bench: about 200 people"
SESSION_SIZE = 200
HR_EMAIL = "hr@demo.tandem.test"


def _fill(hr: object) -> tuple[object, object]:
    """The protected attributes and the session (each only once); returns (cycle, session)."""
    from django.utils import timezone

    from tandem.calibration import services as calibration_services
    from tandem.calibration.models import ScopeKind, Session
    from tandem.fairness import demo as fairness_demo
    from tandem.fairness.models import PersonAttribute
    from tandem.reviews.queries import ratings

    cycle = ratings.finished_cycles().first()
    assert cycle is not None, "no finished cycle: build the database with bench/pages.py"
    if not PersonAttribute.objects.exists():
        started = time.perf_counter()
        fairness_demo.load_demo(seed=2024, today=timezone.localdate(), progress=lambda *_: None)
        print(
            f"protected attributes: {PersonAttribute.objects.count():,} rows in "
            f"{time.perf_counter() - started:.1f} s"
        )
    session = Session.objects.filter(cycle=cycle, name=SESSION_NAME).first()
    if session is None:
        picked = list(
            ratings.rated_participants(cycle)
            .filter(raw_rating__isnull=False)
            .exclude(pk__in=calibration_services._already_in_session(cycle))
            .order_by("path", "pk")
            .values_list("pk", flat=True)[:SESSION_SIZE]
        )
        started = time.perf_counter()
        session = calibration_services.create_session(
            hr,
            cycle,
            name=SESSION_NAME,
            scope_kind=ScopeKind.MANUAL,
            participant_ids=picked,
            facilitator_ids=[hr.pk],  # type: ignore[attr-defined]
        )
        print(f"session created in {time.perf_counter() - started:.1f} s")
    return cycle, session


def _rater_effects(hr: object, cycle: object) -> None:
    """The background task's body on the finished cycle, timed in this process."""
    from tandem.fairness.models import RaterEffects
    from tandem.fairness.services import rater_effects

    started = time.perf_counter()
    rater_effects.refresh(by=hr, cycle=cycle)  # queues it (and gives the row)
    refresh_ms = (time.perf_counter() - started) * 1000
    row = RaterEffects.objects.get(cycle=cycle)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    status = rater_effects.compute(rater_effects_id=row.pk)
    seconds = time.perf_counter() - started
    row.refresh_from_db()
    summary = row.summary or {}
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rater effects (load average {load:.2f} at the start): refresh {refresh_ms:.0f} ms")
    print(
        "| status | observations | ratees | raters | task s | task peak MB (tracemalloc) "
        "| process max RSS MB | raters shown | adjusted |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {status} | {summary.get('observations', 0):,} | {summary.get('ratees', 0):,} | "
        f"{summary.get('raters', 0):,} | {seconds:.1f} | {summary.get('peak_memory_mb')} | "
        f"{rss:.0f} | {len(row.raters or []):,} | {len(row.adjusted or {}):,} |"
    )
    if row.error:
        print("error:", row.error)


def _time(hr: object, urls: list[tuple[str, str]], repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(hr)  # type: ignore[arg-type]
    print(f"pages (load average {os.getloadavg()[0]:.2f} at the start)")
    print("| page | p50 ms | p95 ms | queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        print(
            f"| {name} `{url}` | {statistics.median(times):.1f} | "
            f"{percentile(times, 95):.1f} | {len(captured)} |"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


def child(repeat: int, what: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # Always: the calibration and fairness apps bring static files of their own.
    call_command("collectstatic", verbosity=0, interactive=False)

    from tandem.calibration.models import Entry
    from tandem.org.models import Person

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if connection.vendor == "postgresql" else "SELECT 1")
        version = cursor.fetchone()[0]
    hr = Person.objects.get(email=HR_EMAIL)
    cycle, session = _fill(hr)
    entries = Entry.objects.filter(session=session).count()
    print(
        f"{connection.vendor} {version}, {Person.objects.count():,} people, nproc "
        f"{os.cpu_count()}, session {session.pk} with {entries} people, cycle {cycle.pk}"  # type: ignore[attr-defined]
    )
    if what in ("all", "rater-effects"):
        _rater_effects(hr, cycle)
    if what in ("all", "pages"):
        c = cycle.pk  # type: ignore[attr-defined]
        fairness = f"/api/v1/reviews/cycles/{c}/fairness?attribute=gender"
        urls = [
            ("session page", f"/calibration/sessions/{session.pk}/"),  # type: ignore[attr-defined]
            ("calibration cycle page", f"/calibration/cycles/{c}/"),
            ("fairness page", f"/hr/fairness/cycles/{c}/?attribute=gender"),
            ("fairness API, raw", fairness + "&stage=raw"),
            ("fairness API, calibrated", fairness + "&stage=calibrated"),
            ("rater-effects API", f"/api/v1/reviews/cycles/{c}/rater-effects"),
        ]
        _time(hr, urls, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--what", choices=["all", "pages", "rater-effects"], default="all")
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
