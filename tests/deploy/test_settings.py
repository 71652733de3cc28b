"""The deployment settings: the task backend by a friendly name or a dotted path, Redis for
the queue and the cache, PgBouncer's transaction mode, and state every process shares."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
import redis
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings

from tests.deploy.conftest import REDIS_TEST_URL, REPO, process_env

PRINT = (
    "import json, tandem.settings as s; print(json.dumps({'tasks': s.TASKS['default'], "
    "'rq': s.RQ_QUEUES['default']['URL'], 'job': s.RQ['JOB_CLASS'], "
    "'cache': s.CACHES['default'], "
    "'cursors': s.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS')}))"
)


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", PRINT],
        env=process_env(TANDEM_DEBUG="true", **env),
        capture_output=True,
        text=True,
        check=False,
    )


def loaded(**env: str) -> dict[str, Any]:
    result = settings_with(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_database_queue_is_the_default() -> None:
    assert loaded(TANDEM_TASK_BACKEND="")["tasks"] == {"BACKEND": "django_tasks_db.DatabaseBackend"}


def test_rq_selects_the_redis_queue_with_its_job_class() -> None:
    chosen = loaded(TANDEM_TASK_BACKEND="rq", TANDEM_REDIS_URL="redis://cache.internal:6379/2")

    assert chosen["tasks"] == {"BACKEND": "django_tasks_rq.RQBackend"}
    assert chosen["rq"] == "redis://cache.internal:6379/2"
    assert chosen["job"] == "django_tasks_rq.Job"


def test_a_backends_full_dotted_path_still_works() -> None:
    chosen = loaded(TANDEM_TASK_BACKEND="django_tasks_rq.RQBackend")

    assert chosen["tasks"] == {"BACKEND": "django_tasks_rq.RQBackend"}


def test_an_unknown_backend_name_stops_start_up_naming_the_variable() -> None:
    result = settings_with(TANDEM_TASK_BACKEND="redis")

    assert result.returncode != 0
    assert "TANDEM_TASK_BACKEND must be database, rq or a backend's dotted path" in result.stderr


def test_redis_is_on_127_0_0_1_unless_told_otherwise() -> None:
    assert loaded(TANDEM_REDIS_URL="")["rq"] == "redis://127.0.0.1:6379/0"


def test_each_process_keeps_its_own_memory_cache_without_a_cache_url() -> None:
    cache = loaded(TANDEM_CACHE_URL="")["cache"]

    assert cache == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_a_redis_cache_url_gives_one_cache_every_process_shares() -> None:
    cache = loaded(TANDEM_CACHE_URL="redis://cache.internal:6379/1")["cache"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/1"


def test_a_cache_url_that_is_not_redis_stops_start_up_naming_the_variable() -> None:
    result = settings_with(TANDEM_CACHE_URL="memcached://cache.internal:11211")

    assert result.returncode != 0
    assert "TANDEM_CACHE_URL must be a redis://" in result.stderr


def test_transaction_pooling_turns_off_server_side_cursors() -> None:
    url = "postgres://tandem@pgbouncer.internal:6432/tandem"

    assert loaded(DATABASE_URL=url)["cursors"] is False
    assert loaded(DATABASE_URL=url, TANDEM_DB_TRANSACTION_POOLING="true")["cursors"] is True


def test_sessions_live_in_the_database_so_any_process_can_read_them() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_failed_sign_ins_are_counted_in_the_database_so_every_process_sees_them() -> None:
    handler = AxesProxyHandler.get_implementation()

    assert type(handler).__name__ == "AxesDatabaseHandler"


def test_a_value_cached_by_one_process_is_read_by_another(redis_db: redis.Redis) -> None:
    cache_url = REDIS_TEST_URL
    write = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('deploy-test', 'from another process', 60)"
    )
    read = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache.get('deploy-test'))"
    )
    env = process_env(DJANGO_SETTINGS_MODULE="tandem.settings", TANDEM_CACHE_URL=cache_url)

    subprocess.run([sys.executable, "-c", write], env=env, check=True)  # noqa: S603
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", read], env=env, capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "from another process"


@pytest.mark.parametrize(
    "name",
    [
        "TANDEM_REDIS_URL",
        "TANDEM_CACHE_URL",
        "TANDEM_DB_TRANSACTION_POOLING",
        "TANDEM_EMAIL_FILE_PATH",
    ],
)
def test_the_deployment_variables_are_documented(name: str) -> None:
    assert f"`{name}`" in (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
