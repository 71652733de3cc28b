"""My team's goals: each report's goals this period, stale ones flagged, the whole
organisation for managers of managers, keyset pages, and talking points for 1:1s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tandem.goals.models import GoalState, Health, Visibility
from tandem.goals.queries.checkins import talking_points_for, team_goals
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

LONG_AGO = timedelta(weeks=4)


@pytest.fixture
def period():
    return PeriodFactory()


@pytest.fixture
def manager():
    return PersonFactory(first_name="Mia", last_name="Manager")


def old_goal(**kwargs):
    goal = GoalFactory(**kwargs)
    goal.created_at = timezone.now() - LONG_AGO
    goal.save(update_fields=["created_at"])
    return goal


def test_a_managers_team_shows_each_reports_goals(manager, period):
    report = PersonFactory(manager=manager)
    GoalFactory(owner=report, period=period, title="Cut churn")
    page = team_goals(manager, period=period)
    [member] = page.members
    assert member.person == report
    assert [g.title for g in member.goals] == ["Cut churn"]


def test_goals_without_a_check_in_for_three_weeks_are_flagged(manager, period):
    report = PersonFactory(manager=manager)
    stale = old_goal(owner=report, period=period, title="Stale")
    stale.last_checkin_at = timezone.now() - LONG_AGO
    stale.save(update_fields=["last_checkin_at"])
    never = old_goal(owner=report, period=period, title="Never checked in")
    fresh = old_goal(owner=report, period=period, title="Fresh")
    fresh.last_checkin_at = timezone.now() - timedelta(days=3)
    fresh.save(update_fields=["last_checkin_at"])
    just_set = GoalFactory(owner=report, period=period, title="Set yesterday")
    [member] = team_goals(manager, period=period).members
    flags = {g.title: g.stale for g in member.goals}
    assert flags == {
        "Stale": True,
        "Never checked in": True,
        "Fresh": False,
        "Set yesterday": False,
    }
    assert member.stale_count == 2
    assert never.pk and just_set.pk


def test_closed_goals_are_not_flagged(manager, period):
    report = PersonFactory(manager=manager)
    old_goal(owner=report, period=period, state=GoalState.CLOSED)
    [member] = team_goals(manager, period=period).members
    assert member.goals[0].stale is False


def test_direct_reports_by_default_and_the_whole_organisation_on_request(manager, period):
    lead = PersonFactory(manager=manager, last_name="Alpha")
    below = PersonFactory(manager=lead, last_name="Beta")
    assert [m.person for m in team_goals(manager, period=period).members] == [lead]
    everyone = team_goals(manager, period=period, whole_org=True).members
    assert [m.person for m in everyone] == [lead, below]


def test_people_who_left_are_not_listed(manager, period):
    PersonFactory(manager=manager, status=PersonStatus.LEFT)
    assert team_goals(manager, period=period).members == []


def test_the_team_comes_in_keyset_pages(manager, period):
    reports = [PersonFactory(manager=manager, last_name=f"Person{n:02d}") for n in range(5)]
    first = team_goals(manager, period=period, limit=2)
    second = team_goals(manager, period=period, limit=2, cursor=first.next_cursor)
    third = team_goals(manager, period=period, limit=2, cursor=second.next_cursor)
    seen = [m.person for page in (first, second, third) for m in page.members]
    assert seen == sorted(reports, key=lambda p: (p.sort_name, p.pk))
    assert third.next_cursor is None


def test_other_periods_goals_are_not_shown(manager, period):
    report = PersonFactory(manager=manager)
    earlier = PeriodFactory(
        name="Earlier",
        start_date=period.start_date - timedelta(days=100),
        end_date=period.start_date - timedelta(days=1),
    )
    GoalFactory(owner=report, period=earlier)
    [member] = team_goals(manager, period=period).members
    assert member.goals == []


# --- The page ------------------------------------------------------------------------------


def test_the_page_is_for_managers_only(client_for, period):
    assert client_for(PersonFactory()).get("/goals/team/").status_code == 404


def test_an_empty_team_page_teaches_where_to_start(client_for, manager, period):
    PersonFactory(manager=manager)
    response = client_for(manager).get("/goals/team/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Your team has no goals for {period.name} yet" in text
    assert "start from a" in text


def test_the_page_flags_stale_goals(client_for, manager, period):
    report = PersonFactory(manager=manager)
    old_goal(owner=report, period=period, title="Quiet goal")
    text = client_for(manager).get("/goals/team/").content.decode()
    assert "Quiet goal" in text
    assert "no check-in for 3+ weeks" in text


def test_the_whole_organisation_toggle_is_offered_to_managers_of_managers(client_for, manager):
    lead = PersonFactory(manager=manager)
    PersonFactory(manager=lead)
    assert "My whole organisation" in client_for(manager).get("/goals/team/").content.decode()
    assert "My whole organisation" not in client_for(lead).get("/goals/team/").content.decode()


def test_a_bad_page_link_starts_again_from_the_first_page(client_for, manager, period):
    PersonFactory(manager=manager)
    response = client_for(manager).get("/goals/team/?cursor=not-a-cursor")
    assert response.status_code == 200
    assert "This page link is not valid" in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_reports_and_goals(
    client_for, manager, period, django_assert_max_num_queries
):
    lead = PersonFactory(manager=manager)
    GoalFactory(owner=lead, period=period)
    client = client_for(manager)
    with django_assert_max_num_queries(20) as baseline:
        client.get("/goals/team/?scope=all")
    for _ in range(12):
        report = PersonFactory(manager=lead)
        GoalFactory(owner=report, period=period, parent=GoalFactory(period=period))
        GoalFactory(owner=report, period=period, visibility=Visibility.PRIVATE)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get("/goals/team/?scope=all")
    assert response.content.decode().count("<progress") == 25


# --- Talking points ---------------------------------------------------------------------------


# Talking points read the server's date (UTC outside a request) and the period is the
# quarter where the people are (Berlin): late on a quarter's last day they differ, so today
# is pinned to mid-quarter.
MID_QUARTER = datetime(2026, 8, 12, 12, 0, tzinfo=UTC)


@pytest.mark.time_machine(MID_QUARTER)
def test_talking_points_name_goals_at_risk_or_off_track_first(manager, period):
    report = PersonFactory(manager=manager)
    recent = timezone.now() - timedelta(days=2)
    GoalFactory(
        owner=report, period=period, title="Fine", health=Health.ON_TRACK, last_checkin_at=recent
    )
    GoalFactory(
        owner=report, period=period, title="Risky", health=Health.AT_RISK, last_checkin_at=recent
    )
    GoalFactory(
        owner=report, period=period, title="Broken", health=Health.OFF_TRACK, last_checkin_at=recent
    )
    points = talking_points_for(manager, report)
    assert [(p.goal.title, p.reason) for p in points] == [
        ("Broken", "Off track at the last check-in"),
        ("Risky", "At risk at the last check-in"),
    ]


@pytest.mark.time_machine(MID_QUARTER)
def test_talking_points_include_goals_quiet_for_three_weeks(manager, period):
    report = PersonFactory(manager=manager)
    quiet = old_goal(owner=report, period=period, title="Quiet", health=Health.ON_TRACK)
    quiet.last_checkin_at = timezone.now() - LONG_AGO
    quiet.save(update_fields=["last_checkin_at"])
    [point] = talking_points_for(manager, report)
    assert point.goal == quiet
    assert "3 weeks" in point.reason


def test_an_outsider_gets_no_talking_points(period):
    report = PersonFactory()
    GoalFactory(owner=report, period=period, health=Health.OFF_TRACK)
    assert talking_points_for(PersonFactory(), report) == []
