from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time

import pytest
import time_machine
from django.test import Client

from tests.factories import PASSWORD, Person

# --- --today: the whole session at another date -----------------------------------------------
# `pytest --today=2028-02-29` (or `--today=2027-03-28T01:30`, `--today=2027-03-14T09:30-05:00`)
# moves the clock for the whole run with time-machine, ticking from there, so the tests whose
# subject is dates (`-m dates`) can be run at a leap day, a month's end or a DST change; see
# .ci/run. A date alone means noon UTC (the same calendar day from UTC−12 to UTC+11); a time
# without an offset is UTC. pytest_configure runs in every xdist worker too, and before
# collection, so module-level dates are moved as well.
TODAY_STASH = pytest.StashKey[time_machine.travel]()
BROWSER_AT_REAL_TIME = (
    "browser tests run at the real date only: chromium's clock does not travel with --today"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD[THH:MM[±HH:MM]]",
        type=_moment,
        default=None,
        help="run the session with the clock moved to this date (noon UTC) or moment (UTC "
        "unless an offset is given), ticking from there; browser tests are skipped.",
    )


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise pytest.UsageError(
            f"--today={value}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from error
    if len(value) == len("YYYY-MM-DD"):
        moment = datetime.combine(moment.date(), time(12, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    moment = config.getoption("today", None)
    if moment is not None:
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.stash[TODAY_STASH] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(TODAY_STASH, None)
    if traveller is not None:
        traveller.stop()
        del config.stash[TODAY_STASH]


def pytest_report_header(config: pytest.Config) -> str | None:
    moment = config.getoption("today", None)
    return None if moment is None else f"today: {moment.isoformat()} (--today, time-machine)"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("today", None) is None:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=BROWSER_AT_REAL_TIME))


@pytest.fixture(autouse=True)
def _fresh_axes(db: None) -> None:
    """Each test starts with no failed sign-ins on record."""


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a rolled-back test's rows are gone, and a later
    test's row may reuse their ids (SQLite), so what was cached about them must go too."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def client_for(db: None):  # type: ignore[no-untyped-def]
    """A test client signed in as the given person (through the real sign-in form)."""

    def make(person: Person | None) -> Client:
        client = Client()
        if person is not None:
            response = client.post("/login/", {"username": person.email, "password": PASSWORD})
            assert response.status_code == 302, f"could not sign in {person.email}"
        return client

    return make
