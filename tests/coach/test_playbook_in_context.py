"""Playbooks where managers need them: the new-manager rule (the first report arrived
within 90 days, read from the reporting lines), the team hub's suggestion, the
new-manager path first on the list, and "Writing a fair review" beside a manager review
until the writer completed it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tandem.coach.models import Playbook
from tandem.coach.queries import playbooks as queries
from tandem.org.models import PersonStatus
from tests.coach.playbook_helpers import FAIR, FIRST, client_of, complete, manager_since, shipped
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    """Monday 15 June 2026, 10:00 in Berlin."""
    with time_machine.travel(
        datetime(2026, 6, 15, 10, tzinfo=ZoneInfo("Europe/Berlin")), tick=False
    ):
        yield


@pytest.fixture
def books() -> dict[str, Playbook]:
    return shipped()


def test_a_manager_whose_first_report_arrived_89_days_ago_is_new() -> None:
    assert queries.is_new_manager(manager_since(date(2026, 3, 18)), today=TODAY)


def test_a_manager_whose_first_report_arrived_90_days_ago_is_no_longer_new() -> None:
    assert not queries.is_new_manager(manager_since(date(2026, 3, 17)), today=TODAY)


def test_a_new_report_does_not_make_a_long_time_manager_new() -> None:
    manager = manager_since(date(2024, 1, 1))
    PersonFactory(manager=manager, start_date=date(2026, 6, 1))
    assert not queries.is_new_manager(manager, today=TODAY)


def test_someone_whose_only_report_left_is_not_a_new_manager() -> None:
    manager = PersonFactory()
    PersonFactory(manager=manager, start_date=date(2026, 6, 1), status=PersonStatus.LEFT)
    assert not queries.is_new_manager(manager, today=TODAY)


def test_someone_without_reports_is_not_a_new_manager() -> None:
    assert not queries.is_new_manager(PersonFactory(), today=TODAY)


def test_the_hub_suggests_the_first_one_on_one_to_a_new_manager(books) -> None:  # type: ignore[no-untyped-def]
    html = client_of(manager_since(date(2026, 5, 1))).get("/team/").content.decode()
    assert "data-playbook-hint" in html
    assert f"/coach/playbooks/{FIRST}/" in html
    assert "Your first weeks as a manager" in html


def test_the_hub_suggests_the_next_playbook_once_the_first_is_done(books) -> None:  # type: ignore[no-untyped-def]
    manager = manager_since(date(2026, 5, 1))
    complete(manager, books[FIRST])
    html = client_of(manager).get("/team/").content.decode()
    assert "/coach/playbooks/giving-feedback-sbi/" in html and "1 of 5 done" in html


def test_the_hub_suggests_nothing_to_an_experienced_manager(books) -> None:  # type: ignore[no-untyped-def]
    html = client_of(manager_since(date(2023, 5, 1))).get("/team/").content.decode()
    assert "data-playbook-hint" not in html


def test_the_list_puts_the_path_first_for_a_new_manager(books) -> None:  # type: ignore[no-untyped-def]
    html = client_of(manager_since(date(2026, 5, 1))).get("/coach/playbooks/").content.decode()
    assert html.index("Your first weeks as a manager") < html.index("All playbooks")


def test_the_list_puts_the_path_last_for_everyone_else(books) -> None:  # type: ignore[no-untyped-def]
    html = client_of(PersonFactory()).get("/coach/playbooks/").content.decode()
    assert html.index("All playbooks") < html.index("Your first weeks as a manager")


def test_an_unpublished_playbook_leaves_the_path_and_the_list(books) -> None:  # type: ignore[no-untyped-def]
    Playbook.objects.filter(slug=FIRST).update(published=False)
    html = client_of(manager_since(date(2026, 5, 1))).get("/coach/playbooks/").content.decode()
    assert f"/coach/playbooks/{FIRST}/" not in html


# --- The review form ---------------------------------------------------------------------


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    from tests.reviews.writing_helpers import make_team

    return make_team()


def test_a_manager_review_links_writing_a_fair_review(books, team) -> None:  # type: ignore[no-untyped-def]
    html = client_of(team.manager).get(f"/reviews/{team.manager_review.pk}/").content.decode()
    assert f"/coach/playbooks/{FAIR}/" in html


def test_the_link_goes_once_the_manager_completed_the_playbook(books, team) -> None:  # type: ignore[no-untyped-def]
    complete(team.manager, books[FAIR])
    html = client_of(team.manager).get(f"/reviews/{team.manager_review.pk}/").content.decode()
    assert f"/coach/playbooks/{FAIR}/" not in html


def test_a_self_review_does_not_link_it(books, team) -> None:  # type: ignore[no-untyped-def]
    html = client_of(team.owner).get(f"/reviews/{team.self_review.pk}/").content.decode()
    assert f"/coach/playbooks/{FAIR}/" not in html
