"""Production settings pass Django's deployment checks; SQLite survives two writers;
`tandem serve` starts gunicorn as configured."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_tandem(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tandem.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TANDEM_", "DJANGO_"))
    }
    env.update(
        TANDEM_DEBUG="false",
        TANDEM_SECRET_KEY=secrets.token_urlsafe(60),
        TANDEM_ANONYMITY_KEY=secrets.token_urlsafe(48),
        TANDEM_ALLOWED_HOSTS="tandem.example.com",
        TANDEM_VAR_DIR=str(tmp_path / "var"),
    )
    return env


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_tandem(
        ["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["TANDEM_SECRET_KEY"]
    result = run_tandem(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "TANDEM_SECRET_KEY must be set" in result.stderr


def test_a_boolean_that_is_neither_true_nor_false_stops_start_up(tmp_path):
    env = production_env(tmp_path)
    env["TANDEM_DEBUG"] = "maybe"
    result = run_tandem(["check"], env, tmp_path)
    assert result.returncode != 0
    assert "TANDEM_DEBUG must be true or false" in result.stderr


# --- SQLite: WAL, busy timeout, IMMEDIATE ------------------------------------------------

TWO_WRITERS = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        print("journal_mode", cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout")
        print("busy_timeout", cursor.fetchone()[0])
    from tandem.access.rules import SYSTEM
    from tandem.org.services import people as org
    from tandem.program import services as program
    connection.close()

    barrier = threading.Barrier(2)
    errors = []

    def writer(name):
        try:
            barrier.wait()
            for i in range(40):
                # Each call reads, then writes, in one transaction: the pattern that fails
                # with "database is locked" under SQLite's default DEFERRED transactions.
                program.update_program(by=SYSTEM, purpose_statement=f"{name} {i}")
                org.create_department(name=f"{name} {i}", by=SYSTEM)
        except Exception as error:
            errors.append(f"{name}: {error!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("A", "B")]
    for t in threads: t.start()
    for t in threads: t.join()
    from tandem.org.models import Department
    print("departments", Department.objects.count())
    print("errors", errors)
    """
)


def test_sqlite_runs_in_wal_mode_and_two_writers_never_see_database_is_locked(tmp_path):
    env = production_env(tmp_path)
    env.update(
        TANDEM_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'two-writers.sqlite3'}",
        DJANGO_SETTINGS_MODULE="tandem.settings",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", TWO_WRITERS],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert lines["journal_mode"] == "wal"
    assert int(lines["busy_timeout"]) >= 5000
    assert lines["errors"] == "[]", lines["errors"]
    assert lines["departments"] == "80"


# --- tandem serve --------------------------------------------------------------------------


def test_serve_uses_the_bind_address_and_workers_from_the_environment(tmp_path):
    env = production_env(tmp_path)
    env.update(TANDEM_BIND="0.0.0.0:9000", TANDEM_WORKERS="3")
    result = run_tandem(["serve", "--print"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    command = result.stdout.split()
    assert command[:2] == ["gunicorn", "tandem.wsgi:application"]
    assert command[command.index("--bind") + 1] == "0.0.0.0:9000"
    assert command[command.index("--workers") + 1] == "3"


def test_serve_defaults_to_localhost_port_8000(tmp_path):
    result = run_tandem(["serve", "--print"], production_env(tmp_path), tmp_path)
    command = result.stdout.split()
    assert command[command.index("--bind") + 1] == "127.0.0.1:8000"
    assert int(command[command.index("--workers") + 1]) >= 1


@pytest.mark.parametrize("value", ["0", "many"])
def test_serve_refuses_a_nonsense_worker_count(tmp_path, value):
    env = production_env(tmp_path)
    env["TANDEM_WORKERS"] = value
    result = run_tandem(["serve", "--print"], env, tmp_path)
    assert result.returncode != 0
    assert "TANDEM_WORKERS" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    """`tandem serve` running with production settings on a free local port."""
    env = production_env(tmp_path)
    env.update(TANDEM_ALLOWED_HOSTS="127.0.0.1", TANDEM_SSL_REDIRECT="false")
    port = _free_port()
    command = [sys.executable, "-m", "tandem.cli", "serve", "--bind", f"127.0.0.1:{port}"]
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [*command, "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response


def test_serve_names_no_server_software_and_no_version(served):
    for path in ("/healthz", "/no-such-page/"):
        response = _get(served, path)
        server = response.getheader("Server") or ""
        assert server == "Tandem", f"{path}: Server: {server}"


def test_serve_sends_the_permissions_policy_on_every_response(served):
    for path in ("/healthz", "/no-such-page/"):
        policy = _get(served, path).getheader("Permissions-Policy") or ""
        assert "camera=()" in policy and "geolocation=()" in policy, f"{path}: {policy!r}"
