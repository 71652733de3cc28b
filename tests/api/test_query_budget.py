"""List endpoints cost a fixed number of queries, whatever the size of the company."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.org.models import Department, Person
from tests.factories import DepartmentFactory, PersonFactory, hr_partner

# Session, person, roles, the partner's departments, then the page of people itself (with
# department and manager joined in). Departments: session, person, roles, the list (with
# heads joined and headcounts counted in SQL). Change a budget only with a reason; it must
# never depend on the size of the company.
PEOPLE_BUDGET = 5
DEPARTMENTS_BUDGET = 4


@dataclass
class Company:
    """People in teams of five across five departments, watched by an HR partner over all
    of them (the viewer who costs most: partner scope, private fields for everyone)."""

    departments: list[Department]
    people: list[Person] = field(default_factory=list)
    viewer: Person | None = None

    def grow_to(self, size: int) -> None:
        while len(self.people) < size:
            i = len(self.people)
            manager = self.people[(i - 1) // 5] if self.people else None
            department = self.departments[i % len(self.departments)]
            person = PersonFactory(department=department, manager=manager)
            self.people.append(person)
            if i % 7 == 0:
                department.head = person
                department.save(update_fields=["head"])


@pytest.fixture
def company(db: None) -> Company:
    root = DepartmentFactory(name="Company")
    built = Company(departments=[DepartmentFactory(parent=root) for _ in range(5)])
    built.viewer = hr_partner([root], department=root)
    return built


def signed_in(client_for, company: Company) -> Client:  # type: ignore[no-untyped-def]
    client = client_for(company.viewer)
    client.get("/api/v1/me")  # the first request after sign-in settles the session
    return client


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("size", [10, 200])
def test_the_people_list_stays_within_its_query_budget(
    client_for, django_assert_max_num_queries, company, size
):
    company.grow_to(size)
    client = signed_in(client_for, company)
    with django_assert_max_num_queries(PEOPLE_BUDGET):
        response = client.get("/api/v1/people", {"limit": 200})
    assert len(response.json()["items"]) == min(size + 1, 200)


@pytest.mark.parametrize("size", [10, 200])
def test_the_department_list_stays_within_its_query_budget(
    client_for, django_assert_max_num_queries, company, size
):
    company.grow_to(size)
    client = signed_in(client_for, company)
    with django_assert_max_num_queries(DEPARTMENTS_BUDGET):
        response = client.get("/api/v1/departments")
    assert len(response.json()) == 6


@pytest.mark.parametrize("url", ["/api/v1/people?limit=200", "/api/v1/departments"])
def test_a_list_costs_the_same_for_10_people_as_for_200(client_for, company, url):
    client = signed_in(client_for, company)
    company.grow_to(10)
    small = queries_for(client, url)
    company.grow_to(200)
    assert queries_for(client, url) == small
