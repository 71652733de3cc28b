"""deploy/backup-restore-check: a backup of the demo company restores with every row."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
from io import StringIO
from types import ModuleType

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.deploy.conftest import REPO

SCRIPT = REPO / "deploy" / "backup-restore-check"
# The suite's PostgreSQL run (.ci/run) has a database to dump; the SQLite run has none.
POSTGRES_RUN_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="dumps a PostgreSQL database: runs in the suite's PostgreSQL run (with pg_dump)",
)


def load_script() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("backup_restore_check", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_a_missing_table_or_a_count_that_differs_is_reported() -> None:
    compare = load_script().compare

    problems = compare(
        {"public.org_person": 40, "public.goals_goal": 7, "public.audit_auditevent": 3},
        {"public.org_person": 40, "public.goals_goal": 6, "public.extra": 0},
    )

    assert problems == [
        "public.audit_auditevent: missing from the restored database",
        "public.extra: in the restored database only",
        "public.goals_goal: 7 rows, restored 6",
    ]


def test_a_url_that_is_not_postgresql_is_refused_before_anything_runs() -> None:
    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(SCRIPT), "sqlite:///var/tandem.sqlite3"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "give a postgres:// URL" in result.stderr


@POSTGRES_RUN_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_demo_company_dumps_and_restores_with_every_row() -> None:
    call_command("demo", "--people", "40", "--seed", "3", stdout=StringIO(), stderr=StringIO())
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )

    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(SCRIPT), url],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PGPASSWORD": settings["PASSWORD"] or ""},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "every table has the same number of rows" in result.stdout
    with psycopg.connect(url, dbname="postgres") as admin:
        left = admin.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s",
            [f"{settings['NAME'][:40]}_restore_check_%"],
        ).fetchone()
    assert left == (0,), "the restored database is dropped afterwards"
