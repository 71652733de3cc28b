"""Goals over the API: CRUD through the services, validation naming the field, visibility
everywhere (search included), keyset pagination, the tree and the coverage figures."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from tandem.audit.models import AuditEvent
from tandem.core.pagination import encode_cursor
from tandem.goals.models import CheckIn, Goal, GoalLevel, KeyResult, Visibility
from tests.factories import DepartmentFactory, PersonFactory, executive
from tests.goals.factories import GoalFactory, KeyResultFactory, PeriodFactory

pytestmark = pytest.mark.django_db
# Tests marked `dates` read the current period: the quarter holding today.


def send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.generic(method, url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def world():
    period = PeriodFactory()
    platform = DepartmentFactory(name="Api Platform")
    sales = DepartmentFactory(name="Api Sales")
    boss = executive(department=platform)
    manager = PersonFactory(department=platform)
    owner = PersonFactory(department=platform, manager=manager)
    outsider = PersonFactory(department=sales)
    company = GoalFactory(title="Grow revenue", level=GoalLevel.COMPANY, owner=boss, period=period)
    public = GoalFactory(title="Public plan", owner=owner, period=period, parent=company)
    private = GoalFactory(
        title="Secret plan",
        owner=owner,
        period=period,
        parent=company,
        visibility=Visibility.PRIVATE,
    )
    key_result = KeyResultFactory(goal=public, title="Users", start_value=0, target_value=100)
    return {
        "period": period,
        "platform": platform,
        "sales": sales,
        "boss": boss,
        "manager": manager,
        "owner": owner,
        "outsider": outsider,
        "company": company,
        "public": public,
        "private": private,
        "key_result": key_result,
    }


def titles(response: Any) -> list[str]:
    return [item["title"] for item in response.json()["items"]]


# --- Reading ---------------------------------------------------------------------------------


def test_an_outsider_lists_public_goals_but_never_private_ones(client_for, world):
    response = client_for(world["outsider"]).get("/api/v1/goals")
    assert response.status_code == 200
    assert "Public plan" in titles(response)
    assert "Secret plan" not in titles(response)


def test_search_never_finds_a_private_goal_for_an_outsider(client_for, world):
    assert titles(client_for(world["outsider"]).get("/api/v1/goals?q=secret")) == []
    assert titles(client_for(world["manager"]).get("/api/v1/goals?q=secret")) == ["Secret plan"]


def test_an_outsider_gets_a_404_for_a_private_goal(client_for, world):
    client = client_for(world["outsider"])
    assert client.get(f"/api/v1/goals/{world['private'].pk}").status_code == 404
    assert client.get(f"/api/v1/goals/{world['private'].pk}/check-ins").status_code == 404
    assert client.get(f"/api/v1/goals/{world['private'].pk}/children").status_code == 404


def test_the_owners_manager_reads_a_private_goal(client_for, world):
    response = client_for(world["manager"]).get(f"/api/v1/goals/{world['private'].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "Secret plan"
    assert body["parent"] == {"id": world["company"].pk, "title": "Grow revenue"}
    assert body["reaches_company_goal"] is True


def test_a_goal_aligned_to_a_private_one_does_not_name_it_to_outsiders(client_for, world):
    child = GoalFactory(title="Under the secret", period=world["period"], parent=world["private"])
    body = client_for(world["outsider"]).get(f"/api/v1/goals/{child.pk}").json()
    assert body["parent"] is None
    assert "Secret" not in json.dumps(body)


def test_the_list_filters_by_period_owner_level_and_department(client_for, world):
    client = client_for(world["manager"])
    owner = world["owner"].pk
    assert set(titles(client.get(f"/api/v1/goals?owner={owner}"))) == {"Public plan", "Secret plan"}
    assert titles(client.get("/api/v1/goals?level=company")) == ["Grow revenue"]
    assert titles(client.get(f"/api/v1/goals?department={world['sales'].pk}")) == []
    other = PeriodFactory(
        name="Other", kind="custom", start_date="2099-01-01", end_date="2099-02-01"
    )
    assert titles(client.get(f"/api/v1/goals?period={other.pk}")) == []


def test_the_list_is_keyset_paginated(client_for, world):
    client = client_for(world["manager"])
    first = client.get("/api/v1/goals?limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(f"/api/v1/goals?limit=2&cursor={first['next_cursor']}").json()
    assert [i["id"] for i in second["items"]] == [world["private"].pk]
    assert second["next_cursor"] is None


def test_bad_filters_are_422s_naming_the_field(client_for, world):
    client = client_for(world["manager"])
    for query, field in (
        ("cursor=abc", "cursor"),
        ("level=galaxy", "level"),
        ("department=999999", "department"),
        ("limit=0", "limit"),
        (f"owner={2**64}", "owner"),
    ):
        response = client.get(f"/api/v1/goals?{query}")
        assert response.status_code == 422, query
        assert field in json.dumps(response.json()["errors"]), query


def test_the_list_costs_the_same_queries_with_more_goals(
    client_for, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world["outsider"])
    client.get("/api/v1/goals")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/goals")
        return len(captured)

    before = count()
    for _i in range(10):
        goal = GoalFactory(period=world["period"], parent=world["public"])
        KeyResultFactory(goal=goal)
    assert count() == before
    with django_assert_max_num_queries(8):
        client.get("/api/v1/goals")


# --- Writing --------------------------------------------------------------------------------


@pytest.mark.dates
def test_a_person_creates_their_own_goal_with_key_results(client_for, world):
    client = client_for(world["outsider"])
    response = send(
        client,
        "POST",
        "/api/v1/goals",
        {
            "title": "Close 10 deals",
            "parent": world["company"].pk,
            "key_results": [{"title": "Deals", "start_value": 0, "target_value": 10}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == world["outsider"].pk
    assert body["period"]["id"] == world["period"].pk
    assert body["reaches_company_goal"] is True
    assert [kr["title"] for kr in body["key_results"]] == ["Deals"]
    assert AuditEvent.objects.filter(kind="goal.created").exists()


@pytest.mark.dates
def test_a_target_equal_to_the_start_is_refused_naming_the_field(client_for, world):
    before = Goal.objects.count()
    response = send(
        client_for(world["outsider"]),
        "POST",
        "/api/v1/goals",
        {
            "title": "Flat",
            "key_results": [{"title": "Nothing", "start_value": 5, "target_value": 5}],
        },
    )
    assert response.status_code == 422
    assert "target_value" in json.dumps(response.json())
    assert Goal.objects.count() == before


@pytest.mark.dates
def test_bad_create_input_names_the_field_and_saves_nothing(client_for, world):
    client = client_for(world["outsider"])
    before = Goal.objects.count()
    for body, field in (
        ({"title": ""}, "title"),
        ({"title": "x", "level": "galaxy"}, "level"),
        ({"title": "x", "parent": world["private"].pk}, "parent"),
        ({"title": "x", "period": 999999}, "period"),
        ({"title": "x", "key_results": [{"title": "k", "weight": -1}]}, "weight"),
        ({"title": "x", "key_results": [{"title": "k", "target_value": "ten"}]}, "target_value"),
    ):
        response = send(client, "POST", "/api/v1/goals", body)
        assert response.status_code == 422, (body, response.content)
        assert field in json.dumps(response.json()), body
    assert Goal.objects.count() == before


@pytest.mark.dates
def test_an_outsider_cannot_create_a_goal_for_someone_else(client_for, world):
    response = send(
        client_for(world["outsider"]),
        "POST",
        "/api/v1/goals",
        {
            "title": "Yours now",
            "owner": world["owner"].pk,
        },
    )
    assert response.status_code == 404


def test_the_owner_updates_a_goal_and_the_history_keeps_the_reason(client_for, world):
    response = send(
        client_for(world["owner"]),
        "PATCH",
        f"/api/v1/goals/{world['public'].pk}",
        {
            "title": "Public plan, sharper",
            "reason": "clearer wording",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Public plan, sharper"
    change = world["public"].changes.get(field="title")
    assert change.reason == "clearer wording"


def test_aligning_a_goal_under_its_own_child_is_refused_naming_parent(client_for, world):
    child = GoalFactory(owner=world["owner"], period=world["period"], parent=world["public"])
    response = send(
        client_for(world["owner"]),
        "PATCH",
        f"/api/v1/goals/{world['public'].pk}",
        {
            "parent": child.pk,
        },
    )
    assert response.status_code == 422
    assert "parent" in json.dumps(response.json())


def test_an_outsider_cannot_update_someone_elses_goal(client_for, world):
    response = send(
        client_for(world["outsider"]),
        "PATCH",
        f"/api/v1/goals/{world['public'].pk}",
        {
            "title": "Hijacked",
        },
    )
    assert response.status_code == 404
    assert Goal.objects.get(pk=world["public"].pk).title == "Public plan"


def test_closing_scores_the_goal(client_for, world):
    response = send(
        client_for(world["owner"]),
        "POST",
        f"/api/v1/goals/{world['public'].pk}/close",
        {"score": "0.7", "reflection": "Good quarter"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "closed"
    assert Decimal(response.json()["score"]) == Decimal("0.7")


def test_goals_cannot_be_deleted(client_for, world):
    response = send(client_for(world["owner"]), "DELETE", f"/api/v1/goals/{world['public'].pk}")
    assert response.status_code == 405
    assert Goal.objects.filter(pk=world["public"].pk).exists()


def test_key_results_are_added_changed_and_removed(client_for, world):
    client = client_for(world["owner"])
    goal = world["public"].pk
    added = send(
        client,
        "POST",
        f"/api/v1/goals/{goal}/key-results",
        {
            "title": "Revenue",
            "kind": "currency",
            "unit": "EUR",
            "start_value": 0,
            "target_value": 1000,
            "weight": 2,
        },
    )
    assert added.status_code == 201, added.content
    kr = added.json()["id"]
    changed = send(client, "PATCH", f"/api/v1/key-results/{kr}", {"current_value": 500})
    assert changed.status_code == 200
    assert Decimal(changed.json()["progress"]) == Decimal("0.5")
    listed = client.get(f"/api/v1/goals/{goal}/key-results").json()
    assert [k["title"] for k in listed] == ["Users", "Revenue"]
    assert send(client, "DELETE", f"/api/v1/key-results/{kr}").status_code == 204
    assert not KeyResult.objects.filter(pk=kr).exists()


def test_a_negative_weight_is_refused_naming_the_field(client_for, world):
    response = send(
        client_for(world["owner"]),
        "PATCH",
        f"/api/v1/key-results/{world['key_result'].pk}",
        {"weight": -2},
    )
    assert response.status_code == 422
    assert "weight" in json.dumps(response.json())


def test_an_outsider_cannot_touch_key_results_of_a_private_goal(client_for, world):
    kr = KeyResultFactory(goal=world["private"])
    client = client_for(world["outsider"])
    assert send(client, "PATCH", f"/api/v1/key-results/{kr.pk}", {"title": "x"}).status_code == 404
    assert send(client, "DELETE", f"/api/v1/key-results/{kr.pk}").status_code == 404
    assert KeyResult.objects.filter(pk=kr.pk, title=kr.title).exists()


def test_the_owner_checks_in_and_the_list_shows_it(client_for, world):
    client = client_for(world["owner"])
    goal = world["public"]
    response = send(
        client,
        "POST",
        f"/api/v1/goals/{goal.pk}/check-ins",
        {
            "health": "at_risk",
            "confidence": 6,
            "note": "Slower than hoped",
            "values": {str(world["key_result"].pk): 40},
        },
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["progress"]) == Decimal("0.4")
    listed = client.get(f"/api/v1/goals/{goal.pk}/check-ins").json()
    assert [c["note"] for c in listed["items"]] == ["Slower than hoped"]


def test_a_check_in_with_a_bad_confidence_names_the_field(client_for, world):
    response = send(
        client_for(world["owner"]),
        "POST",
        f"/api/v1/goals/{world['public'].pk}/check-ins",
        {"health": "on_track", "confidence": 11},
    )
    assert response.status_code == 422
    assert "confidence" in json.dumps(response.json())
    assert not CheckIn.objects.exists()


def test_an_outsider_cannot_check_in_on_someone_elses_goal(client_for, world):
    response = send(
        client_for(world["outsider"]),
        "POST",
        f"/api/v1/goals/{world['public'].pk}/check-ins",
        {"health": "on_track", "confidence": 5},
    )
    assert response.status_code == 404
    assert not CheckIn.objects.exists()


def test_check_ins_are_keyset_paginated(client_for, world):
    from django.utils import timezone

    for i in range(3):
        CheckIn.objects.create(
            goal=world["public"], health="on_track", confidence=i, created_at=timezone.now()
        )
    client = client_for(world["owner"])
    first = client.get(f"/api/v1/goals/{world['public'].pk}/check-ins?limit=2").json()
    second = client.get(
        f"/api/v1/goals/{world['public'].pk}/check-ins?limit=2&cursor={first['next_cursor']}"
    ).json()
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert len(set(ids)) == 3 and second["next_cursor"] is None
    bad = client.get(f"/api/v1/goals/{world['public'].pk}/check-ins?cursor=zzz")
    assert bad.status_code == 422


# --- Tree and coverage ---------------------------------------------------------------------


@pytest.mark.dates
def test_the_tree_counts_a_private_child_without_showing_it(client_for, world):
    client = client_for(world["outsider"])
    roots = client.get("/api/v1/goals/tree").json()
    assert [(n["title"], n["child_count"], n["hidden_children"]) for n in roots["items"]] == [
        ("Grow revenue", 2, 1)
    ]
    children = client.get(f"/api/v1/goals/{world['company'].pk}/children").json()
    assert [n["title"] for n in children["items"]] == ["Public plan"]
    assert children["hidden"] == 1


@pytest.mark.dates
def test_the_tree_filters_are_validated(client_for, world):
    client = client_for(world["outsider"])
    assert client.get("/api/v1/goals/tree?status=great").status_code == 422
    assert client.get("/api/v1/goals/tree?cursor=%%").status_code == 422
    response = client.get("/api/v1/goals/tree?period=999999")
    assert response.status_code == 422 and "period" in json.dumps(response.json())


@pytest.mark.dates
def test_coverage_shows_each_role_its_part(client_for, world):
    as_manager = client_for(world["manager"]).get("/api/v1/goals/coverage").json()
    assert as_manager["company"] is None and as_manager["departments"] is None
    assert as_manager["team"]["people"] == 1 and as_manager["team"]["aligned"] == 1
    as_exec = client_for(world["boss"]).get("/api/v1/goals/coverage").json()
    assert as_exec["company"]["people"] >= 4
    assert as_exec["team"] is None
    assert {d["department"]["name"] for d in as_exec["departments"]} >= {"Api Platform"}


def test_coverage_is_a_404_for_someone_without_people_or_a_role(client_for, world):
    client = client_for(world["outsider"])
    assert client.get("/api/v1/goals/coverage").status_code == 404
    assert client.get("/api/v1/goals/coverage/people").status_code == 404


@pytest.mark.dates
def test_a_manager_lists_their_unaligned_people(client_for, world):
    newcomer = PersonFactory(manager=world["manager"], department=world["platform"])
    body = client_for(world["manager"]).get("/api/v1/goals/coverage/people").json()
    assert body["items"] == [
        {"id": newcomer.pk, "display_name": newcomer.display_name, "has_goal": False}
    ]


def test_a_check_in_page_link_with_a_time_beyond_utc_is_a_422_not_a_500(client_for):
    goal = GoalFactory()
    client = client_for(goal.owner)
    cursor = encode_cursor("0001-01-01T00:00:00+05:00", 1)
    response = client.get(f"/api/v1/goals/{goal.pk}/check-ins", {"cursor": cursor})
    assert response.status_code == 422
    assert "cursor" in response.text
