"""Periods from the program's switches, custom periods, closing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.goals.models import Goal, Period, PeriodKind
from tandem.goals.queries import goals as queries
from tandem.goals.reminders import keep_goal_periods
from tandem.goals.services.periods import bounds, close_period, create_period, ensure_periods
from tandem.program.models import Program
from tests.factories import PersonFactory, hr_admin

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_quarters_are_counted_from_january_by_default():
    assert bounds(date(2026, 8, 14), length="quarter", fiscal_start_month=1) == (
        "Q3 2026",
        date(2026, 7, 1),
        date(2026, 9, 30),
    )


def test_quarters_follow_a_fiscal_year_starting_in_april():
    assert bounds(date(2026, 2, 1), length="quarter", fiscal_start_month=4) == (
        "Q4 FY2025",
        date(2026, 1, 1),
        date(2026, 3, 31),
    )


def test_halves_and_years_are_named_plainly():
    assert bounds(date(2026, 8, 1), length="half", fiscal_start_month=1)[0] == "H2 2026"
    assert bounds(date(2026, 8, 1), length="year", fiscal_start_month=1) == (
        "FY2026",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )


def test_ensure_periods_creates_the_current_and_next_period_once():
    current, following = ensure_periods(date(2026, 12, 5))
    assert (current.name, following.name) == ("Q4 2026", "Q1 2027")
    ensure_periods(date(2026, 12, 5))
    assert Period.objects.count() == 2


def test_ensure_periods_follows_the_program():
    program = Program.load()
    program.goal_period_length = "half"
    program.save()
    current, _ = ensure_periods(date(2026, 3, 1))
    assert (current.name, current.kind) == ("H1 2026", PeriodKind.HALF)


def test_the_current_period_prefers_a_program_period_over_a_custom_one():
    current, _ = ensure_periods(date(2026, 8, 1))
    create_period(
        by=hr_admin(), name="Sprint", start_date=date(2026, 7, 1), end_date=date(2026, 8, 31)
    )
    assert queries.current_period(date(2026, 8, 1)) == current


def test_a_custom_period_whose_start_is_after_its_end_is_refused():
    with pytest.raises(ValidationError) as error:
        create_period(
            by=hr_admin(), name="Backwards", start_date=date(2026, 9, 1), end_date=date(2026, 8, 1)
        )
    assert "end_date" in error.value.message_dict
    assert not Period.objects.exists()


def test_only_hr_admins_create_periods():
    with pytest.raises(NotAllowed):
        create_period(
            by=PersonFactory(), name="X", start_date=date(2026, 1, 1), end_date=date(2026, 2, 1)
        )


def test_closing_a_period_twice_is_refused():
    admin = hr_admin()
    current, _ = ensure_periods(date(2026, 8, 1))
    close_period(period=current, by=admin)
    with pytest.raises(ValidationError):
        close_period(period=current, by=admin)


def test_the_periods_page_counts_each_periods_goals(client_for):
    from django.urls import reverse

    from tests.goals.factories import GoalFactory, PeriodFactory

    busy = PeriodFactory(name="Busy", kind="custom", start_date="2098-01-01", end_date="2098-03-31")
    PeriodFactory(name="Quiet", kind="custom", start_date="2099-01-01", end_date="2099-03-31")
    GoalFactory(period=busy)
    GoalFactory(period=busy)
    counts = {p.name: p.goal_count for p in queries.periods_with_counts()}
    assert (counts["Busy"], counts["Quiet"]) == (2, 0)
    response = client_for(hr_admin()).get(reverse("goals:periods"))
    assert response.status_code == 200
    assert "<td>2</td>" in response.content.decode()


def test_goal_pages_create_no_period_when_none_exists(client_for):
    person = PersonFactory()
    client = client_for(person)

    for page in ("/goals/", "/goals/company/", "/goals/new/"):
        assert client.get(page).status_code == 200
    assert not Period.objects.exists()
    assert "No goal period is open yet" in client.get("/goals/new/").text


@pytest.mark.time_machine(datetime(2027, 5, 12, 9, tzinfo=UTC))
def test_the_first_goal_saved_before_any_period_exists_opens_the_current_one(client_for):
    person = PersonFactory()
    response = client_for(person).post(
        "/goals/new/",
        {
            "title": "Ship the first release",
            "level": "individual",
            "visibility": "public",
            "kr-kind": "number",
        },
    )
    goal = Goal.objects.get(title="Ship the first release")
    assert response.status_code == 302
    assert goal.period.name == "Q2 2027"


@pytest.mark.time_machine(datetime(2027, 5, 12, 9, tzinfo=UTC))
def test_the_nightly_run_opens_the_current_and_the_next_period_once(db):
    keep_goal_periods(date(2027, 5, 12))
    keep_goal_periods(date(2027, 5, 12))
    assert sorted(Period.objects.values_list("name", flat=True)) == ["Q2 2027", "Q3 2027"]


def test_editing_a_goal_while_no_period_is_open_says_its_period_closed_and_changes_nothing(
    client_for,
):
    period = Period.objects.create(
        name="Old", kind=PeriodKind.CUSTOM, start_date=date(2020, 1, 1), end_date=date(2020, 3, 31)
    )
    Period.objects.filter(pk=period.pk).update(closed_at=datetime(2020, 4, 1, tzinfo=UTC))
    from tests.goals.factories import GoalFactory

    person = PersonFactory()
    goal = GoalFactory(owner=person, period=period, title="Before")
    response = client_for(person).post(
        f"/goals/{goal.pk}/edit/",
        {"title": "After", "visibility": "public", "owner_email": person.email},
    )
    goal.refresh_from_db()
    assert response.status_code == 200
    assert "Old is closed" in response.text
    assert (goal.title, goal.period_id) == ("Before", period.pk)
