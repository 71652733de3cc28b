"""Benchmark the goals pages on a 100,000-person company holding ~5 goals a person.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench .venv/bin/python bench/goals.py

The company is `tandem demo` with GOALS_PER_PERSON raised to 5 individual goals a person
(plus team goals for every manager, company goals, a closed previous period) with key
results and 12 weeks of check-ins and weekly priorities. Its database is named like
bench/org.py's, with "goals" in front of "bench" (tandem_bench -> tandem_goalsbench100k;
SQLite: var/bench/goals-100k.sqlite3), so the org benchmark's company is left as it is.
A database that already holds the goals company is reused.

Measured (server time, django.test.Client in-process, after a warm-up; like bench/org.py):
the alignment tree root and an expand, "my goals" (and its weekly check-in partial), "my
team's goals" for the manager of ~2,000 people in the whole-organisation view, the coverage
page, and the company-wide coverage figure computed in SQL on its own. For anything over
target, the slowest SQL statements of one request are explained (EXPLAIN ANALYZE on
PostgreSQL) into var/bench/goals-explain.txt. Results go to the "Goals" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_spec = importlib.util.spec_from_file_location("bench_org", Path(__file__).with_name("org.py"))
assert _spec is not None and _spec.loader is not None
org_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(org_bench)

ROOT = org_bench.ROOT
DOCS = org_bench.DOCS
BENCH_VAR = org_bench.BENCH_VAR
TARGET_MS = org_bench.TARGET_MS
COVERAGE_TARGET_MS = 1000.0
SEED = org_bench.SEED
GOALS_PER_PERSON = 5
TEAM_SIZE = 2000
EXPLAIN = BENCH_VAR / "goals-explain.txt"
label = org_bench.label
percentile = org_bench.percentile
explain = org_bench.explain


def database_url(size: int) -> str:
    """bench/org.py's database for this size, with "goals" in its name."""
    url = org_bench.database_url(size)
    if url.startswith("sqlite"):
        return url.replace("/org-", "/goals-")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    name = name.replace("bench", "goalsbench", 1) if "bench" in name else f"{name}_goals"
    return urlunsplit(parts._replace(path=f"/{name}"))


# --- The child: one database, measured -----------------------------------------------------


