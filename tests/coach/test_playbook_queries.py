"""Query budgets: the playbook list, a playbook's page and HR's completion page cost a
fixed number of queries, whatever the progress or the number of managers."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.coach.models import Playbook
from tests.coach.playbook_helpers import FIRST, SBI, client_of, complete, shipped
from tests.factories import DepartmentFactory, PersonFactory, hr_admin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def books() -> dict[str, Playbook]:
    return shipped()


def _queries(client: Any, address: str) -> int:
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured.captured_queries)


def test_the_list_costs_the_same_with_no_progress_and_with_all_done(  # type: ignore[no-untyped-def]
    books, django_assert_max_num_queries
) -> None:
    fresh = client_of(PersonFactory())
    small = _queries(fresh, "/coach/playbooks/")
    busy = PersonFactory()
    for playbook in books.values():
        complete(busy, playbook)
    client = client_of(busy)
    client.get("/coach/playbooks/")
    with django_assert_max_num_queries(small):
        client.get("/coach/playbooks/")
    assert small <= 12


def test_a_playbook_page_costs_a_fixed_number_of_queries(  # type: ignore[no-untyped-def]
    books, django_assert_max_num_queries
) -> None:
    small = _queries(client_of(PersonFactory()), f"/coach/playbooks/{FIRST}/")
    busy = PersonFactory()
    complete(busy, books[FIRST])
    client = client_of(busy)
    client.get(f"/coach/playbooks/{SBI}/")
    with django_assert_max_num_queries(small):
        client.get(f"/coach/playbooks/{FIRST}/")
    assert small <= 10


def _managers(n: int) -> None:
    dept = DepartmentFactory()
    for _ in range(n):
        manager = PersonFactory(department=dept)
        PersonFactory(manager=manager, department=dept)


def test_hr_completion_costs_the_same_for_2_and_30_managers(  # type: ignore[no-untyped-def]
    books, django_assert_max_num_queries
) -> None:
    admin = hr_admin()
    _managers(2)
    small = _queries(client_of(admin), "/hr/coach/playbooks/")
    _managers(28)
    client = client_of(admin)
    client.get("/hr/coach/playbooks/")
    with django_assert_max_num_queries(small):
        client.get("/hr/coach/playbooks/")
    assert small <= 12
