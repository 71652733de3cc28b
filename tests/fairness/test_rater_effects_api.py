"""GET /api/v1/reviews/cycles/{cycle_id}/rater-effects: the shape the issue gives, for HR
admins only (everyone else, and an unknown cycle, 404), paged, at a fixed query cost."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tandem.fairness.queries import rater_effects as queries
from tests.factories import (
    DepartmentFactory,
    PersonFactory,
    api_token,
    executive,
    hr_admin,
    hr_partner,
)
from tests.fairness.rater_effects_helpers import rated_cycle
from tests.reviews.factories import running_cycle

pytestmark = pytest.mark.django_db

# Token and its owner, roles, the cycle and its phases, the fingerprint (once), the cached
# row (twice: asking, then reading), the raters' names.
BUDGET = 9


def _get(person: Any, cycle_id: int, **params: Any) -> Any:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(person)}")
    return client.get(f"/api/v1/reviews/cycles/{cycle_id}/rater-effects", params)


def test_hr_admins_get_each_raters_leniency_with_its_interval():
    rated = rated_cycle()
    rated.lenient.employee_id = "LEN-0042"
    rated.lenient.save()

    response = _get(hr_admin(), rated.cycle.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready" and body["computed_at"]
    assert body["min_ratings"] == queries.MIN_RATINGS
    first = body["items"][0]
    assert set(first) == {"reviewer", "relationship", "ratings", "leniency", "low", "high"}
    lenient = next(i for i in body["items"] if i["reviewer"]["id"] == rated.lenient.pk)
    assert lenient["reviewer"] == {
        "id": rated.lenient.pk,
        "employee_id": "LEN-0042",
        "name": "Lenora Generous",
    }
    assert lenient["relationship"] == "manager" and lenient["ratings"] == 5
    assert lenient["low"] < lenient["leniency"] < lenient["high"]
    assert lenient["leniency"] > 0


def test_managers_come_first_then_the_other_relationships():
    rated = rated_cycle()

    items = _get(hr_admin(), rated.cycle.pk).json()["items"]

    assert [i["relationship"] for i in items[:2]] == ["manager", "manager"]


def test_a_cycle_without_ratings_answers_no_ratings_and_no_items():
    cycle = running_cycle([PersonFactory(manager=PersonFactory())])

    body = _get(hr_admin(), cycle.pk).json()

    assert body["status"] == "no ratings" and body["items"] == []


def test_the_list_is_paged_with_a_cursor():
    rated = rated_cycle()
    hr = hr_admin()

    first = _get(hr, rated.cycle.pk, limit=1).json()
    second = _get(hr, rated.cycle.pk, limit=1, cursor=first["next_cursor"]).json()

    assert len(first["items"]) == 1 and first["next_cursor"]
    assert second["items"][0]["reviewer"]["id"] != first["items"][0]["reviewer"]["id"]


def test_a_cursor_not_made_here_is_refused_naming_the_field():
    rated = rated_cycle()

    response = _get(hr_admin(), rated.cycle.pk, cursor="not-a-cursor")

    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


@pytest.mark.parametrize("who", ["manager", "employee", "hr_partner", "executive"])
def test_everyone_but_hr_admins_gets_404(who):
    rated = rated_cycle()
    department = rated.lenient_team[0].department or DepartmentFactory()
    person = {
        "manager": lambda: rated.lenient,
        "employee": lambda: rated.lenient_team[0],
        "hr_partner": lambda: hr_partner([department]),
        "executive": executive,
    }[who]()

    response = _get(person, rated.cycle.pk)

    assert response.status_code == 404
    assert "items" not in response.json()


def test_an_unknown_cycle_is_404():
    assert _get(hr_admin(), 2**62).status_code == 404


def test_the_endpoint_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    rated = rated_cycle()
    hr = hr_admin()
    _get(hr, rated.cycle.pk)  # computed once; then read from the cache
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(hr)}")

    with django_assert_max_num_queries(BUDGET):
        response = client.get(f"/api/v1/reviews/cycles/{rated.cycle.pk}/rater-effects")

    assert response.json()["status"] == "ready"
