"""GET /api/v1/reviews/cycles/{id}/fairness: the issue's shape, 422 for an unknown attribute
or stage, and 404 for everyone but HR admins who hold the people-analytics role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tandem.org.models import Person
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.fairness.groups_helpers import Rated, RatedCycle, people_analyst, rated_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def built() -> RatedCycle:
    rows = [Rated("Alpha", 1 + i % 5, final=5) for i in range(6)]
    rows += [Rated("Beta", 1 + i % 3) for i in range(6)] + [Rated("Zorblax", 4)]
    return rated_cycle(rows)


def _url(built: RatedCycle, query: str = "attribute=gender") -> str:
    return f"/api/v1/reviews/cycles/{built.cycle.pk}/fairness?{query}"


def test_the_answer_has_exactly_the_issues_shape(
    built: RatedCycle, client_for: Callable[[Person | None], Client]
) -> None:
    answer = client_for(people_analyst()).get(_url(built, "attribute=gender&stage=raw"))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"attribute", "min_group_size", "groups", "test"}
    assert body["attribute"] == "gender"
    assert body["min_group_size"] == 5
    assert set(body["test"]) == {"method", "statistic", "dof", "p_value"}
    assert body["test"]["method"] == "chi-square"
    by_group = {g["group"]: g for g in body["groups"]}
    assert set(by_group["Alpha"]) == {
        "group",
        "n",
        "mean_rating",
        "top_share",
        "bottom_share",
        "impact_ratio",
        "suppressed",
    }
    assert by_group["Alpha"]["n"] == 6
    assert by_group["Alpha"]["mean_rating"] == pytest.approx(16 / 6)  # 1, 2, 3, 4, 5, 1
    assert by_group["Zorblax"] == {
        "group": "Zorblax",
        "n": None,
        "mean_rating": None,
        "top_share": None,
        "bottom_share": None,
        "impact_ratio": None,
        "suppressed": True,
    }


def test_the_stage_defaults_to_calibrated(
    built: RatedCycle, client_for: Callable[[Person | None], Client]
) -> None:
    body = client_for(people_analyst()).get(_url(built)).json()
    alpha = next(g for g in body["groups"] if g["group"] == "Alpha")
    assert alpha["mean_rating"] == pytest.approx(5.0)  # everyone in Alpha calibrated to 5


def test_an_unknown_attribute_is_answered_422_naming_it(
    built: RatedCycle, client_for: Callable[[Person | None], Client]
) -> None:
    answer = client_for(people_analyst()).get(_url(built, "attribute=shoe_size"))
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["loc"] == ["query", "attribute"]
    assert "Unknown attribute “shoe_size”" in error["msg"]


def test_an_unknown_stage_is_answered_422_naming_it(
    built: RatedCycle, client_for: Callable[[Person | None], Client]
) -> None:
    answer = client_for(people_analyst()).get(_url(built, "attribute=gender&stage=final"))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["query", "stage"]


def test_a_missing_cycle_is_404(client_for: Callable[[Person | None], Client]) -> None:
    answer = client_for(people_analyst()).get("/api/v1/reviews/cycles/999999/fairness?attribute=x")
    assert answer.status_code == 404


def test_an_hr_admin_without_the_people_analytics_role_gets_404(
    built: RatedCycle, client_for: Callable[[Person | None], Client]
) -> None:
    assert client_for(hr_admin()).get(_url(built)).status_code == 404


@pytest.mark.parametrize("who", ["hr_partner", "executive", "manager", "employee"])
def test_other_roles_get_404(
    built: RatedCycle, client_for: Callable[[Person | None], Client], who: str
) -> None:
    person = {
        "hr_partner": lambda: hr_partner(list(built.departments.values())),
        "executive": lambda: executive(),
        "manager": lambda: built.people[0].manager,
        "employee": lambda: PersonFactory(department=DepartmentFactory()),
    }[who]()
    assert client_for(person).get(_url(built)).status_code == 404
