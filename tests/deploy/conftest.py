"""What the deployment tests share: the real Redis and PostgreSQL on loopback, and how to
run `tandem` in a process of its own on this checkout's code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

import tandem

REDIS_HOST = "127.0.0.1:6379"
# A database number no laptop default (0) and no other test uses: the tests empty it.
REDIS_TEST_URL = f"redis://{REDIS_HOST}/13"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REPO = Path(__file__).resolve().parents[2]


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    """The test Redis database, empty before and after. Without Redis the test is skipped,
    except where TANDEM_REQUIRE_REDIS is set (CI, which has one): there it fails."""
    if not redis_answers():
        message = f"no Redis answers at {REDIS_HOST}"
        if os.environ.get("TANDEM_REQUIRE_REDIS"):
            pytest.fail(message + " (TANDEM_REQUIRE_REDIS is set)")
        pytest.skip(message)
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def tandem_command(*args: str) -> list[str]:
    """`tandem ARGS…` with this interpreter (the console script may belong to another
    checkout's install)."""
    return [sys.executable, "-c", "from tandem.cli import main; main()", *args]


def process_env(**overrides: str) -> dict[str, str]:
    """The environment of a `tandem` process: this checkout's code first on the path."""
    source = str(Path(tandem.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **overrides}
