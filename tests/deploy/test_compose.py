"""compose.yaml, the Dockerfile and the Caddyfile name only what exists in Tandem: its
commands, its documented variables, its health check URL. Docker is not needed to read
them (CI cannot build the image), so they are checked as files."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from typing import Any

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from tests.deploy.conftest import REPO, process_env

COMPOSE = REPO / "compose.yaml"
DOCKERFILE = REPO / "Dockerfile"
CADDYFILE = REPO / "deploy" / "Caddyfile"
HEALTHCHECK = REPO / "deploy" / "healthcheck.py"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    return {name: str(value) for name, value in service["environment"].items()}


def test_the_stack_is_a_proxy_two_webs_two_workers_postgresql_redis_and_a_migration(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]

    assert set(services) == {"proxy", "web", "worker", "migrate", "db", "redis"}
    assert services["web"]["deploy"]["replicas"] == 2
    assert services["worker"]["deploy"]["replicas"] == 2
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:")


def test_every_tandem_service_runs_a_command_tandem_has(compose: dict[str, Any]) -> None:
    commands = get_commands()
    for name in ("web", "worker", "migrate"):
        command = compose["services"][name]["command"][0]
        assert command in commands, f"{name} runs `tandem {command}`, which does not exist"


def test_the_web_and_workers_start_only_after_the_migration_succeeded(
    compose: dict[str, Any],
) -> None:
    for name in ("web", "worker"):
        waits_for = compose["services"][name]["depends_on"]["migrate"]
        assert waits_for == {"condition": "service_completed_successfully"}


def test_every_tandem_variable_compose_sets_is_documented(compose: dict[str, Any]) -> None:
    documented = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    for service in ("web", "worker", "migrate"):
        for name in environment_of(compose["services"][service]):
            name = name.removesuffix("_FILE")  # any variable can come from a file
            assert f"`{name}`" in documented, f"{service} sets {name}, not in configuration.md"


def test_web_and_workers_share_one_environment_the_queue_and_the_cache_on_redis(
    compose: dict[str, Any],
) -> None:
    web = environment_of(compose["services"]["web"])
    worker = environment_of(compose["services"]["worker"])

    assert {k: v for k, v in web.items() if k != "TANDEM_WORKERS"} == worker
    assert web["TANDEM_TASK_BACKEND"] == "rq"
    assert web["TANDEM_REDIS_URL"].startswith("redis://redis:")
    assert web["TANDEM_CACHE_URL"].startswith("redis://redis:")
    assert "@db:5432/" in web["DATABASE_URL"]
    assert web["TANDEM_DEBUG"] == "false"


def test_the_keys_come_from_secret_files_not_from_the_compose_file(
    compose: dict[str, Any],
) -> None:
    web = environment_of(compose["services"]["web"])

    for key in ("TANDEM_SECRET_KEY", "TANDEM_ANONYMITY_KEY", "TANDEM_ENCRYPTION_KEY"):
        assert key not in web
        secret = web[f"{key}_FILE"].removeprefix("/run/secrets/")
        assert secret in compose["secrets"]
        assert secret in compose["services"]["web"]["secrets"]


def test_web_and_workers_share_the_volume_prepared_exports_are_written_to(
    compose: dict[str, Any],
) -> None:
    var_dir = environment_of(compose["services"]["web"])["TANDEM_VAR_DIR"]
    for name in ("web", "worker"):
        assert f"tandem-files:{var_dir}" in compose["services"][name]["volumes"]


def test_the_proxy_balances_over_every_web_container_on_the_port_tandem_serves() -> None:
    caddyfile = CADDYFILE.read_text(encoding="utf-8")
    bind = re.search(r"TANDEM_BIND=\S+:(\d+)", DOCKERFILE.read_text(encoding="utf-8"))

    assert bind is not None
    assert re.search(r"dynamic a \{\s*name web\s*port " + bind.group(1), caddyfile)
    assert "{$TANDEM_HOST}" in caddyfile


def test_the_caddyfile_is_mounted_where_caddy_reads_it(compose: dict[str, Any]) -> None:
    mounts = compose["services"]["proxy"]["volumes"]

    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in mounts
    assert CADDYFILE.exists()


def test_the_image_is_built_in_two_stages_and_runs_tandem_serve_as_a_user() -> None:
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")

    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert re.search(r"^USER tandem", dockerfile, re.MULTILINE)
    assert 'ENTRYPOINT ["tandem"]' in dockerfile
    assert 'CMD ["serve"]' in dockerfile
    assert "collectstatic" in dockerfile


def test_the_health_check_polls_the_health_url() -> None:
    source = HEALTHCHECK.read_text(encoding="utf-8")
    path = re.search(r'"GET",\s*"(/[^"]*)"', source)

    assert path is not None
    assert resolve(path.group(1)).url_name == "healthz"
    assert "/opt/tandem/healthcheck.py" in DOCKERFILE.read_text(encoding="utf-8")


def test_the_image_leaves_the_checkouts_clutter_out() -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()

    for clutter in (".git", ".venv", "var", "node_modules", "tests", "*.egg-info"):
        assert clutter in ignored


def test_the_health_check_passes_against_a_serving_tandem(live_server: Any) -> None:
    port = live_server.url.rsplit(":", 1)[1]

    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(HEALTHCHECK)],
        env=process_env(TANDEM_BIND=f"0.0.0.0:{port}", TANDEM_ALLOWED_HOSTS="localhost"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


def test_the_health_check_fails_when_nothing_answers() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = subprocess.run(  # noqa: S603 (our own script)
        [sys.executable, str(HEALTHCHECK)],
        env=process_env(TANDEM_BIND=f"0.0.0.0:{port}"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "unhealthy" in result.stderr
