"""The hub's "Needs attention first" order: by flag count across the whole team (or
subtree), computed in SQL and keyset-paginated, checked against a recount in Python."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.feedback.models import Visibility
from tandem.org.models import Person
from tandem.reviews.models import PhaseKind
from tandem.team import queries
from tests.factories import PersonFactory, hr_admin
from tests.feedback.factories import FeedbackFactory
from tests.reviews.factories import running_cycle, set_phase
from tests.team.helpers import TODAY, days_ago, goal, held_one_on_one, report_of

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("pinned")]


def _report(manager: Any, flags: int, name: str, **kwargs: Any) -> Any:
    """A report with `flags` flags (0–4): no 1:1, no feedback, a stale goal, a late review."""
    person = report_of(manager, last_name=name, **kwargs)
    if flags < 2:
        FeedbackFactory(
            giver=manager,
            recipient=person,
            visibility=Visibility.WITH_MANAGER,
            created_at=days_ago(2),
        )
    held_one_on_one(manager, person, days_ago(3 if flags < 1 else 45))
    if flags >= 3:
        goal(person, checked_in=days_ago(30))
    if flags >= 4:
        cycle = running_cycle([person])
        set_phase(
            cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(20), due_on=TODAY - timedelta(2)
        )
    return person


def _team(manager: Any) -> list[Any]:
    return [
        _report(manager, 0, "Aardvark"),
        _report(manager, 1, "Bumblebee"),
        _report(manager, 2, "Caracal"),
        _report(manager, 2, "Axolotl"),  # a tie with Caracal: by name
        _report(manager, 3, "Dugong"),
        _report(manager, 4, "Echidna"),
        report_of(manager, last_name="Fennec", start_date=TODAY - timedelta(days=10)),
    ]


def _all_rows(client: Any, query: str = "") -> tuple[list[dict[str, Any]], int]:
    """Every row, page after page, and how many pages."""
    rows, pages, cursor = [], 0, ""
    while True:
        answer = client.get(f"/api/v1/team/?{query}{cursor}").json()
        rows += answer["items"]
        pages += 1
        if not answer["next_cursor"]:
            return rows, pages
        cursor = f"&cursor={answer['next_cursor']}"


def _recount(rows: list[dict[str, Any]]) -> list[int]:
    names = dict(Person.objects.values_list("pk", "sort_name"))
    ordered = sorted(rows, key=lambda r: (-len(r["flags"]), names[r["person_id"]], r["person_id"]))
    return [r["person_id"] for r in ordered]


def test_direct_reports_are_ordered_by_flag_count_across_pages(client_for, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    manager = PersonFactory()
    team = _team(manager)

    rows, pages = _all_rows(client_for(manager))

    assert pages == 4
    assert [r["person_id"] for r in rows] == _recount(rows)
    assert sorted(r["person_id"] for r in rows) == sorted(p.pk for p in team)  # none twice
    assert [len(r["flags"]) for r in rows] == [4, 3, 2, 2, 1, 1, 0]


def test_ties_are_ordered_by_name(client_for):
    manager = PersonFactory()
    team = _team(manager)

    rows, _ = _all_rows(client_for(manager))

    two_flags = [r["person_id"] for r in rows if len(r["flags"]) == 2]
    assert two_flags == [team[3].pk, team[2].pk]  # Axolotl, then Caracal


def test_the_whole_subtree_is_ordered_by_flag_count(client_for, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    top = PersonFactory()
    middle = _report(top, 1, "Marmoset")
    _team(middle)
    _report(top, 0, "Narwhal")

    rows, _ = _all_rows(client_for(top), "subtree=true&")

    assert len(rows) == 9
    assert [r["person_id"] for r in rows] == _recount(rows)


def test_the_hr_admin_sees_the_order_of_the_flags_they_see(client_for, monkeypatch):
    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    manager = PersonFactory()
    _team(manager)
    hr = hr_admin()

    rows, _ = _all_rows(client_for(hr), f"manager={manager.pk}&")

    assert [r["person_id"] for r in rows] == _recount(rows)


def test_by_name_lists_the_team_in_name_order(client_for):
    manager = PersonFactory()
    _team(manager)

    rows, _ = _all_rows(client_for(manager), "sort=name&")

    names = dict(Person.objects.values_list("pk", "sort_name"))
    assert [names[r["person_id"]] for r in rows] == sorted(names[r["person_id"]] for r in rows)


def test_the_page_offers_both_orders(client_for):
    manager = PersonFactory()
    _team(manager)
    client = client_for(manager)

    flagged = client.get("/team/").text
    by_name = client.get("/team/?sort=name").text

    assert "Needs attention first" in flagged and "the most flagged first" in flagged
    assert "Your direct reports, by name" in by_name


def test_a_made_up_cursor_is_refused_with_a_message(client_for):
    manager = PersonFactory()
    _team(manager)
    client = client_for(manager)

    api = client.get("/api/v1/team/?cursor=bm90LWEtY3Vyc29y")
    page = client.get("/team/?cursor=WyJ4fHkiLDFd")

    assert api.status_code == 422
    assert "cursor" in api.text
    assert page.status_code == 200
    assert "This page link is not valid" in page.text


def test_an_unknown_sort_is_refused_by_the_api(client_for):
    manager = PersonFactory()

    answer = client_for(manager).get("/api/v1/team/?sort=shoe-size")

    assert answer.status_code == 422
    assert "sort" in answer.text


def _queries_for_subtree(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/team/?subtree=true").status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_subtree(client_for):
    top = PersonFactory()
    client = client_for(top)
    middle = _report(top, 4, "Marmoset")  # a goal period and a running cycle exist
    small = _queries_for_subtree(client)

    _team(middle)
    for _ in range(3):
        _team(_report(middle, 2, "Ocelot"))
    large = _queries_for_subtree(client)

    assert large == small


def test_a_subtree_over_the_limit_is_listed_by_name_and_says_so(client_for, monkeypatch):
    monkeypatch.setattr(queries, "FLAG_SORT_LIMIT", 5)
    top = PersonFactory()
    _team(_report(top, 1, "Marmoset"))  # 8 people below top
    client = client_for(top)

    answer = client.get("/api/v1/team/?subtree=true").json()
    page = client.get("/team/?view=all").text
    direct = client.get("/api/v1/team/").json()

    names = dict(Person.objects.values_list("pk", "sort_name"))
    order = [names[r["person_id"]] for r in answer["items"]]
    assert answer["sort"] == "name"
    assert order == sorted(order)
    assert "More than 5 people are below you: they are listed by name." in page
    assert direct["sort"] == "flags"
