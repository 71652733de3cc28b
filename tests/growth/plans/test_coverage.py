"""HR's plan coverage per department: the figures equal an independent count, whole
subtrees counted, HR partners see their departments only, and the page costs the same
queries whatever the size of the company."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.growth.models import Action, Plan, PlanStatus
from tandem.growth.queries import plans as queries
from tandem.org.models import Department, Person, PersonStatus
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.growth.factories_plans import FocusAreaFactory, PlanFactory, action

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00Z")]
TODAY = date(2026, 12, 5)


def _company(seed_people: int = 3, name: str = ""):  # type: ignore[no-untyped-def]
    root = DepartmentFactory(name=f"Root{name}")
    child = DepartmentFactory(name=f"Child{name}", parent=root)
    other = DepartmentFactory(name=f"Other{name}")
    for index in range(seed_people):
        for department in (root, child, other):
            person = PersonFactory(department=department)
            if index % 2 == 0:
                area = FocusAreaFactory(plan=PlanFactory(person=person))
                action(area, due_on=date(2026, 11, 1))
                action(area, due_on=date(2027, 1, 1))
    PlanFactory(person=PersonFactory(department=child), status=PlanStatus.DRAFT)
    PersonFactory(department=child, status=PersonStatus.LEFT)
    return root, child, other


def _independent(department: Department) -> tuple[int, int, int]:
    people = [
        p
        for p in Person.objects.filter(status=PersonStatus.ACTIVE).select_related("department")
        if p.department is not None and p.department.path.startswith(department.path)
    ]
    ids = {p.pk for p in people}
    with_plan = {
        p.person_id for p in Plan.objects.filter(status=PlanStatus.ACTIVE) if p.person_id in ids
    }
    overdue = [
        a
        for a in Action.objects.select_related("focus_area__plan")
        if a.focus_area.plan.person_id in ids
        and a.focus_area.plan.status == PlanStatus.ACTIVE
        and a.status in ("todo", "doing")
        and a.due_on is not None
        and a.due_on < TODAY
    ]
    return len(people), len(with_plan), len(overdue)


def test_coverage_equals_an_independent_count_per_department_subtree():
    root, child, other = _company()
    _, rows = queries.coverage(hr_admin(department=other), today=TODAY)
    by_department = {r.department.pk: r.coverage for r in rows}
    for department in (root, child, other):
        counted = by_department[department.pk]
        assert (counted.people, counted.with_plan, counted.overdue) == _independent(department)


def test_the_root_counts_its_sub_department():
    root, child, _ = _company()
    _, rows = queries.coverage(hr_admin(), today=TODAY)
    by_department = {r.department.pk: r.coverage for r in rows}
    assert by_department[root.pk].people > by_department[child.pk].people > 0


def test_an_hr_partner_sees_only_their_departments():
    root, child, other = _company()
    company, rows = queries.coverage(hr_partner([child]), today=TODAY)
    assert company is None
    assert [r.department.pk for r in rows] == [child.pk]


def test_a_manager_gets_not_found(client_for):
    manager = PersonFactory()
    PersonFactory(manager=manager)
    assert client_for(manager).get(reverse("growth:plans_coverage")).status_code == 404


def test_the_page_shows_no_plan_text(client_for):
    _company()
    PlanFactory(person=PersonFactory(), title="Secret plan title")
    page = client_for(hr_admin()).get(reverse("growth:plans_coverage")).content.decode()
    assert "Secret plan title" not in page
    assert "Child" in page


def test_the_page_costs_the_same_queries_whatever_the_company(
    client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    hr = hr_admin()
    _company(1)
    client = client_for(hr)
    client.get(reverse("growth:plans_coverage"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("growth:plans_coverage"))
    budget = len(captured)  # now: the next request resets the connection's query log
    _company(4, name=" 2")
    with django_assert_max_num_queries(budget):
        client.get(reverse("growth:plans_coverage"))


def test_two_active_plans_count_their_person_once_and_both_plans_overdue_actions():
    department = DepartmentFactory(name="Twice")
    person = PersonFactory(department=department)
    for _ in range(2):
        area = FocusAreaFactory(plan=PlanFactory(person=person))
        action(area, due_on=date(2026, 11, 1))
        action(area, due_on=date(2026, 11, 2))
    _, rows = queries.coverage(hr_admin(), today=TODAY)
    [counted] = [r.coverage for r in rows if r.department.pk == department.pk]
    assert (counted.people, counted.with_plan, counted.overdue) == (1, 1, 4)
    assert (counted.people, counted.with_plan, counted.overdue) == _independent(department)


def test_overdue_actions_count_only_open_ones_of_active_plans_of_active_people():
    department = DepartmentFactory(name="Mixed")
    counted_area = FocusAreaFactory(plan=PlanFactory(person=PersonFactory(department=department)))
    action(counted_area, due_on=date(2026, 11, 1))
    action(counted_area, due_on=date(2026, 11, 1), status="done")
    action(counted_area, due_on=None)
    action(counted_area, due_on=TODAY)
    completed = PlanFactory(
        person=PersonFactory(department=department), status=PlanStatus.COMPLETED
    )
    action(FocusAreaFactory(plan=completed), due_on=date(2026, 11, 1))
    left = PersonFactory(department=department, status=PersonStatus.LEFT)
    action(FocusAreaFactory(plan=PlanFactory(person=left)), due_on=date(2026, 11, 1))
    _, rows = queries.coverage(hr_admin(), today=TODAY)
    [counted] = [r.coverage for r in rows if r.department.pk == department.pk]
    assert (counted.people, counted.with_plan, counted.overdue) == (2, 1, 1)
    assert (counted.people, counted.with_plan, counted.overdue) == _independent(department)
