"""Alignment coverage: who counts, what counts as aligned, and the figures per company,
department and manager — counted in SQL with a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.goals import coverage
from tandem.goals.models import GoalLevel
from tandem.org.models import PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin, hr_partner
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db
# Tests marked `dates` read the current period: the quarter holding today.


@pytest.fixture
def world():
    """A manager with four people: one aligned through a team goal, one with only an
    unaligned goal, one with no goal, one on leave (aligned, but not counted); plus one
    who left (aligned, not counted) and an executive who owns the company goal."""
    period = PeriodFactory()
    engineering = DepartmentFactory(name="Cov Engineering")
    platform = DepartmentFactory(name="Cov Platform", parent=engineering)
    sales = DepartmentFactory(name="Cov Sales")
    boss = executive(department=sales)
    company = GoalFactory(level=GoalLevel.COMPANY, owner=boss, period=period)
    manager = PersonFactory(department=engineering)
    team = GoalFactory(level=GoalLevel.TEAM, owner=manager, period=period, parent=company)
    aligned = PersonFactory(department=platform, manager=manager, last_name="Aligned")
    GoalFactory(owner=aligned, period=period, parent=team)
    unaligned = PersonFactory(department=platform, manager=manager, last_name="Unaligned")
    GoalFactory(owner=unaligned, period=period)
    nogoal = PersonFactory(department=platform, manager=manager, last_name="Nogoal")
    on_leave = PersonFactory(
        department=platform, manager=manager, status=PersonStatus.ON_LEAVE, last_name="Leave"
    )
    GoalFactory(owner=on_leave, period=period, parent=team)
    left = PersonFactory(
        department=platform, manager=manager, status=PersonStatus.LEFT, last_name="Leftover"
    )
    GoalFactory(owner=left, period=period, parent=team)
    return {
        "period": period,
        "engineering": engineering,
        "sales": sales,
        "boss": boss,
        "manager": manager,
        "aligned": aligned,
        "unaligned": unaligned,
        "nogoal": nogoal,
        "company": company,
    }


def test_a_manager_figure_counts_active_people_in_their_subtree_only(world):
    figure = coverage.manager_coverage(world["manager"], world["period"])
    assert (figure.people, figure.aligned, figure.with_goals) == (3, 1, 2)
    assert figure.without_goals == 1
    assert figure.only_unaligned == 1
    assert figure.share == Decimal("0.3333")
    assert figure.percent == 33


def test_a_company_goal_owner_counts_as_aligned(world):
    figure = coverage.company_coverage(world["period"])
    # boss (owns the company goal), manager (team goal aligned to it), aligned person;
    # the unaligned and goal-less people do not; on leave and left are not counted.
    assert (figure.people, figure.aligned) == (5, 3)


def test_goals_in_another_period_do_not_count(world):
    later = PeriodFactory(
        name="Later", kind="custom", start_date="2099-01-01", end_date="2099-03-31"
    )
    figure = coverage.manager_coverage(world["manager"], later)
    assert (figure.people, figure.aligned, figure.with_goals) == (3, 0, 0)


def test_a_goal_aligned_deeper_still_reaches_the_company_goal(world):
    parent = world["aligned"].goals.get()
    GoalFactory(owner=world["nogoal"], period=world["period"], parent=parent)
    assert coverage.manager_coverage(world["manager"], world["period"]).aligned == 2


def test_department_figures_include_sub_departments(world):
    rows = {r.department.name: r.coverage for r in coverage.departments_coverage(world["period"])}
    assert (rows["Cov Platform"].people, rows["Cov Platform"].aligned) == (3, 1)
    assert (rows["Cov Engineering"].people, rows["Cov Engineering"].aligned) == (4, 2)
    assert (rows["Cov Sales"].people, rows["Cov Sales"].aligned) == (1, 1)
    assert (
        coverage.department_coverage(world["engineering"], world["period"])
        == rows["Cov Engineering"]
    )


def test_the_company_and_its_departments_come_from_one_pass_with_the_same_figures(
    world, django_assert_num_queries
):
    # Someone without a department counts for the company, in no department.
    loner = PersonFactory(department=None)
    GoalFactory(owner=loner, period=world["period"], parent=world["company"])
    expected_company = coverage.company_coverage(world["period"])
    expected_rows = coverage.departments_coverage(world["period"])

    with django_assert_num_queries(4):  # people, goals, department paths, departments shown
        company, rows = coverage.company_and_departments(world["period"])

    assert company == expected_company
    assert (company.people, company.aligned, company.with_goals) == (6, 4, 5)
    assert rows == expected_rows


def test_a_department_nobody_works_in_has_no_share(world):
    DepartmentFactory(name="Cov Empty")
    rows = {r.department.name: r.coverage for r in coverage.departments_coverage(world["period"])}
    assert rows["Cov Empty"].people == 0
    assert rows["Cov Empty"].share is None


def test_the_unaligned_list_names_people_without_goals_and_with_only_unaligned_ones(world):
    people = list(coverage.unaligned_people(world["manager"], world["period"]))
    assert [(p.last_name, p.has_goal) for p in people] == [  # type: ignore[attr-defined]
        ("Nogoal", False),
        ("Unaligned", True),
    ]


def test_the_unaligned_list_is_keyset_paginated(world):
    first = coverage.unaligned_page(world["manager"], world["period"], cursor=None, limit=1)
    assert [p.last_name for p in first.people] == ["Nogoal"]
    second = coverage.unaligned_page(
        world["manager"], world["period"], cursor=first.next_cursor, limit=1
    )
    assert [p.last_name for p in second.people] == ["Unaligned"]
    assert second.next_cursor is None


def test_an_hr_partner_sees_only_their_departments(world):
    partner = hr_partner([world["engineering"]])
    names = {d.name for d in coverage.visible_departments(partner)}  # type: ignore[union-attr]
    assert names == {"Cov Engineering", "Cov Platform"}


@pytest.mark.dates
def test_the_page_shows_a_manager_their_figure_and_their_people(client_for, world):
    text = client_for(world["manager"]).get(reverse("goals:coverage")).content.decode()
    assert "33%" in text
    assert "Nogoal" in text and "Unaligned" in text
    assert "Aligned<" not in text
    assert "Suggest a company goal to align to" in text
    assert "The whole company" not in text
    assert "Departments" not in text


@pytest.mark.dates
def test_the_page_shows_executives_the_company_and_departments(client_for, world):
    text = client_for(world["boss"]).get(reverse("goals:coverage")).content.decode()
    assert "The whole company" in text
    assert "Cov Engineering" in text


@pytest.mark.dates
def test_the_page_shows_a_partner_only_their_departments(client_for, world):
    text = client_for(hr_partner([world["sales"]])).get(reverse("goals:coverage")).content.decode()
    assert "Cov Sales" in text
    assert "Cov Engineering" not in text
    assert "The whole company" not in text


def test_the_page_is_a_404_for_someone_without_people_or_a_role(client_for, world):
    assert client_for(world["nogoal"]).get(reverse("goals:coverage")).status_code == 404


def test_the_company_goals_page_links_to_coverage_only_for_those_it_opens_for(client_for, world):
    link = f'href="{reverse("goals:coverage")}"'
    assert link not in client_for(world["nogoal"]).get(reverse("goals:company")).content.decode()
    assert link in client_for(world["manager"]).get(reverse("goals:company")).content.decode()


@pytest.mark.dates
def test_a_tampered_page_link_is_reported_not_a_500(client_for, world):
    response = client_for(world["manager"]).get(reverse("goals:coverage") + "?cursor=%%%")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def _grow(world, count: int) -> None:
    for i in range(count):
        department = DepartmentFactory(parent=world["engineering"])
        person = PersonFactory(manager=world["manager"], department=department)
        if i % 2:
            GoalFactory(owner=person, period=world["period"], parent=world["company"])
        else:
            GoalFactory(owner=person, period=world["period"])


def test_coverage_costs_the_same_queries_with_more_people(client_for, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = hr_admin()
    viewer.manager = None
    client = client_for(viewer)
    url = reverse("goals:coverage")
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    manager_client = client_for(world["manager"])

    def count_manager() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(url).status_code == 200
        return len(captured)

    before = (count(), count_manager())
    _grow(world, 10)
    assert (count(), count_manager()) == before
    # Session, person, roles, nav, period: then 2 queries per figure, 4 for departments.
    assert before[0] <= 14 and before[1] <= 14


def test_a_goal_aligned_to_a_company_goal_of_another_period_counts_as_aligned(world):
    later = PeriodFactory(
        name="Later", kind="custom", start_date="2099-01-01", end_date="2099-03-31"
    )
    GoalFactory(owner=world["nogoal"], period=later, parent=world["company"])
    GoalFactory(owner=world["unaligned"], period=later)
    figure = coverage.manager_coverage(world["manager"], later)
    assert (figure.people, figure.aligned, figure.with_goals) == (3, 1, 2)
    people = list(coverage.unaligned_people(world["manager"], later))
    assert [p.last_name for p in people] == ["Aligned", "Unaligned"]


def test_nobody_is_aligned_before_there_is_a_company_goal(db):
    period = PeriodFactory()
    manager = PersonFactory()
    person = PersonFactory(manager=manager, last_name="Solo")
    GoalFactory(owner=person, period=period)
    assert coverage.company_coverage(period).aligned == 0
    assert [p.last_name for p in coverage.unaligned_people(manager, period)] == ["Solo"]
