"""PostgreSQL's JIT compiler is off for Tandem's connections unless TANDEM_DB_JIT asks for it:
it compiled for seconds what the team hub runs in milliseconds (docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PRINT_OPTIONS = (
    "import json, tandem.settings as s; print(json.dumps(s.DATABASES['default'].get('OPTIONS')))"
)


def _options(**env: str) -> dict[str, str] | None:
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", PRINT_OPTIONS],
        env={**os.environ, "TANDEM_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_connections_turn_the_jit_off() -> None:
    options = _options(DATABASE_URL="postgres://tandem@db.example.com:5432/tandem")
    assert options is not None
    assert "-c jit=off" in options["options"]


def test_tandem_db_jit_leaves_the_servers_setting() -> None:
    options = _options(
        DATABASE_URL="postgres://tandem@db.example.com:5432/tandem", TANDEM_DB_JIT="true"
    )
    assert "jit" not in (options or {}).get("options", "")


@pytest.mark.django_db
def test_the_connection_runs_without_jit_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite against it too)")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
