"""Benchmark the org pages and API on a 10,000- and a 100,000-person company.

    .venv/bin/python bench/org.py [--people 10000 100000] [--repeat 40]

The database is DATABASE_URL when it is set (PostgreSQL: one database per size, named
after the one in the URL plus the size, e.g. tandem_bench -> tandem_bench10k and
tandem_bench100k, created when missing), else a SQLite file per size under var/bench/.
A database that already holds a demo company of the right size is reused.

Each size runs in its own process (Django's settings are per process). Times are SERVER
times: requests go through django.test.Client in-process, timed with perf_counter, after a
warm-up, signed in as an HR admin (who sees the most). The figures and the machine are
written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BENCH_VAR = ROOT / "var" / "bench"
TARGET_MS = 150.0
IMPORT_TARGET_S = 20.0
IMPORT_ROWS = 10_000
SEED = 2024


def label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def database_url(size: int) -> str:
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        name = parts.path.lstrip("/") or "tandem_bench"
        return urlunsplit(parts._replace(path=f"/{name}{label(size)}"))
    return f"sqlite:///{BENCH_VAR / f'org-{label(size)}.sqlite3'}"


def derived_database_url(size: int, tag: str, script: str) -> str:
    """This size's PostgreSQL database with `tag` in its name (tandem_bench ->
    tandem_<tag>bench100k), for benchmarks that add their own volume on top of the demo."""
    url = database_url(size)
    if not url.startswith("postgres"):
        raise SystemExit(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://…")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    name = name.replace("bench", f"{tag}bench", 1) if "bench" in name else f"{name}_{tag}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def child_env(url: str) -> dict[str, str]:
    """The environment of a benchmark's child process on database `url`."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "TANDEM_VAR_DIR": str(BENCH_VAR),
        "TANDEM_DEBUG": "false",
        "TANDEM_HTTPS": "false",
        "TANDEM_SECRET_KEY": os.environ.get("TANDEM_SECRET_KEY", "bench-" + "x" * 50),
    }


