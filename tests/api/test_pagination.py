"""Keyset pagination of /api/v1/people: every visible person exactly once, in name order."""

from __future__ import annotations

import base64
import json

import pytest
from django.utils import timezone

from tandem.access.rules import scope
from tandem.org.models import Person, PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin

SURNAMES = ["Adams", "adams", "Adamson", "de la Cruz", "Dean", "Öztürk", "Ng", "O'Neil", "Zhu"]


@pytest.fixture
def crowd(db):  # type: ignore[no-untyped-def]
    """30 people with clashing, mixed-case and accented names (ties broken by id), plus two
    who left."""
    department = DepartmentFactory()
    people = [
        PersonFactory(
            first_name=["Ana", "Ana", "Bo"][i % 3],
            last_name=SURNAMES[i % len(SURNAMES)],
            preferred_name="",
            department=department,
        )
        for i in range(30)
    ]
    for _ in range(2):
        PersonFactory(
            last_name="Adams",
            department=department,
            status=PersonStatus.LEFT,
            end_date=timezone.localdate(),
        )
    return people


def walk(client, **params):  # type: ignore[no-untyped-def]
    """Follow next_cursor from the first page to the last; return ids and page count."""
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/people", query)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages
        assert pages < 100, "pagination does not end"


def in_name_order(viewer: Person) -> list[int]:
    """The order the database sorts names in (its collation decides, on both engines)."""
    people = scope(viewer, Person.objects.all()).order_by("sort_name", "pk")
    return list(people.values_list("pk", flat=True))


def test_it_lists_every_visible_person_exactly_once_in_name_order(client_for, crowd):
    viewer = crowd[0]
    seen, pages = walk(client_for(viewer), limit=7)
    assert seen == in_name_order(viewer)
    assert (len(seen), pages) == (30, 5)


def test_it_pages_through_leavers_too_for_hr_admins(client_for, crowd):
    admin = hr_admin(department=crowd[0].department)
    seen, _pages = walk(client_for(admin), limit=7)
    assert seen == in_name_order(admin)
    assert len(seen) == 33


def test_it_pages_through_a_search_in_name_order(client_for, crowd):
    viewer = crowd[0]
    seen, _pages = walk(client_for(viewer), limit=2, q="adams")
    expected = [p for p in in_name_order(viewer) if "adams" in Person.objects.get(pk=p).sort_name]
    assert seen == expected


def test_it_says_there_is_no_next_page_on_the_last_one(client_for, crowd):
    body = client_for(crowd[0]).get("/api/v1/people", {"limit": 30}).json()
    assert (len(body["items"]), body["next_cursor"]) == (30, None)


def test_it_uses_fifty_per_page_by_default(client_for):
    department = DepartmentFactory()
    people = PersonFactory.create_batch(51, department=department)
    body = client_for(people[0]).get("/api/v1/people").json()
    assert len(body["items"]) == 50
    assert body["next_cursor"] is not None


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "!!!",
        _b64({"sort_name": "a", "pk": 1}),
        _b64(["a", "1"]),
        _b64(["a", 1, 2]),
        _b64(["a", True]),
        _b64(["a", 10**30]),
        _b64(["a", -1]),
        _b64(["a\x00", 1]),
        _b64(["a" * 1000, 1]),
        _b64(17),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
    ids=[
        "garbage",
        "not base64",
        "an object",
        "id as text",
        "three parts",
        "boolean id",
        "huge id",
        "negative id",
        "nul byte",
        "overlong name",
        "a number",
        "not utf-8",
    ],
)
def test_it_rejects_a_tampered_cursor_naming_the_field(client_for, cursor):
    response = client_for(PersonFactory()).get("/api/v1/people", {"cursor": cursor})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize("limit", ["0", "500", "-1", "ten"])
def test_it_rejects_a_limit_out_of_range_naming_the_field(client_for, limit):
    response = client_for(PersonFactory()).get("/api/v1/people", {"limit": limit})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "limit"
