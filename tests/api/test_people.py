"""/api/v1/people and /api/v1/people/{id}: filters, private fields, who sees whom."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tandem.org.models import PersonStatus
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    executive,
    hr_admin,
    hr_partner,
)


def ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def left(**kwargs):  # type: ignore[no-untyped-def]
    return PersonFactory(status=PersonStatus.LEFT, end_date=timezone.localdate(), **kwargs)


# --- Filters ---------------------------------------------------------------------------------


def test_it_filters_people_by_department(client_for):
    sales = DepartmentFactory(name="Sales")
    seller = PersonFactory(department=sales)
    PersonFactory()
    response = client_for(seller).get("/api/v1/people", {"department": sales.pk})
    assert ids(response) == {seller.pk}


def test_it_filters_people_by_manager(client_for):
    boss = PersonFactory()
    reports = PersonFactory.create_batch(2, manager=boss)
    PersonFactory(manager=reports[0])
    response = client_for(boss).get("/api/v1/people", {"manager": boss.pk})
    assert ids(response) == {r.pk for r in reports}


def test_it_filters_people_by_status(client_for):
    viewer = PersonFactory()
    away = PersonFactory(status=PersonStatus.ON_LEAVE)
    response = client_for(viewer).get("/api/v1/people", {"status": "on_leave"})
    assert ids(response) == {away.pk}


def test_it_rejects_an_unknown_status_naming_the_field(client_for):
    response = client_for(PersonFactory()).get("/api/v1/people", {"status": "retired"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "status"


@pytest.mark.parametrize(
    ("q", "why"),
    [
        ("ana", "first name"),
        ("LIMA", "last name, any case"),
        ("accountant", "title"),
        ("ana.lima@", "e-mail"),
        ("treasury", "department"),
        ("ana treasury", "every word must match"),
    ],
)
def test_it_searches_people_by(client_for, q, why):
    treasury = DepartmentFactory(name="Treasury")
    ana = PersonFactory(
        first_name="Ana",
        last_name="Lima",
        email="ana.lima@example.com",
        title="Senior Accountant",
        department=treasury,
    )
    PersonFactory(first_name="Bob", last_name="Stone", title="Engineer")
    response = client_for(ana).get("/api/v1/people", {"q": q})
    assert ids(response) == {ana.pk}, why


def test_it_finds_nobody_when_one_search_word_matches_nothing(client_for):
    ana = PersonFactory(first_name="Ana", last_name="Lima")
    response = client_for(ana).get("/api/v1/people", {"q": "ana zzz"})
    assert ids(response) == set()


def test_it_treats_wildcards_in_a_search_as_plain_text(client_for):
    viewer = PersonFactory(first_name="Ana")
    PersonFactory(first_name="Bob")
    assert ids(client_for(viewer).get("/api/v1/people", {"q": "%"})) == set()


def test_it_answers_a_search_with_a_nul_byte_without_error(client_for):
    response = client_for(PersonFactory()).get("/api/v1/people", {"q": "a\x00b"})
    assert response.status_code in (200, 422)


def test_it_rejects_an_overlong_search_naming_the_field(client_for):
    response = client_for(PersonFactory()).get("/api/v1/people", {"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "q"


def test_it_rejects_a_department_that_is_not_a_number_naming_the_field(client_for):
    response = client_for(PersonFactory()).get("/api/v1/people", {"department": "sales"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "department"


@pytest.mark.parametrize("field", ["department", "manager"])
def test_it_rejects_an_id_too_large_for_the_database_naming_the_field(client_for, field):
    response = client_for(PersonFactory()).get("/api/v1/people", {field: 10**30})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == field


# --- Private fields ---------------------------------------------------------------------------

PRIVATE = ("employee_id", "level", "end_date")


def private_fields(client, person) -> dict[str, object]:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/v1/people/{person.pk}").json()
    return {name: body[name] for name in PRIVATE}


@pytest.fixture
def team(db):  # type: ignore[no-untyped-def]
    engineering = DepartmentFactory(name="Engineering")
    skip = PersonFactory(department=engineering)
    boss = PersonFactory(department=engineering, manager=skip)
    owner = PersonFactory(department=engineering, manager=boss, employee_id="E-1", level="IC4")
    return {"engineering": engineering, "skip": skip, "boss": boss, "owner": owner}


def test_it_hides_private_fields_from_a_peer(client_for, team):
    peer = PersonFactory(manager=team["boss"])
    assert private_fields(client_for(peer), team["owner"]) == dict.fromkeys(PRIVATE)


def test_it_hides_private_fields_from_an_executive(client_for, team):
    assert private_fields(client_for(executive()), team["owner"]) == dict.fromkeys(PRIVATE)


def test_it_hides_private_fields_from_the_hr_partner_of_another_department(client_for, team):
    partner = hr_partner([DepartmentFactory(name="Sales")])
    assert private_fields(client_for(partner), team["owner"]) == dict.fromkeys(PRIVATE)


@pytest.mark.parametrize("viewer", ["owner", "boss", "skip", "hr_admin", "hr_partner"])
def test_it_shows_private_fields_to(client_for, team, viewer):
    people = {
        **team,
        "hr_admin": hr_admin(),
        "hr_partner": hr_partner([team["engineering"]]),
    }
    fields = private_fields(client_for(people[viewer]), team["owner"])
    assert fields == {"employee_id": "E-1", "level": "IC4", "end_date": None}


def test_it_shows_private_fields_in_the_list_only_where_allowed(client_for, team):
    body = client_for(team["boss"]).get("/api/v1/people").json()
    levels = {item["id"]: item["level"] for item in body["items"]}
    assert (levels[team["owner"].pk], levels[team["skip"].pk]) == ("IC4", None)


# --- Who sees whom ---------------------------------------------------------------------------


def test_it_hides_people_who_left_from_employees(client_for):
    viewer = PersonFactory()
    gone = left()
    assert gone.pk not in ids(client_for(viewer).get("/api/v1/people"))


def test_it_hides_people_who_left_even_when_asked_for_by_status(client_for):
    viewer = PersonFactory()
    left()
    assert ids(client_for(viewer).get("/api/v1/people", {"status": "left"})) == set()


def test_it_shows_people_who_left_to_hr_admins(client_for):
    gone = left()
    assert ids(client_for(hr_admin()).get("/api/v1/people", {"status": "left"})) == {gone.pk}


def test_it_shows_an_hr_partner_only_the_leavers_of_their_departments(client_for):
    sales = DepartmentFactory(name="Sales")
    gone_here = left(department=sales)
    left()
    partner = hr_partner([sales])
    assert ids(client_for(partner).get("/api/v1/people", {"status": "left"})) == {gone_here.pk}


def test_it_answers_404_for_a_person_who_left_fetched_by_an_employee(client_for):
    response = client_for(PersonFactory()).get(f"/api/v1/people/{left().pk}")
    assert response.status_code == 404


def test_it_answers_a_hidden_person_exactly_like_a_missing_one(client_for):
    client = client_for(PersonFactory())
    hidden = client.get(f"/api/v1/people/{left().pk}")
    missing = client.get("/api/v1/people/999999")
    assert (hidden.status_code, hidden.json()) == (missing.status_code, missing.json())


def test_it_answers_404_for_an_id_too_large_for_the_database(client_for):
    response = client_for(PersonFactory()).get(f"/api/v1/people/{10**30}")
    assert response.status_code == 404


def test_it_rejects_a_person_id_that_is_not_a_number_naming_the_field(client_for):
    response = client_for(PersonFactory()).get("/api/v1/people/ana")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "person_id"


def test_it_shows_one_person_with_department_and_manager(client_for):
    boss = PersonFactory(first_name="Bea", last_name="Boss", preferred_name="")
    person = PersonFactory(manager=boss)
    body = client_for(PersonFactory()).get(f"/api/v1/people/{person.pk}").json()
    assert body["manager"] == {"id": boss.pk, "display_name": "Bea Boss"}
    assert body["department"] == {"id": person.department_id, "name": person.department.name}
