"""Plans where other pages show them: the 1:1's talking points and the team hub's growth
slot (counts only, one grouped query whatever the number of reports)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from tandem.growth.models import ActionStatus, PlanStatus
from tests.factories import PersonFactory
from tests.growth.factories_plans import FocusAreaFactory, PlanFactory, action
from tests.meetings.factories import series_with_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-12-05 10:00Z")]
TODAY = date(2026, 12, 5)


def _points(client, meeting) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    section = page[page.index('id="points-h"') : page.index("</section>", page.index("points-h"))]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    manager = PersonFactory(first_name="Mia", last_name="Manager", time_zone="UTC")
    report = PersonFactory(
        first_name="Ravi", last_name="Report", preferred_name="", manager=manager, time_zone="UTC"
    )
    return manager, report


def test_the_one_on_one_shows_the_active_plans_open_actions_overdue_first(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    action(area, text="Read the design book", due_on=date(2026, 12, 20))
    action(area, text="Finish the course", due_on=date(2026, 12, 1))
    action(area, text="Already done", due_on=date(2026, 11, 1), status=ActionStatus.DONE)
    _, meeting = series_with_meeting(manager, report)
    points = [p for p in _points(client_for(manager), meeting) if "plan" in p.lower()]
    assert points == [
        "Overdue plan action: Ravi Report: Finish the course — overdue since 1 Dec",
        "Development plan: Ravi Report: Read the design book — due 20 Dec",
    ]


def test_a_draft_plan_is_not_a_talking_point(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report, status=PlanStatus.DRAFT))
    action(area, text="Draft action", due_on=date(2026, 12, 20))
    _, meeting = series_with_meeting(manager, report)
    assert not any("Draft action" in p for p in _points(client_for(manager), meeting))


def test_a_draft_plan_is_one_talking_point_asking_to_agree_it(client_for, team):
    manager, report = team
    PlanFactory(person=report, status=PlanStatus.DRAFT, title="Grow into IC3")
    _, meeting = series_with_meeting(manager, report)
    points = [p for p in _points(client_for(manager), meeting) if "plan" in p.lower()]
    assert points == ["Development plan: Agree “Grow into IC3”: it is still a draft"]


def test_the_hub_shows_an_active_plan_and_its_overdue_actions(client_for, team):
    manager, report = team
    area = FocusAreaFactory(plan=PlanFactory(person=report))
    action(area, due_on=date(2026, 12, 1))
    action(area, due_on=date(2026, 11, 1))
    idle = PersonFactory(manager=manager)
    page = client_for(manager).get(reverse("team:hub")).content.decode()
    row = page[page.index(f'data-person="{report.pk}"') :]
    slot = row[
        row.index('data-slot="growth"') : row.index("</td>", row.index('data-slot="growth"'))
    ]
    assert "Active plan" in slot and "2 overdue" in slot
    other = page[page.index(f'data-person="{idle.pk}"') :]
    assert "No active plan" in other[: other.index("</tr>")]


def test_the_growth_slot_costs_one_query_whatever_the_team(
    client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def team_of(size: int):  # type: ignore[no-untyped-def]
        manager = PersonFactory()
        for _ in range(size):
            report = PersonFactory(manager=manager)
            action(FocusAreaFactory(plan=PlanFactory(person=report)), due_on=date(2026, 11, 1))
        return manager

    small = client_for(team_of(2))
    small.get(reverse("team:hub"))
    with CaptureQueriesContext(connection) as captured:
        small.get(reverse("team:hub"))
    budget = len(captured)  # now: the next request resets the connection's query log
    big = client_for(team_of(12))
    big.get(reverse("team:hub"))
    with django_assert_max_num_queries(budget):
        big.get(reverse("team:hub"))
