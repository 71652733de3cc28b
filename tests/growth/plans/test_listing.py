"""The plan list: the newest plans chosen first and only they counted, and who sees which
plans (the person, everyone above them, HR partners for their departments when the
program says so)."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.growth.queries import plans as queries
from tandem.program.models import Program
from tests.factories import DepartmentFactory, PersonFactory, hr_partner
from tests.growth.factories_plans import FocusAreaFactory, PlanFactory, action

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00Z")]
TODAY = date(2026, 12, 5)


def _plan_with(person, starts_on: date, overdue: int, later: int):  # type: ignore[no-untyped-def]
    plan = PlanFactory(person=person, starts_on=starts_on)
    area = FocusAreaFactory(plan=plan)
    for _ in range(overdue):
        action(area, due_on=date(2026, 11, 1))
    for _ in range(later):
        action(area, due_on=date(2027, 1, 1))
    return plan


def test_a_limited_list_keeps_the_newest_plans_each_with_its_own_counts():
    manager = PersonFactory()
    oldest = _plan_with(PersonFactory(manager=manager), date(2026, 1, 1), overdue=3, later=0)
    newest = _plan_with(PersonFactory(manager=manager), date(2026, 9, 1), overdue=1, later=2)
    middle = _plan_with(PersonFactory(manager=manager), date(2026, 5, 1), overdue=0, later=1)
    listed = queries.plans(manager, today=TODAY, limit=2)
    assert [p.pk for p in listed] == [newest.pk, middle.pk]
    assert [(p.areas, p.open_actions, p.overdue) for p in listed] == [(1, 3, 1), (1, 1, 0)]
    assert oldest.pk not in {p.pk for p in listed}


def test_the_list_has_ones_own_plan_and_those_below_not_a_peers():
    manager = PersonFactory()
    report = PersonFactory(manager=manager)
    below = PersonFactory(manager=report)
    peer = PersonFactory(manager=manager)
    plans = {p: PlanFactory(person=p).pk for p in (manager, report, below, peer)}
    listed = {p.pk for p in queries.plans(report, today=TODAY)}
    assert listed == {plans[report], plans[below]}


def test_an_hr_partner_lists_the_plans_of_their_departments_when_the_program_says_so():
    covered = DepartmentFactory(name="Covered")
    inside = DepartmentFactory(name="Inside", parent=covered)
    elsewhere = DepartmentFactory(name="Elsewhere")
    partner = hr_partner([covered])
    in_covered = PlanFactory(person=PersonFactory(department=covered)).pk
    in_inside = PlanFactory(person=PersonFactory(department=inside)).pk
    PlanFactory(person=PersonFactory(department=elsewhere))
    own = PlanFactory(person=partner).pk
    assert {p.pk for p in queries.plans(partner, today=TODAY)} == {own}
    Program.objects.create(pk=1, purposes=["growth"], development_plans_visible_to_hr=True)
    listed = {p.pk for p in queries.plans(partner, today=TODAY)}
    assert listed == {own, in_covered, in_inside}
