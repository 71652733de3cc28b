"""Each flag, on each side of its boundary day, and the order flags put people in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tandem.feedback.models import Visibility
from tandem.goals.models import Health
from tandem.reviews.models import PhaseKind
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackFactory
from tests.meetings.factories import SeriesFactory
from tests.reviews.factories import running_cycle, set_phase
from tests.team.helpers import NOW, TODAY, days_ago, goal, held_one_on_one, report_of

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("pinned")]


def _flags(client: Any, person_id: int) -> dict[str, str]:
    rows = client.get("/api/v1/team/").json()["items"]
    row = next(r for r in rows if r["person_id"] == person_id)
    return {flag["key"]: flag["reason"] for flag in row["flags"]}


def _settled_report(manager: Any, **kwargs: Any) -> Any:
    """A report with recent feedback and a recent 1:1: no flag but the one under test."""
    report = report_of(manager, **kwargs)
    FeedbackFactory(
        giver=manager, recipient=report, visibility=Visibility.WITH_MANAGER, created_at=days_ago(1)
    )
    return report


def test_a_last_one_on_one_30_days_ago_is_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(30))

    flags = _flags(client_for(manager), ana.pk)

    assert flags == {"no_one_on_one": "No 1:1 in 30 days (last on 16 May)"}


def test_a_last_one_on_one_29_days_ago_is_not_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(29))

    assert _flags(client_for(manager), ana.pk) == {}


def test_a_report_never_met_is_flagged_as_having_no_one_on_one(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)

    assert _flags(client_for(manager), ana.pk) == {
        "no_one_on_one": "No 1:1 in 30 days (none held yet)"
    }


def test_the_flag_links_to_setting_up_a_one_on_one_with_the_report(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)

    page = client_for(manager).get("/team/").text

    assert f'href="/one-on-ones/new/?report={ana.pk}" data-flag="no_one_on_one"' in page


def test_with_a_series_the_flag_links_to_the_series(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    series = held_one_on_one(manager, ana, days_ago(40))

    page = client_for(manager).get("/team/").text

    assert f'href="/one-on-ones/{series.pk}/" data-flag="no_one_on_one"' in page


def test_a_new_joiner_on_day_89_without_a_one_on_one_is_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager, start_date=TODAY - timedelta(days=89))

    assert _flags(client_for(manager), ana.pk) == {
        "new_joiner": "Joined 18 Mar and has had no 1:1 yet"
    }


def test_on_day_90_a_joiner_without_a_one_on_one_has_the_30_day_flag_instead(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager, start_date=TODAY - timedelta(days=90))

    assert set(_flags(client_for(manager), ana.pk)) == {"no_one_on_one"}


def test_a_new_joiner_who_had_a_one_on_one_is_not_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager, start_date=TODAY - timedelta(days=20))
    held_one_on_one(manager, ana, days_ago(10))

    assert _flags(client_for(manager), ana.pk) == {}


def test_feedback_just_inside_60_days_keeps_the_flag_away(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    held_one_on_one(manager, ana, days_ago(2))
    FeedbackFactory(
        recipient=ana,
        visibility=Visibility.PUBLIC,
        created_at=NOW - timedelta(days=60) + timedelta(minutes=1),
    )

    assert _flags(client_for(manager), ana.pk) == {}


def test_feedback_just_over_60_days_ago_is_flagged(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    held_one_on_one(manager, ana, days_ago(2))
    FeedbackFactory(
        recipient=ana,
        visibility=Visibility.PUBLIC,
        created_at=NOW - timedelta(days=60) - timedelta(minutes=1),
    )

    assert _flags(client_for(manager), ana.pk) == {"no_feedback": "No feedback in 60 days"}


def test_someone_who_joined_under_60_days_ago_is_not_flagged_for_feedback(client_for):
    manager = PersonFactory()
    ana = report_of(manager, start_date=TODAY - timedelta(days=59))
    held_one_on_one(manager, ana, days_ago(2))

    assert _flags(client_for(manager), ana.pk) == {}


def test_a_goal_last_checked_in_21_days_ago_is_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(2))
    goal(ana, health=Health.ON_TRACK, checked_in=days_ago(21, hour=23))

    assert _flags(client_for(manager), ana.pk) == {
        "stale_goal": "1 goal without a check-in for 3 weeks"
    }


def test_a_goal_last_checked_in_20_days_ago_is_not_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(2))
    goal(ana, health=Health.ON_TRACK, checked_in=days_ago(20, hour=0))

    assert _flags(client_for(manager), ana.pk) == {}


def test_a_manager_review_due_yesterday_and_not_started_is_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(2))
    cycle = running_cycle([ana])
    set_phase(cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(20), due_on=TODAY - timedelta(1))

    assert _flags(client_for(manager), ana.pk) == {"review_overdue": "Review overdue since 14 Jun"}


def test_a_manager_review_due_today_is_not_flagged(client_for):
    manager = PersonFactory()
    ana = _settled_report(manager)
    held_one_on_one(manager, ana, days_ago(2))
    cycle = running_cycle([ana])
    set_phase(cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(20), due_on=TODAY)

    assert _flags(client_for(manager), ana.pk) == {}


def test_people_are_sorted_by_flag_count_then_name(client_for):
    manager = PersonFactory()
    calm = _settled_report(manager, first_name="Aaron", preferred_name="")
    held_one_on_one(manager, calm, days_ago(2))
    one_b = _settled_report(manager, first_name="Bea", preferred_name="", last_name="Zed")
    one_a = _settled_report(manager, first_name="Bea", preferred_name="", last_name="Abel")
    two = report_of(manager, first_name="Zoe", preferred_name="")
    SeriesFactory(manager=manager, report=two, first_start=days_ago(50))

    rows = client_for(manager).get("/api/v1/team/").json()["items"]

    assert [r["person_id"] for r in rows] == [two.pk, one_a.pk, one_b.pk, calm.pk]
    assert [len(r["flags"]) for r in rows] == [2, 1, 1, 0]
