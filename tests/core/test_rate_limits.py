"""Published rate limits (docs/api.md): per token, per signed-in person, per address on
sign-in and password reset; 429 with Retry-After and the RateLimit-* headers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import time_machine
from django.test import Client

from tests.factories import PersonFactory, api_token

# Fixed windows: the clock stands still inside a test, so a burst never straddles two.
FROZEN = datetime(2026, 3, 4, 10, 0, 5, tzinfo=UTC)
RATE_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy")


@pytest.fixture
def still_clock() -> Any:
    with time_machine.travel(FROZEN, tick=False):
        yield


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db(transaction=True)
def test_a_burst_against_the_running_server_gets_429s_with_the_documented_headers(
    live_server: Any, settings: Any, still_clock: None
) -> None:
    settings.API_RATE_LIMIT = 20
    raw = api_token(PersonFactory())
    headers = {"Authorization": f"Bearer {raw}"}
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=10) as http:
        answers = [http.get("/api/v1/me") for _ in range(25)]

    assert [a.status_code for a in answers] == [200] * 20 + [429] * 5
    refused = answers[-1]
    assert refused.json()["detail"].startswith("Too many requests: at most 20 a minute.")
    assert refused.json()["errors"] == []
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit-Limit"] == "20"
    assert refused.headers["RateLimit-Remaining"] == "0"
    assert refused.headers["RateLimit-Reset"] == refused.headers["Retry-After"]
    assert refused.headers["RateLimit-Policy"] == "20;w=60"
    assert [a.headers["RateLimit-Remaining"] for a in answers[:3]] == ["19", "18", "17"]


@pytest.mark.django_db(transaction=True)
def test_normal_use_of_the_running_server_is_never_refused(
    live_server: Any, still_clock: None
) -> None:
    raw = api_token(PersonFactory())
    headers = {"Authorization": f"Bearer {raw}"}
    with httpx.Client(base_url=live_server.url, headers=headers, timeout=10) as http:
        answers = [http.get("/api/v1/me") for _ in range(30)]

    assert {a.status_code for a in answers} == {200}
    assert answers[-1].headers["RateLimit-Limit"] == "600"
    assert answers[-1].headers["RateLimit-Remaining"] == "570"
    assert answers[-1].headers["RateLimit-Policy"] == "600;w=60"


def test_each_token_has_its_own_count(db: None, settings: Any, still_clock: None) -> None:
    settings.API_RATE_LIMIT = 2
    person = PersonFactory()
    first, second = bearer(api_token(person)), bearer(api_token(person))
    for _ in range(2):
        first.get("/api/v1/me")

    assert first.get("/api/v1/me").status_code == 429
    assert second.get("/api/v1/me").status_code == 200


def test_a_signed_in_person_is_counted_on_their_own(
    client_for: Any, settings: Any, still_clock: None
) -> None:
    settings.API_RATE_LIMIT = 2
    ana, ben = client_for(PersonFactory()), client_for(PersonFactory())
    for _ in range(2):
        assert ana.get("/api/v1/me").status_code == 200

    assert ana.get("/api/v1/me").status_code == 429
    assert ben.get("/api/v1/me").status_code == 200


def test_an_answer_without_valid_credentials_carries_the_headers_too(
    db: None, still_clock: None
) -> None:
    response = bearer("tdm_not-a-real-token").get("/api/v1/me")

    assert response.status_code == 401
    assert all(name in response.headers for name in RATE_HEADERS)


def test_guessing_tokens_is_limited_per_guess_and_per_address(
    db: None, settings: Any, still_clock: None
) -> None:
    settings.API_RATE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.get("/api/v1/me")

    assert client.get("/api/v1/me").status_code == 429


def test_the_scim_endpoints_are_counted_like_the_api(
    db: None, settings: Any, still_clock: None
) -> None:
    settings.API_RATE_LIMIT = 1
    scim = bearer("scim-token-of-it")
    assert "RateLimit-Remaining" in scim.get("/scim/v2/Users").headers

    refused = scim.get("/scim/v2/Users")

    assert refused.status_code == 429
    assert refused.headers["RateLimit-Remaining"] == "0"


def test_a_refused_scim_request_answers_in_scims_error_shape(
    db: None, settings: Any, still_clock: None
) -> None:
    settings.API_RATE_LIMIT = 1
    scim = bearer("scim-token-of-it")
    scim.get("/scim/v2/Users")

    refused = scim.get("/scim/v2/Users")

    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/scim+json"
    assert refused.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert refused.json()["status"] == "429"
    assert refused.headers["Retry-After"]


def test_pages_are_not_counted(client_for: Any, settings: Any, still_clock: None) -> None:
    settings.API_RATE_LIMIT = 1
    client = client_for(PersonFactory())
    answers = [client.get("/notifications/") for _ in range(3)]

    assert {a.status_code for a in answers} == {200}
    assert "RateLimit-Limit" not in answers[-1].headers


def test_too_many_sign_ins_from_one_address_get_a_plain_page(
    db: None, settings: Any, still_clock: None
) -> None:
    settings.SIGNIN_RATE_LIMIT = 3
    client = Client()
    for n in range(3):
        client.post("/login/", {"username": f"someone{n}@example.com", "password": "wrong"})

    refused = client.post("/login/", {"username": "ana@example.com", "password": "wrong"})

    assert refused.status_code == 429
    assert "more than 3 sign-in attempts from your network" in refused.text
    assert "Retry-After" in refused.headers
    assert client.get("/login/").status_code == 200  # the form itself is still shown


def test_too_many_password_reset_requests_from_one_address_are_refused(
    db: None, settings: Any, still_clock: None, mailoutbox: list[Any]
) -> None:
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    client = Client()
    for n in range(2):
        client.post("/password-reset/", {"email": f"someone{n}@example.com"})

    refused = client.post("/password-reset/", {"email": "ana@example.com"})

    assert refused.status_code == 429
    assert "more than 2 password reset requests" in refused.text


def test_the_api_still_answers_when_the_cache_cannot_be_reached(db: None, settings: Any) -> None:
    settings.RATELIMIT_USE_CACHE = "no-such-cache"
    response = bearer(api_token(PersonFactory())).get("/api/v1/me")

    assert response.status_code == 200
    assert "RateLimit-Limit" not in response.headers


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis at 127.0.0.1:6379")
def test_with_redis_the_count_is_kept_where_every_process_reads_it(
    db: None, settings: Any, still_clock: None
) -> None:
    import redis
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": "tandem-test-ratelimit",
        }
    }
    settings.API_RATE_LIMIT = 3
    caches["default"].clear()
    client = bearer(api_token(PersonFactory()))
    try:
        for _ in range(3):
            assert client.get("/api/v1/me").status_code == 200
        # What another web process would read: the count is in Redis, not in this process.
        stored = redis.Redis(host="127.0.0.1", port=6379, db=12).keys("tandem-test-ratelimit:*")

        refused = client.get("/api/v1/me")
    finally:
        caches["default"].clear()

    assert len(stored) == 1
    assert refused.status_code == 429
