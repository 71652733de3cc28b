"""The alignment tree page and its one-level-at-a-time expansion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.goals.models import GoalLevel, Health, Visibility
from tandem.goals.queries import tree as queries_tree
from tandem.org.models import Company, PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db
# Tests marked `dates` read the current period: the quarter holding today.


@pytest.fixture
def world():
    """A company goal with a public team goal and a private individual goal aligned to it."""
    period = PeriodFactory()
    engineering = DepartmentFactory(name="Tree Engineering")
    platform = DepartmentFactory(name="Tree Platform", parent=engineering)
    sales = DepartmentFactory(name="Tree Sales")
    boss = PersonFactory(department=engineering)
    manager = PersonFactory(department=platform, manager=boss)
    owner = PersonFactory(department=platform, manager=manager, first_name="Priyamvadaxa")
    outsider = PersonFactory(department=sales)
    company = GoalFactory(
        title="Grow revenue",
        level=GoalLevel.COMPANY,
        owner=boss,
        period=period,
        progress=Decimal("0.2"),
    )
    team = GoalFactory(
        title="Ship the platform",
        level=GoalLevel.TEAM,
        owner=manager,
        period=period,
        parent=company,
        department=platform,
        progress=Decimal("0.6"),
        health=Health.AT_RISK,
    )
    private = GoalFactory(
        title="Secret side quest",
        owner=owner,
        period=period,
        parent=company,
        visibility=Visibility.PRIVATE,
        progress=Decimal("0.2"),
    )
    return {
        "period": period,
        "engineering": engineering,
        "sales": sales,
        "manager": manager,
        "owner": owner,
        "outsider": outsider,
        "company": company,
        "team": team,
        "private": private,
    }


def children_url(goal, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("goals:tree_children", args=[goal.pk]) + (f"?{query}" if query else "")


@pytest.mark.dates
def test_the_tree_shows_the_mission_and_the_company_goals_of_the_current_period(client_for, world):
    company = Company.load()
    company.mission = "Make work make sense"
    company.save()
    response = client_for(world["outsider"]).get(reverse("goals:tree"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Make work make sense" in text
    assert "Grow revenue" in text
    assert "Roll-up of 2 aligned goals" in text
    assert f'aria-controls="goal-children-{world["company"].pk}"' in text


def test_an_outsider_sees_a_private_child_only_as_a_count(client_for, world):
    text = client_for(world["outsider"]).get(children_url(world["company"])).content.decode()
    assert "Ship the platform" in text
    assert "Secret side quest" not in text
    assert "Priyamvadaxa" not in text
    assert "+1 private goal:" in text


def test_the_private_childs_manager_sees_its_title_and_no_private_count(client_for, world):
    text = client_for(world["manager"]).get(children_url(world["company"])).content.decode()
    assert "Secret side quest" in text
    assert "private goal:" not in text


def test_an_hr_admin_sees_every_private_child(client_for, world):
    text = client_for(hr_admin()).get(children_url(world["company"])).content.decode()
    assert "Secret side quest" in text


def test_the_rollup_counts_private_children_for_everyone(world):
    node = queries_tree.tree_goal(world["outsider"], world["company"].pk)
    assert node is not None
    assert node.child_count == 2  # type: ignore[attr-defined]
    assert node.visible_children == 1  # type: ignore[attr-defined]
    assert node.rollup == Decimal("0.4")  # type: ignore[attr-defined]


def test_an_outsider_cannot_expand_a_private_goal(client_for, world):
    response = client_for(world["outsider"]).get(children_url(world["private"]))
    assert response.status_code == 404


def test_the_status_filter_narrows_children_and_says_how_many_it_left_out(client_for, world):
    text = (
        client_for(world["manager"])
        .get(children_url(world["company"], status="on_track"))
        .content.decode()
    )
    assert "Ship the platform" not in text
    assert "2 more aligned goals left out by the filters" in text


def test_the_department_filter_includes_sub_departments(client_for, world):
    client = client_for(world["manager"])
    text = client.get(
        children_url(world["company"], department=world["engineering"].pk)
    ).content.decode()
    assert "Ship the platform" in text
    assert "Secret side quest" in text  # no department of its own: the owner's (Platform)
    text = client.get(children_url(world["company"], department=world["sales"].pk)).content.decode()
    assert "Ship the platform" not in text


@pytest.mark.dates
def test_company_goals_stay_as_the_frame_whatever_the_department(client_for, world):
    url = reverse("goals:tree") + f"?department={world['sales'].pk}"
    assert "Grow revenue" in client_for(world["outsider"]).get(url).content.decode()


def test_another_period_shows_its_own_company_goals(client_for, world):
    other = PeriodFactory(
        name="Custom later",
        kind="custom",
        start_date=world["period"].end_date.replace(day=1),
        end_date=world["period"].end_date,
    )
    GoalFactory(title="Later company goal", level=GoalLevel.COMPANY, period=other)
    text = (
        client_for(world["outsider"])
        .get(reverse("goals:tree") + f"?period={other.pk}")
        .content.decode()
    )
    assert "Later company goal" in text
    assert "Grow revenue" not in text


@pytest.mark.dates
def test_an_empty_period_teaches_where_company_goals_come_from(client_for, db):
    PeriodFactory()
    text = client_for(PersonFactory()).get(reverse("goals:tree")).content.decode()
    assert "No company goals for" in text
    assert reverse("goals:company") in text


def test_an_owner_who_left_is_not_named_in_the_tree(client_for, world):
    leaver = PersonFactory(last_name="Gonebye", status=PersonStatus.LEFT, end_date=None)
    GoalFactory(title="Orphan goal", owner=leaver, period=world["period"], parent=world["company"])
    text = client_for(world["outsider"]).get(children_url(world["company"])).content.decode()
    assert "Orphan goal" in text
    assert "Gonebye" not in text


def test_children_come_in_pages_with_a_show_more_button(client_for, world, monkeypatch):
    monkeypatch.setattr(queries_tree, "TREE_PAGE_SIZE", 2)
    for i in range(3):
        GoalFactory(title=f"Page goal {i}", period=world["period"], parent=world["team"])
    client = client_for(world["outsider"])
    page = queries_tree.tree_children(
        world["outsider"], world["team"], queries_tree.TreeFilters(), limit=2
    )
    assert [g.title for g in page.nodes] == ["Page goal 0", "Page goal 1"]
    rest = queries_tree.tree_children(
        world["outsider"], world["team"], queries_tree.TreeFilters(), cursor=page.next_cursor
    )
    assert [g.title for g in rest.nodes] == ["Page goal 2"]
    assert rest.next_cursor is None
    response = client.get(children_url(world["team"], after=page.next_cursor))
    assert response.status_code == 200


def test_a_tampered_show_more_link_is_a_404_not_a_500(client_for, world):
    response = client_for(world["outsider"]).get(children_url(world["company"], after="!!bad"))
    assert response.status_code == 404


@pytest.mark.dates
def test_nonsense_filters_are_reported_and_the_tree_still_shows(client_for, world):
    response = client_for(world["outsider"]).get(reverse("goals:tree") + "?period=abc&status=x")
    assert response.status_code == 200
    assert "Grow revenue" in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def _grow(world, count: int) -> None:
    for i in range(count):
        team = GoalFactory(
            title=f"Team {i}", level=GoalLevel.TEAM, period=world["period"], parent=world["company"]
        )
        GoalFactory(title=f"Person {i}", period=world["period"], parent=team)
        GoalFactory(
            title=f"Hidden {i}", period=world["period"], parent=team, visibility=Visibility.PRIVATE
        )
        GoalFactory(title=f"Root {i}", level=GoalLevel.COMPANY, period=world["period"])


def _count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_tree_page_and_an_expand_cost_the_same_queries_with_more_goals(
    client_for, world, django_assert_max_num_queries
):
    client = client_for(world["outsider"])
    tree_url = reverse("goals:tree") + f"?department={world['engineering'].pk}&status=at_risk"
    expand_url = children_url(world["company"], department=world["engineering"].pk)
    client.get(tree_url)
    small = (_count(client, tree_url), _count(client, expand_url))
    _grow(world, 12)
    large = (_count(client, tree_url), _count(client, expand_url))
    assert small == large
    with django_assert_max_num_queries(14):
        client.get(tree_url)
    with django_assert_max_num_queries(8):
        client.get(expand_url)


@pytest.mark.dates
def test_the_tree_notes_how_many_goals_do_not_reach_a_company_goal(client_for, world):
    GoalFactory(owner=world["owner"], period=world["period"], title="Loose end")
    response = client_for(hr_admin()).get(reverse("goals:tree"))
    assert "1 goal in" in response.content.decode()
    assert (
        queries_tree.unaligned_count(hr_admin(), queries_tree.TreeFilters(period=world["period"]))
        == 1
    )


@pytest.mark.dates
def test_the_unaligned_note_stops_counting_past_its_cap(client_for, world, monkeypatch):
    monkeypatch.setattr(queries_tree, "UNALIGNED_CAP", 2)
    for number in range(4):
        GoalFactory(owner=world["owner"], period=world["period"], title=f"Loose end {number}")
    filters = queries_tree.TreeFilters(period=world["period"])
    assert queries_tree.unaligned_count(hr_admin(), filters) == 3
    assert "2+ goals in" in client_for(hr_admin()).get(reverse("goals:tree")).content.decode()
