"""Progress figures over the API: the same people as the progress page, nobody else's."""

from __future__ import annotations

import pytest

from tandem.reviews import tally
from tandem.reviews.models import Relationship, Review, ReviewState
from tests.reviews.api_helpers import BASE, bearer, error_fields, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _progress(person, team):  # type: ignore[no-untyped-def]
    return bearer(person).get(f"{BASE}/cycles/{team.cycle.pk}/progress")


def _figure(body, key):  # type: ignore[no-untyped-def]
    return next(f for f in body["phases"] if f["key"] == key)


def test_hr_admins_follow_everyone_in_the_cycle(team):
    Review.objects.filter(relationship=Relationship.SELF, reviewee=team.report).update(
        state=ReviewState.SUBMITTED
    )
    tally.refresh(cycle_id=team.cycle.pk)
    body = _progress(team.admin, team).json()
    assert body["participants"] == 3
    self_reviews = _figure(body, "self")
    assert (self_reviews["total"], self_reviews["done"], self_reviews["percent"]) == (3, 1, 33)


def test_a_manager_follows_only_the_people_under_them(team):
    body = _progress(team.manager, team).json()
    assert body["participants"] == 2
    assert _figure(body, "manager")["total"] == 2


def test_a_manager_of_managers_follows_the_whole_subtree(team):
    assert _progress(team.boss, team).json()["participants"] == 3


def test_a_manager_elsewhere_follows_only_their_own_people(team):
    assert _progress(team.outsider_manager, team).json()["participants"] == 1


def test_an_hr_partner_follows_their_departments(team):
    body = _progress(team.partner, team).json()
    assert body["participants"] == 2
    assert [d["name"] for d in body["departments"]] == ["Platform"]


def test_an_employee_without_reports_gets_no_progress(team):
    assert _progress(team.report, team).status_code == 404
    assert _progress(team.peer, team).status_code == 404


def test_progress_by_manager_pages_in_name_order(team):
    client = bearer(team.admin)
    url = f"{BASE}/cycles/{team.cycle.pk}/progress/managers"
    first = client.get(url, {"limit": 1}).json()
    second = client.get(url, {"limit": 1, "cursor": first["next_cursor"]}).json()
    names = [g["name"] for g in first["items"] + second["items"]]
    assert sorted(names) == names
    assert len(set(names)) == 2


def test_a_tampered_manager_cursor_is_a_422_naming_the_cursor(team):
    response = bearer(team.admin).get(
        f"{BASE}/cycles/{team.cycle.pk}/progress/managers", {"cursor": "!!"}
    )
    assert response.status_code == 422
    assert error_fields(response) == ["cursor"]
