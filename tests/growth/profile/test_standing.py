""" "Where do I stand": the person's own level, profile, goals, feedback themes, last review,
plan and time at level; nothing about anyone else; empty states; a fixed query budget."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.feedback.models import Visibility
from tandem.growth.models import Action, ActionKind, FocusArea, Plan, PlanStatus
from tandem.growth.queries.standing import months_between, time_words
from tandem.reviews.models import Participant, Relationship, Review
from tandem.reviews.services import sharing
from tests.factories import DepartmentFactory, PersonFactory, api_token
from tests.feedback.factories import CompanyValueFactory, FeedbackFactory
from tests.goals.factories import GoalFactory
from tests.growth.factories_profile import framework, framework_cycle, place, rate

TODAY = datetime(2026, 5, 13, 10, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.dates, pytest.mark.time_machine(TODAY)]


@pytest.fixture
def world() -> dict[str, Any]:
    department = DepartmentFactory(name="Platform")
    lead = PersonFactory(department=department)
    ada = PersonFactory(department=department, manager=lead)
    bo = PersonFactory(department=department, manager=lead)
    fw = framework()
    place(ada, fw.levels[1], since=date(2024, 11, 1))
    place(bo, fw.levels[0])
    return {"lead": lead, "ada": ada, "bo": bo, "fw": fw}


def _page(person: Any) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("growth:me"))
    assert response.status_code == 200
    return response.content.decode()


def _plan(person: Any, *, title: str, due: date) -> Plan:
    plan = Plan.objects.create(
        person=person,
        title=title,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 9, 30),
        status=PlanStatus.ACTIVE,
    )
    area = FocusArea.objects.create(plan=plan, title=f"{title}: focus")
    Action.objects.create(
        focus_area=area, kind=ActionKind.COURSE, text=f"{title}: course", owner=person, due_on=due
    )
    return plan


def test_time_at_level_is_counted_in_whole_months() -> None:
    assert months_between(date(2024, 11, 1), date(2026, 5, 13)) == 18
    assert months_between(date(2026, 4, 20), date(2026, 5, 13)) == 0
    assert time_words(18) == "1 year and 6 months"


def test_the_page_says_my_track_level_and_time_at_level(world: dict[str, Any]) -> None:
    text = _page(world["ada"])
    assert "IC2 Senior engineer" in text and "Engineering IC" in text
    assert "1 year and 6 months" in text


def test_the_page_shows_what_my_level_expects(world: dict[str, Any]) -> None:
    assert "Craft at IC2" in _page(world["ada"])


def test_someone_not_placed_reads_what_to_do(world: dict[str, Any]) -> None:
    text = _page(world["lead"])
    assert "You are not placed on a career track yet" in text
    assert "You have no development plan yet" in text
    assert "No review shared with you yet" in text


def test_my_goals_this_period_are_listed_and_not_a_colleagues(world: dict[str, Any]) -> None:
    GoalFactory(owner=world["ada"], title="Ship the new billing")
    GoalFactory(owner=world["bo"], title="Bo's own goal")
    text = _page(world["ada"])
    assert "Ship the new billing" in text and "Bo&#x27;s own goal" not in text


def test_feedback_themes_count_by_company_value(world: dict[str, Any]) -> None:
    craft = CompanyValueFactory(name="Own the outcome")
    for _ in range(2):
        FeedbackFactory(recipient=world["ada"], visibility=Visibility.PUBLIC, values=[craft])
    FeedbackFactory(recipient=world["bo"], visibility=Visibility.PUBLIC, values=[craft])
    text = _page(world["ada"])
    assert "Own the outcome: 2" in text


def test_my_plan_is_shown_with_its_overdue_action_and_not_a_colleagues(
    world: dict[str, Any],
) -> None:
    _plan(world["ada"], title="Ada grows", due=date(2026, 5, 1))
    _plan(world["bo"], title="Bo grows", due=date(2026, 6, 1))
    text = _page(world["ada"])
    assert "Ada grows: course" in text and "overdue" in text and "Bo grows" not in text


def test_my_last_review_is_shown_once_shared_with_what_it_is_used_for(
    world: dict[str, Any],
) -> None:
    cycle = framework_cycle([world["ada"]], relationships=(Relationship.MANAGER,))
    review = Review.objects.get(cycle=cycle, relationship=Relationship.MANAGER)
    rate(review, {"craft": 2, "delivery": 3, "collaboration": 3}, overall=4)
    assert "No review shared with you yet" in _page(world["ada"])
    sharing.share(Participant.objects.get(cycle=cycle), by=world["lead"])
    text = _page(world["ada"])
    assert cycle.name in text and "Used for development only" in text
    assert "4 — Above expectations" in text


def test_the_gaps_shown_are_from_my_shared_review(world: dict[str, Any]) -> None:
    cycle = framework_cycle([world["ada"]], relationships=(Relationship.MANAGER,))
    review = Review.objects.get(cycle=cycle, relationship=Relationship.MANAGER)
    rate(review, {"craft": 2, "delivery": 3, "collaboration": 3})
    sharing.share(Participant.objects.get(cycle=cycle), by=world["lead"])
    assert "furthest from what your level expects: Craft." in _page(world["ada"])


def test_the_page_has_a_fixed_query_budget(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    value = CompanyValueFactory(name="Customer first")
    for index in range(6):
        GoalFactory(owner=world["ada"], title=f"Goal {index}")
        FeedbackFactory(recipient=world["ada"], visibility=Visibility.PUBLIC, values=[value])
    _plan(world["ada"], title="Ada grows", due=date(2026, 5, 1))
    for _ in range(2):
        cycle = framework_cycle([world["ada"]], relationships=(Relationship.MANAGER,))
        review = Review.objects.get(cycle=cycle, relationship=Relationship.MANAGER)
        rate(review, {"craft": 2, "delivery": 3, "collaboration": 3})
        sharing.share(Participant.objects.get(cycle=cycle), by=world["lead"])
    client = Client()
    client.force_login(world["ada"])
    with django_assert_max_num_queries(26):
        assert client.get(reverse("growth:me")).status_code == 200


def test_the_api_gives_the_same_data_as_the_page(world: dict[str, Any]) -> None:
    GoalFactory(owner=world["ada"], title="Ship the new billing")
    _plan(world["ada"], title="Ada grows", due=date(2026, 5, 1))
    token = api_token(world["ada"])
    got = Client().get("/api/v1/growth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert got.status_code == 200
    body = got.json()
    assert body["profile"]["placement"]["level"] == "IC2"
    assert body["months_at_level"] == 18
    assert [goal["title"] for goal in body["goals"][0]["goals"]] == ["Ship the new billing"]
    assert body["plan"]["title"] == "Ada grows"
    assert body["plan"]["focus_areas"][0]["actions"][0]["overdue"] is True


def test_the_api_needs_a_signed_in_caller() -> None:
    assert Client().get("/api/v1/growth/me").status_code == 401


def test_the_last_period_is_listed_after_this_one(world: dict[str, Any]) -> None:
    from tests.goals.factories import PeriodFactory

    last = PeriodFactory(start_date=date(2026, 1, 1), end_date=date(2026, 3, 31))
    GoalFactory(owner=world["ada"], title="Last quarter's goal", period=last)
    GoalFactory(owner=world["ada"], title="This quarter's goal")
    text = _page(world["ada"])
    assert text.index("This quarter&#x27;s goal") < text.index("Last quarter&#x27;s goal")
