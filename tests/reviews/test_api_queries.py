"""Every reviews list endpoint costs a fixed number of queries, at 10 rows or at 40."""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.reviews import versions
from tandem.reviews.models import Cycle, CycleStatus, NominationStatus, Review, ReviewState
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.reviews.api_helpers import BASE, bearer
from tests.reviews.factories import (
    CycleFactory,
    nominate,
    participant_of,
    running_cycle,
    template_with_questions,
)

pytestmark = pytest.mark.django_db

# Token and its owner, roles, the partner's departments (partner only), then the page and
# what it joins (one query for review counts, peer loads or anonymous labels): a handful,
# never one per row. Progress adds its grouped aggregates. Change only with a reason:
# 8 -> 9 when the participant and nomination scopes first look the reader's rows up by id
# (one query; `reviews.rules._few_by_id`).
BUDGET = 9
PROGRESS_BUDGET = 12


def _company(size: int) -> tuple[Cycle, list]:  # type: ignore[type-arg]
    """A manager with `size` reports, each reviewed by the next one as a peer; peer names
    hidden from HR so the anonymous labels are computed too."""
    department = DepartmentFactory()
    manager = PersonFactory(department=department)
    people = [PersonFactory(manager=manager, department=department) for _ in range(size)]
    cycle = running_cycle(people, peer_names_hidden_from_hr=True)
    for index, person in enumerate(people):
        peer = people[(index + 1) % size]
        nominate(participant_of(cycle, person), peer, status=NominationStatus.APPROVED)
    Review.objects.filter(cycle=cycle).update(state=ReviewState.SUBMITTED)
    return cycle, [manager, *people, department]


def _viewers(extra: list) -> list:  # type: ignore[type-arg]
    department = extra[-1]
    return [hr_admin(), hr_partner([department]), extra[0]]


def _count(  # type: ignore[no-untyped-def]
    client: Client, url: str, params: dict, django_assert_max_num_queries, budget: int = BUDGET
) -> int:
    client.get(f"{BASE}/cycles")  # settle the token's "last used" bookkeeping
    with django_assert_max_num_queries(budget):
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(response.json()["items"]) if "items" in response.json() else 0


@pytest.mark.parametrize("size", [10, 40])
def test_participants_reviews_and_nominations_stay_within_budget(
    size, django_assert_max_num_queries
):
    cycle, extra = _company(size)
    for viewer in _viewers(extra):
        client = bearer(viewer)
        for url, params in (
            (f"{BASE}/cycles/{cycle.pk}/participants", {"limit": 200}),
            (f"{BASE}/cycles/{cycle.pk}/nominations", {"limit": 200}),
            (f"{BASE}/reviews", {"role": "all", "limit": 200}),
            (f"{BASE}/cycles/{cycle.pk}/progress/managers", {"limit": 200}),
            (f"{BASE}/participants/{cycle.participants.first().pk}/nominations", {}),
        ):
            _count(client, url, params, django_assert_max_num_queries)
        progress = f"{BASE}/cycles/{cycle.pk}/progress"
        _count(client, progress, {}, django_assert_max_num_queries, PROGRESS_BUDGET)


@pytest.mark.parametrize("size", [10, 40])
def test_the_participants_page_shows_everyone_at_40(size, django_assert_max_num_queries):
    cycle, extra = _company(size)
    client = bearer(extra[0])
    url = f"{BASE}/cycles/{cycle.pk}/participants"
    assert _count(client, url, {"limit": 200}, django_assert_max_num_queries) == size


@pytest.mark.parametrize("size", [10, 40])
def test_templates_and_cycles_stay_within_budget(size, django_assert_max_num_queries):
    for _ in range(size):
        versions.freeze(template_with_questions())
        CycleFactory(status=CycleStatus.ACTIVE)
    client = bearer(hr_admin())
    assert _count(client, f"{BASE}/templates", {"limit": 200}, django_assert_max_num_queries) == (
        size
    )
    assert _count(client, f"{BASE}/cycles", {"limit": 200}, django_assert_max_num_queries) == size


@pytest.mark.parametrize("size", [10, 40])
def test_my_reviews_list_stays_within_budget(size, django_assert_max_num_queries):
    cycle, extra = _company(size)
    peer = extra[1]
    client = bearer(peer)
    assert _count(client, f"{BASE}/reviews", {"role": "all"}, django_assert_max_num_queries) >= 2