def setup_django_in_process() -> None:
    """Django set up in this process with production-like settings (no debug toolbar or
    query log), for the scripts that time pages with django.test.Client in-process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    os.environ.setdefault("TANDEM_DEBUG", "false")
    os.environ.setdefault("TANDEM_HTTPS", "false")
    os.environ.setdefault("TANDEM_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("TANDEM_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    # As tandem/wsgi.py does for every web process: pages are timed as production serves them.
    from tandem.core.startup import freeze_startup_objects

    freeze_startup_objects()


def people_in(url: str) -> int:
    """How many people the database at `url` holds (0 before it is migrated)."""
    import psycopg

    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT to_regclass('org_person')").fetchone()
        if not found or found[0] is None:
            return 0
        row = conn.execute("SELECT count(*) FROM org_person").fetchone()
        return int(row[0]) if row else 0


def explain(name: str, client: Any, url: str, headers: dict[str, str]) -> str:
    """The three slowest statements of one request, with their plans on PostgreSQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, **headers)
    slowest = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:3]
    lines = [f"== {name}: {url} ({len(captured.captured_queries)} queries)"]
    for query in slowest:
        lines.append(f"-- {float(query['time']) * 1000:.1f} ms\n{query['sql']}")
        if connection.vendor == "postgresql" and query["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                lines += [row[0] for row in cursor.fetchall()]
        lines.append("")
    return "\n".join(lines)


class PageTimer:
    """Server time of GETs through one in-process client, signed in as each request's
    person (signing in again only when the person changes, outside the timing)."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.signed_in: Any = None

    def get(self, person: Any, url: str, headers: dict[str, str]) -> float:
        if person != self.signed_in:
            self.signed_in = person
            self.client.force_login(person)
        started = time.perf_counter()
        response = self.client.get(url, **headers)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} to {person}")
        return elapsed

    def measure(
        self,
        who: Callable[[int], Any],
        url_for: Callable[[int], str],
        headers: dict[str, str],
        repeat: int,
    ) -> tuple[list[float], list[dict[str, Any]]]:
        """Five warm-ups, `repeat` samples, then the queries of one more request as the first
        person (signed in again beforehand, so the sign-in is not among them)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(5):
            self.get(who(i), url_for(i), headers)
        samples = [self.get(who(i), url_for(i), headers) for i in range(repeat)]
        self.get(who(0), url_for(0), headers)
        with CaptureQueriesContext(connection) as captured:
            self.get(who(0), url_for(0), headers)
        return samples, captured.captured_queries


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- The child: one size, one database --------------------------------------------------


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(
    send: Callable[[], Any], repeat: int, *, ok: tuple[int, ...] = (200,), label: str = ""
) -> dict[str, float]:
    """Time `send()` (one request through django.test.Client) `repeat` times after one
    warm-up: wall and CPU time p50 / p95 in ms; the number of queries and their SQL time
    from one more request. Every answer must have a status in `ok`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def checked() -> Any:
        response = send()
        assert response.status_code in ok, (label, response.status_code, response.content[:300])
        return response

    checked()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        checked()
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        checked()
    return {
        "p50": statistics.median(wall),
        "p95": percentile(wall, 95),
        "cpu50": statistics.median(cpu),
        "cpu95": percentile(cpu, 95),
        "queries": len(captured),
        "sql": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
    }


def settle_database() -> str:
    """What autovacuum does after a bulk load (VACUUM ANALYZE; PRAGMA optimize on SQLite),
    so plans are those of a settled database; returns the engine and its version."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("PRAGMA optimize")
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def run_child(size: int, repeat: int, with_import: bool) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    django.setup()

    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tandem.org import demo
    from tandem.org.models import Person, PersonStatus
    from tandem.org.queries import PAGE_SIZE, encode_cursor

    err = Console(file=sys.stderr)
    call_command("migrate", verbosity=0, interactive=False)
    if not (BENCH_VAR / "static" / "staticfiles.json").exists():
        call_command("collectstatic", verbosity=0, interactive=False)

    result: dict[str, Any] = {"size": size, "vendor": connection.vendor}
    existing = Person.objects.count()
    if existing == size:
        err.print(f"[{label(size)}] reusing the existing company of {size:,} people")
        result["build_seconds"] = None
    else:
        if existing:
            err.print(f"[{label(size)}] {existing:,} people present; emptying the database")
            call_command("flush", verbosity=0, interactive=False)
        bar = Progress(
            TextColumn(f"[{label(size)}] " + "{task.description:<16}"),
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
                    task, description=stage, completed=done, total=total
                ),
            )
        result["build_seconds"] = round(time.perf_counter() - started, 1)

    result["db_version"] = settle_database()

    rng = random.Random(SEED)
    hr = Person.objects.get(email=f"hr@{demo.DEMO_DOMAIN}")
    client = Client()
    client.force_login(hr)

    active = list(
        Person.objects.exclude(status=PersonStatus.LEFT).values_list("pk", "last_name", "title")
    )
    picks = rng.sample(active, max(repeat, 30))
    words = [last.split()[-1].lower() for _, last, _ in picks[: repeat // 2]]
    words += [title.split()[-1].lower() for _, _, title in picks[repeat // 2 :]]
    busiest = list(
        Person.objects.annotate(n=Count("reports", filter=~Q(reports__status=PersonStatus.LEFT)))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .values_list("pk", flat=True)[: max(repeat, 30)]
    )
    ordered = Person.objects.order_by("sort_name", "pk")
    pages = size // PAGE_SIZE
    deep = min(1000, pages - 1)
    cursors: list[str] = []
    for page in range(deep - repeat // 2, deep - repeat // 2 + repeat):
        page = max(2, min(page, pages))
        row = ordered.values("pk", "sort_name")[(page - 1) * PAGE_SIZE - 1]
        cursors.append(encode_cursor(Person(pk=row["pk"], sort_name=row["sort_name"])))

    def cycle(items: list[Any]) -> Callable[[int], Any]:
        return lambda i: items[i % len(items)]

    scenarios: list[tuple[str, Callable[[int], str]]] = [
        ("directory page (/people/)", lambda i: "/people/"),
        ("directory search (/people/?q=…)", lambda i: f"/people/?q={cycle(words)(i)}"),
        ("profile (/people/<id>/)", lambda i: f"/people/{cycle([p[0] for p in picks])(i)}/"),
        (
            "org-chart expand (/org-chart/<id>/children/)",
            lambda i: f"/org-chart/{cycle(busiest)(i)}/children/",
        ),
        ("API people, page 1 (/api/v1/people)", lambda i: "/api/v1/people"),
        (
            "API people, page 1,000 (cursor)*",
            lambda i: f"/api/v1/people?cursor={cycle(cursors)(i)}",
        ),
    ]
    measurements = []
    for name, url_for in scenarios:
        for i in range(5):  # warm-up: caches, template loading, connection
            client.get(url_for(i), HTTP_HX_REQUEST="true" if "org-chart" in name else "")
        samples = []
        for i in range(repeat):
            url = url_for(i)
            headers = {"HTTP_HX_REQUEST": "true"} if "org-chart" in name else {}
            started = time.perf_counter()
            response = client.get(url, **headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            samples.append(elapsed)
        measurements.append(
            {
                "name": name,
                "p50": round(statistics.median(samples), 1),
                "p95": round(percentile(samples, 95), 1),
                "max": round(max(samples), 1),
                "samples": len(samples),
            }
        )
        err.print(f"[{label(size)}] {name}: p95 {measurements[-1]['p95']} ms")
    result["measurements"] = measurements

    if not with_import:
        return result
    commands = get_commands()
    import_command = next((c for c in ("import-people", "import_people") if c in commands), None)
    if importlib.util.find_spec("tandem.org.services.imports") is None or import_command is None:
        result["import"] = {"available": False}
    else:
        result["import"] = time_import(import_command, rng, err)
    return result


def time_import(command: str, rng: random.Random, err: Any) -> dict[str, Any]:
    """Import 10,000 NEW people (managers are existing first-line managers), timed, then
    rolled back so the benchmark database keeps its size and the run can be repeated."""
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count

    from tandem.org.models import Person

    managers = list(
        Person.objects.filter(status="active")
        .annotate(n=Count("reports"))
        .filter(n__gt=0)
        .values_list("employee_id", "department__name", "location", "time_zone")[:2000]
    )
    with tempfile.NamedTemporaryFile(
        "w", suffix=".csv", delete=False, newline="", encoding="utf-8"
    ) as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "employee_id",
                "email",
                "first_name",
                "last_name",
                "title",
                "level",
                "department",
                "manager_employee_id",
                "location",
                "time_zone",
                "start_date",
                "status",
            ]
        )
        for n in range(IMPORT_ROWS):
            manager, department, location, time_zone = rng.choice(managers)
            writer.writerow(
                [
                    f"IMP{n:06d}",
                    f"imported.{n}@bench.tandem.test",
                    f"First{n}",
                    f"Imported{n}",
                    "Software Engineer II",
                    "IC2",
                    department,
                    manager,
                    location,
                    time_zone,
                    "2026-01-05",
                    "active",
                ]
            )
        path = handle.name

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    seconds, created = 0.0, 0
    try:
        with transaction.atomic():
            call_command(command, path, stdout=open(os.devnull, "w"))  # noqa: SIM115
            seconds = time.perf_counter() - started
            created = Person.objects.filter(employee_id__startswith="IMP").count()
            raise Rollback
    except Rollback:
        pass
    finally:
        os.unlink(path)
    err.print(f"import of {IMPORT_ROWS:,} rows: {seconds:.1f} s ({created:,} created)")
    return {
        "available": True,
        "seconds": round(seconds, 1),
        "rows": IMPORT_ROWS,
        "created": created,
    }


# --- The parent: build, measure, report ---------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    run = {"capture_output": True, "text": True, "check": False}
    nproc = subprocess.run(["nproc"], **run).stdout.strip()  # type: ignore[call-overload]  # noqa: S607
    memory = subprocess.run(["free", "-h"], **run).stdout  # type: ignore[call-overload]  # noqa: S607
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        load = "unknown"
    return {
        "load": load,
        "cpu": cpu,
        "nproc": nproc,
        "memory": memory.rstrip(),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def render_section(results: list[dict[str, Any]], command: str) -> str:
    vendor = results[0]["vendor"]
    box = machine()
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"<!-- bench:{vendor} -->",
        f"## {results[0]['db_version']}",
        "",
        f"Run {when} with `{command}`.",
        "",
        f"Machine: {box['cpu']}, `nproc` = {box['nproc']}, Python {box['python']}, {box['os']}; "
        f"load average {box['load']} when the run ended (other work on the machine shows "
        "up as noise in the figures).",
        "",
        "```",
        "$ free -h",
        box["memory"],
        "```",
        "",
        "Server time in milliseconds (django.test.Client in-process, after a warm-up, "
        f"signed in as the HR admin; target p95 < {TARGET_MS:.0f} ms at 100,000 people).",
        "",
    ]
    header = "| measurement | " + " | ".join(
        f"{label(r['size'])} p50 | {label(r['size'])} p95" for r in results
    )
    lines += [header + " |", "|---" * (1 + 2 * len(results)) + "|"]
    for index, m in enumerate(results[0]["measurements"]):
        cells = []
        for r in results:
            row = r["measurements"][index]
            cells += [f"{row['p50']}", f"{row['p95']}"]
        name = re.sub(r"\s{2,}", " — ", m["name"])
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    samples = results[0]["measurements"][0]["samples"]
    lines += [
        "",
        f"{samples} samples per measurement, varying the person, search word, manager or page.",
        "\\* pages 980 to 1,019 (50 people a page), each reached with a cursor computed with "
        "`tandem.org.queries.encode_cursor`; a 10,000-person company has only 200 pages, so "
        "there it is its last pages.",
        "",
    ]
    for r in results:
        build = r["build_seconds"]
        built = f"built in {build} s" if build is not None else "reused (built earlier)"
        lines.append(f"- {r['size']:,} people: demo company {built}.")
        imp = r.get("import")
        if imp is None:
            continue
        if imp["available"]:
            verdict = "within" if imp["seconds"] < IMPORT_TARGET_S else "OVER"
            lines.append(
                f"- import of {imp['rows']:,} new people into the {r['size']:,}-person company: "
                f"{imp['seconds']} s ({verdict} the {IMPORT_TARGET_S:.0f} s target; rolled "
                "back afterwards so the database keeps its size)."
            )
        else:
            lines.append(
                "- import: not available (tandem.org.services.imports does not exist yet)."
            )
    lines += ["", f"<!-- /bench:{vendor} -->"]
    return "\n".join(lines)


DOC_HEADER = """# Benchmarks

`bench/org.py` builds a demo company of 10,000 and 100,000 people (`tandem demo`) and
measures the server time of the org pages and API, plus a 10,000-row HRIS import. Each
database engine has its own section below; re-running the benchmark replaces its section.

    .venv/bin/python bench/org.py                      # SQLite files under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench .venv/bin/python bench/org.py

"""


def write_docs(section: str, vendor: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else DOC_HEADER
    pattern = re.compile(rf"<!-- bench:{vendor} -->.*?<!-- /bench:{vendor} -->", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text)
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=40, help="samples per measurement (≥30)")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--with-import", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.repeat = max(args.repeat, 30)

    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(run_child(args.child, args.repeat, args.with_import)))
        return

    from rich.console import Console
    from rich.table import Table

    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.people:
        url = database_url(size)
        if url.startswith("postgres"):
            ensure_postgres_database(url)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "TANDEM_VAR_DIR": str(BENCH_VAR),
            # Production-like: no debug cursor wrappers, manifest static files.
            "TANDEM_DEBUG": "false",
            "TANDEM_HTTPS": "false",
            "TANDEM_SECRET_KEY": os.environ.get("TANDEM_SECRET_KEY", "bench-" + "x" * 50),
        }
        # The import runs against the largest company only (issue 2: "against the 100k DB").
        extra = ["--with-import"] if size == max(args.people) else []
        child = subprocess.run(  # noqa: S603 (our own script, our own arguments)
            [sys.executable, __file__, "--child", str(size), "--repeat", str(args.repeat), *extra],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise SystemExit(f"the {label(size)} benchmark failed (exit {child.returncode})")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))

    table = Table(title=f"Server time, ms ({results[0]['db_version']})")
    table.add_column("measurement")
    for r in results:
        table.add_column(f"{label(r['size'])} p50", justify="right")
        table.add_column(f"{label(r['size'])} p95", justify="right")
    for index, m in enumerate(results[0]["measurements"]):
        cells = []
        for r in results:
            row = r["measurements"][index]
            slow = row["p95"] >= TARGET_MS and r["size"] >= 100_000
            cells += [str(row["p50"]), f"[red]{row['p95']}[/red]" if slow else str(row["p95"])]
        table.add_row(m["name"], *cells)
    console = Console()
    console.print(table)
    for r in results:
        imp = r.get("import")
        if imp and imp["available"]:
            console.print(f"import of {imp['rows']:,} rows into {r['size']:,}: {imp['seconds']} s")
        elif imp:
            console.print("import: not available (tandem.org.services.imports does not exist yet)")
        if r["build_seconds"] is not None:
            console.print(f"{label(r['size'])}: demo built in {r['build_seconds']} s")

    if not args.no_docs:
        command = shlex.join([".venv/bin/python", "bench/org.py", *sys.argv[1:]])
        if os.environ.get("DATABASE_URL"):
            command = f"DATABASE_URL={os.environ['DATABASE_URL']} {command}"
        write_docs(render_section(results, command), results[0]["vendor"])
        console.print(f"Wrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
