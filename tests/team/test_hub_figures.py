"""The hub's figures, checked against a recount of the rows the test made."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tandem.feedback.models import Feedback, Visibility
from tandem.goals.models import Goal, Health
from tandem.meetings.models import MeetingStatus
from tandem.reviews.models import PhaseKind
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackFactory
from tests.meetings.factories import SeriesFactory, action_item, add_meeting
from tests.reviews.factories import running_cycle, set_phase
from tests.team.helpers import NOW, TODAY, days_ago, goal, report_of

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("pinned")]


def _row(client: Any, person_id: int, **params: Any) -> dict[str, Any]:
    answer = client.get("/api/v1/team/", params)
    assert answer.status_code == 200, answer.content
    rows = {row["person_id"]: row for row in answer.json()["items"]}
    return rows[person_id]


def test_goal_figures_match_a_recount(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    goal(ana, progress="0.5", health=Health.ON_TRACK, checked_in=days_ago(3))
    goal(ana, progress="0.2", health=Health.OFF_TRACK, checked_in=days_ago(10))
    goal(ana, progress="0.35", health=Health.AT_RISK, checked_in=days_ago(30))
    goal(ana, progress="0.9", health=Health.AT_RISK)

    figures = _row(client_for(manager), ana.pk)["goals"]

    goals = list(Goal.objects.filter(owner=ana))
    assert figures["count"] == len(goals)
    assert figures["average_progress"] == round(sum(g.progress for g in goals) / len(goals) * 100)
    assert figures["off_track"] == sum(g.health == Health.OFF_TRACK for g in goals)
    assert figures["at_risk"] == sum(g.health == Health.AT_RISK for g in goals)
    last = max(g.last_checkin_at for g in goals if g.last_checkin_at)
    assert datetime.fromisoformat(figures["last_checkin_at"]) == last
    assert figures["without_checkin_3_weeks"] == 2  # 30 days ago, and never (made 100 days ago)


def test_feedback_counts_match_a_recount_of_what_the_manager_may_read(client_for):
    manager, peer = PersonFactory(), PersonFactory()
    ana = report_of(manager)
    ages = [1, 20, 29, 31, 45, 89, 91]
    for age in ages:
        FeedbackFactory(
            giver=peer, recipient=ana, visibility=Visibility.WITH_MANAGER, created_at=days_ago(age)
        )
    FeedbackFactory(giver=ana, recipient=peer, visibility=Visibility.PUBLIC, created_at=days_ago(5))
    FeedbackFactory(
        giver=ana, recipient=peer, visibility=Visibility.PUBLIC, created_at=days_ago(50)
    )

    figures = _row(client_for(manager), ana.pk)["feedback"]

    received = Feedback.objects.filter(recipient=ana)
    given = Feedback.objects.filter(giver=ana)
    assert (
        figures["received_30_days"] == received.filter(created_at__gte=NOW - timedelta(30)).count()
    )
    assert (
        figures["received_90_days"] == received.filter(created_at__gte=NOW - timedelta(90)).count()
    )
    assert figures["given_30_days"] == given.filter(created_at__gte=NOW - timedelta(30)).count()
    assert figures["given_90_days"] == given.filter(created_at__gte=NOW - timedelta(90)).count()
    assert (figures["received_30_days"], figures["received_90_days"]) == (3, 6)


def test_private_feedback_the_manager_may_not_read_is_not_counted(client_for):
    manager, peer = PersonFactory(), PersonFactory()
    ana = report_of(manager)
    FeedbackFactory(
        giver=peer, recipient=ana, visibility=Visibility.PRIVATE, created_at=days_ago(2)
    )
    FeedbackFactory(
        giver=ana, recipient=peer, visibility=Visibility.PRIVATE, created_at=days_ago(2)
    )

    figures = _row(client_for(manager), ana.pk)["feedback"]

    assert figures == {
        "received_30_days": 0,
        "received_90_days": 0,
        "given_30_days": 0,
        "given_90_days": 0,
    }


def test_one_on_one_figures_show_the_last_held_the_next_and_open_action_items(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    series = SeriesFactory(manager=manager, report=ana, first_start=days_ago(20))
    add_meeting(series, days_ago(20), status=MeetingStatus.HELD)
    held = add_meeting(series, days_ago(6), status=MeetingStatus.HELD)
    add_meeting(series, NOW + timedelta(days=1))
    add_meeting(series, NOW + timedelta(days=8))
    action_item(held, ana, "Draft the plan")
    action_item(held, manager, "Book the room")
    action_item(held, manager, "Done already", done_at=days_ago(5))

    figures = _row(client_for(manager), ana.pk)["one_on_ones"]

    assert figures["visible"] is True
    assert figures["series_id"] == series.pk
    assert figures["last_held_at"].startswith(days_ago(6).date().isoformat())
    assert figures["next_at"].startswith((TODAY + timedelta(days=1)).isoformat())
    assert figures["open_action_items"] == 2


def test_a_skip_manager_sees_no_one_on_one_figures_of_a_grand_report(client_for):
    skip = PersonFactory()
    manager = report_of(skip)
    ana = report_of(manager)
    SeriesFactory(manager=manager, report=ana, first_start=days_ago(3))

    figures = _row(client_for(skip), ana.pk, subtree="true")["one_on_ones"]

    assert figures == {
        "visible": False,
        "series_id": None,
        "last_held_at": None,
        "next_at": None,
        "open_action_items": 0,
    }


def test_the_review_shows_the_manager_reviews_state_and_due_date(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    cycle = running_cycle([ana])
    set_phase(cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(7), due_on=TODAY + timedelta(3))

    review = _row(client_for(manager), ana.pk)["review"]

    assert review == {
        "cycle_id": cycle.pk,
        "cycle_name": cycle.name,
        "state": "Manager review not started",
        "due_on": (TODAY + timedelta(3)).isoformat(),
        "overdue": False,
    }


def test_a_report_with_nothing_yet_has_empty_figures(client_for):
    manager = PersonFactory()
    ana = report_of(manager)

    row = _row(client_for(manager), ana.pk)

    assert row["goals"]["count"] == 0
    assert row["goals"]["average_progress"] is None
    assert row["review"] is None
    assert row["one_on_ones"]["last_held_at"] is None
