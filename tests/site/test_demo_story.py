"""The demo tells the team hub's story on any date: of the demo manager's reports, exactly
two need them (one whose 1:1s slipped, one who went quiet), and HR's coach page has counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from tandem.coach.models import CoachTally
from tandem.coach.queries import findings
from tandem.feedback.models import Feedback
from tandem.org import demo
from tandem.org.models import Person
from tandem.team import queries as team_queries

pytestmark = pytest.mark.django_db  # the dates are pinned: the --today reruns add nothing


def _flags_on_the_demo_managers_team(today: date) -> dict[str, list[str]]:
    with time_machine.travel(datetime.combine(today, time(8), tzinfo=UTC), tick=False):
        demo.load_demo(people=demo.DEFAULT_PEOPLE, seed=demo.DEFAULT_SEED, today=today)
        manager = Person.objects.get(email=f"manager@{demo.DEMO_DOMAIN}")
        page = team_queries.hub_page(manager, manager=manager, today=today)
    return {row.person.email: [flag.key for flag in row.flags] for row in page.rows}


# A Monday, a Sunday at the end of a month, the first day of a quarter, a leap day.
@pytest.mark.parametrize(
    "today", [date(2026, 12, 7), date(2026, 5, 31), date(2027, 1, 1), date(2028, 2, 29)]
)
def test_exactly_two_reports_of_the_demo_manager_are_flagged(today: date) -> None:
    flags = _flags_on_the_demo_managers_team(today)
    flagged = {email: keys for email, keys in flags.items() if keys}
    assert sorted(sorted(keys) for keys in flagged.values()) == [
        ["no_feedback", "stale_goal"],
        ["no_one_on_one"],
    ]
    assert f"employee@{demo.DEMO_DOMAIN}" not in flagged
    assert len(flags) > len(flagged)


def test_hr_has_three_months_of_coach_counts() -> None:
    today = date(2026, 12, 7)
    with time_machine.travel(datetime.combine(today, time(8), tzinfo=UTC), tick=False):
        demo.load_demo(people=demo.MIN_PEOPLE, seed=demo.DEFAULT_SEED, today=today)
    months = set(CoachTally.objects.values_list("month", flat=True))
    assert months == {date(2026, 12, 1), date(2026, 11, 1), date(2026, 10, 1)}
    assert all(t.changed <= t.fired for t in CoachTally.objects.all())


def test_the_employee_has_feedback_the_coach_would_suggest_changes_to() -> None:
    today = date(2026, 12, 7)
    with time_machine.travel(datetime.combine(today, time(8), tzinfo=UTC), tick=False):
        demo.load_demo(people=demo.MIN_PEOPLE, seed=demo.DEFAULT_SEED, today=today)
    employee = Person.objects.get(email=f"employee@{demo.DEMO_DOMAIN}")
    texts = Feedback.objects.filter(recipient=employee).values_list("text", flat=True)
    assert any(findings(text, "feedback") for text in texts)