def build(size: int, err: Any) -> float | None:
    from django.core.management import call_command
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tandem.goals import demo as goals_demo
    from tandem.goals.models import Goal
    from tandem.org import demo
    from tandem.org.models import Person

    if Person.objects.count() == size and Goal.objects.exists():
        err.print(f"[{label(size)}] reusing the existing goals company of {size:,} people")
        return None
    if Person.objects.exists():
        err.print(f"[{label(size)}] emptying the database")
        call_command("flush", verbosity=0, interactive=False)
    goals_demo.GOALS_PER_PERSON = (GOALS_PER_PERSON, GOALS_PER_PERSON)
    bar = Progress(
        TextColumn(f"[{label(size)}] " + "{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
    )
    task = bar.add_task("generating", total=None)
    started = time.perf_counter()
    with bar:
        demo.load_demo(
            people=size,
            seed=SEED,
            progress=lambda stage, done, total: bar.update(
                task, description=stage, completed=done, total=max(total, done)
            ),
        )
    return round(time.perf_counter() - started, 1)


def run_child(size: int, repeat: int) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rich.console import Console

    from tandem.goals import coverage as coverage_queries
    from tandem.goals.models import CheckIn, Goal, GoalLevel, KeyResult, WeeklyCheckIn
    from tandem.goals.queries.goals import current_period
    from tandem.org import demo
    from tandem.org.models import Person, PersonStatus

    err = Console(file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    if not (BENCH_VAR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)
    result: dict[str, Any] = {"size": size, "vendor": connection.vendor}
    result["build_seconds"] = build(size, err)

    result["db_version"] = org_bench.settle_database()

    period = current_period(timezone.localdate())
    assert period is not None, "the demo made a current period"
    active = Person.objects.exclude(status=PersonStatus.LEFT)
    result["counts"] = {
        "people": Person.objects.count(),
        "goals": Goal.objects.count(),
        "current goals": Goal.objects.filter(period=period).count(),
        "key results": KeyResult.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "weekly check-ins": WeeklyCheckIn.objects.count(),
    }
    err.print(f"[{label(size)}] {result['counts']}")

    hr = Person.objects.get(email=f"hr@{demo.DEMO_DOMAIN}")
    # The manager of ~2,000 people: the one whose subtree is closest to TEAM_SIZE, counted
    # from the materialized paths (every id in a path gains one person below it).
    below: dict[int, int] = {}
    for path in active.values_list("path", flat=True):
        for ancestor in path.strip("/").split("/")[:-1]:
            below[int(ancestor)] = below.get(int(ancestor), 0) + 1
    team_manager_pk, team_size = min(below.items(), key=lambda s: (abs(s[1] - TEAM_SIZE), s[0]))
    team_manager = Person.objects.get(pk=team_manager_pk)
    result["team_manager"] = {"name": team_manager.display_name, "people": team_size}
    err.print(f"[{label(size)}] team page as {team_manager.display_name} ({team_size:,} people)")

    owners = list(
        Goal.objects.filter(period=period, level=GoalLevel.INDIVIDUAL)
        .order_by("owner_id")
        .values_list("owner_id", flat=True)
        .distinct()[: max(repeat, 30) * 50 : 50]
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in=owners)}
    wide = list(
        Goal.objects.filter(period=period)
        .annotate(n=Count("children"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[: max(repeat, 30)]
    )

    def cycle(items: list[Any]) -> Callable[[int], Any]:
        return lambda i: items[i % len(items)]

    hx = {"HTTP_HX_REQUEST": "true"}
    # (name, who, url, headers, target)
    scenarios: list[tuple[str, Callable[[int], Any], Callable[[int], str], dict[str, str], float]]
    scenarios = [
        (
            "alignment tree root (/goals/tree/)",
            lambda i: hr,
            lambda i: "/goals/tree/",
            {},
            TARGET_MS,
        ),
        (
            "alignment tree expand (/goals/tree/<id>/children/)",
            lambda i: hr,
            lambda i: f"/goals/tree/{cycle(wide)(i)}/children/",
            hx,
            TARGET_MS,
        ),
        (
            "my goals (/goals/)",
            lambda i: people[cycle(owners)(i)],
            lambda i: "/goals/",
            {},
            TARGET_MS,
        ),
        (
            "my goals: weekly check-in partial (/goals/weekly/)",
            lambda i: people[cycle(owners)(i)],
            lambda i: "/goals/weekly/",
            hx,
            TARGET_MS,
        ),
        (
            f"my team's goals, whole organisation (~{team_size:,} people)",
            lambda i: team_manager,
            lambda i: "/goals/team/?scope=all",
            {},
            TARGET_MS,
        ),
        (
            "coverage page, HR admin (/goals/coverage/)",
            lambda i: hr,
            lambda i: "/goals/coverage/",
            {},
            COVERAGE_TARGET_MS,
        ),
    ]
    client = Client()
    signed_in: Any = None
    measurements = []
    explanations = []
    for name, who, url_for, headers, target in scenarios:
        for i in range(5):
            if who(i) != signed_in:
                signed_in = who(i)
                client.force_login(signed_in)
            client.get(url_for(i), **headers)
        samples = []
        for i in range(repeat):
            if who(i) != signed_in:
                signed_in = who(i)
                client.force_login(signed_in)
            url = url_for(i)
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            samples.append(elapsed)
        with CaptureQueriesContext(connection) as captured:
            client.get(url_for(0), **headers)
        row = {
            "name": name,
            "p50": round(statistics.median(samples), 1),
            "p95": round(percentile(samples, 95), 1),
            "max": round(max(samples), 1),
            "samples": len(samples),
            "queries": len(captured.captured_queries),
            "target": target,
        }
        measurements.append(row)
        err.print(f"[{label(size)}] {name}: p95 {row['p95']} ms, {row['queries']} queries")
        if row["p95"] >= target:
            explanations.append(explain(name, client, url_for(0), headers))

    # Company-wide coverage on its own: the SQL figure, no page around it.
    samples = []
    for i in range(5 + repeat):
        started = time.perf_counter()
        figure = coverage_queries.company_coverage(period)
        if i >= 5:
            samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        coverage_queries.company_coverage(period)
    measurements.append(
        {
            "name": "company-wide coverage figure (SQL, coverage.company_coverage)",
            "p50": round(statistics.median(samples), 1),
            "p95": round(percentile(samples, 95), 1),
            "max": round(max(samples), 1),
            "samples": len(samples),
            "queries": len(captured.captured_queries),
            "target": COVERAGE_TARGET_MS,
        }
    )
    result["coverage_figure"] = str(figure)
    err.print(f"[{label(size)}] coverage: p95 {measurements[-1]['p95']} ms ({figure})")
    if measurements[-1]["p95"] >= COVERAGE_TARGET_MS or connection.vendor == "postgresql":
        explanations.append(
            "\n".join(
                [f"== company coverage ({len(captured.captured_queries)} queries)"]
                + [q["sql"] for q in captured.captured_queries]
            )
        )
    result["measurements"] = measurements
    if explanations:
        EXPLAIN.parent.mkdir(parents=True, exist_ok=True)
        EXPLAIN.write_text("\n\n".join(explanations))
        result["explain"] = str(EXPLAIN.relative_to(ROOT))
    return result


# --- The parent ------------------------------------------------------------------------------


def render_section(result: dict[str, Any], command: str) -> str:
    vendor = result["vendor"]
    box = org_bench.machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    counts = ", ".join(f"{n:,} {k}" for k, n in result["counts"].items())
    lines = [
        f"<!-- bench:goals:{vendor} -->",
        f"### Goals on {result['db_version']}, {result['size']:,} people",
        "",
        f"Run {when} with `{command}`.",
        "",
        f"Machine: {box['cpu']}, `nproc` = {box['nproc']}, Python {box['python']}; load "
        f"average {box['load']} when the run ended.",
        "",
        f"Data: {counts}.",
        "",
        "| measurement | p50 ms | p95 ms | max ms | queries | target p95 |",
        "|---|---|---|---|---|---|",
    ]
    for m in result["measurements"]:
        verdict = "" if m["p95"] < m["target"] else " **over**"
        lines.append(
            f"| {m['name']} | {m['p50']} | {m['p95']}{verdict} | {m['max']} | {m['queries']} "
            f"| < {m['target']:.0f} ms |"
        )
    build = result["build_seconds"]
    lines += [
        "",
        f'{result["measurements"][0]["samples"]} samples each; "my goals" cycles through '
        f"{GOALS_PER_PERSON}-goal people, the expand through the goals with the most children, "
        f"the team page is {result['team_manager']['name']}'s whole organisation "
        f"({result['team_manager']['people']:,} people). Company coverage: "
        f"{result['coverage_figure']}.",
        "",
        "- goals company " + (f"built in {build} s." if build else "reused (built earlier)."),
        "",
        f"<!-- /bench:goals:{vendor} -->",
    ]
    return "\n".join(lines)


GOALS_HEADER = """## Goals

`bench/goals.py` builds the demo company with 5 individual goals a person (plus team and
company goals, key results, 12 weeks of check-ins and weekly priorities) in its own
database and measures the goals pages. Targets: pages p95 < 150 ms, the company-wide
coverage figure < 1 s (computed in SQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench .venv/bin/python bench/goals.py
"""


def write_docs(section: str, vendor: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else org_bench.DOC_HEADER
    pattern = re.compile(rf"<!-- bench:goals:{vendor} -->.*?<!-- /bench:goals:{vendor} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    elif "\n## Goals\n" in text:
        text = text.rstrip() + "\n\n" + section + "\n"
    else:
        text = text.rstrip() + "\n\n" + GOALS_HEADER + "\n" + section + "\n"
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=40, help="samples per measurement (≥30)")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeat = max(args.repeat, 30)
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_child(args.child, args.repeat)))
        return

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    url = database_url(args.people)
    if url.startswith("postgres"):
        org_bench.ensure_postgres_database(url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TANDEM_VAR_DIR": str(BENCH_VAR),
        "TANDEM_DEBUG": "false",
        "TANDEM_HTTPS": "false",
        "TANDEM_SECRET_KEY": os.environ.get("TANDEM_SECRET_KEY", "bench-" + "x" * 50),
    }
    child = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        [sys.executable, __file__, "--child", str(args.people), "--repeat", str(args.repeat)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"the goals benchmark failed (exit {child.returncode})")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    for m in result["measurements"]:
        flag = "  OVER" if m["p95"] >= m["target"] else ""
        print(f"{m['name']:<70} p50 {m['p50']:>8} p95 {m['p95']:>8} q {m['queries']}{flag}")
    if result["build_seconds"] is not None:
        print(f"goals company built in {result['build_seconds']} s")
    print(json.dumps(result["counts"]))
    if result.get("explain"):
        print(f"plans of the slow requests: {result['explain']}")
    if not args.no_docs:
        command = shlex.join([".venv/bin/python", "bench/goals.py", *sys.argv[1:]])
        if os.environ.get("DATABASE_URL"):
            command = f"DATABASE_URL={os.environ['DATABASE_URL']} {command}"
        write_docs(render_section(result, command), result["vendor"])
        print(f"Wrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
