"""The manager's weekly digest, "This week for your team" (team.weekly)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.feedback.models import Visibility
from tandem.notifications.models import Notification
from tandem.org.models import PersonStatus
from tandem.reviews.models import PhaseKind
from tandem.team import weekly
from tandem.team.reminders import team_weekly
from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackFactory
from tests.meetings.factories import add_meeting
from tests.reviews.factories import running_cycle, set_phase
from tests.team.helpers import TODAY, at, days_ago, held_one_on_one, report_of

pytestmark = [pytest.mark.dates, pytest.mark.usefixtures("pinned")]


def _settled(manager: Any, **kwargs: Any) -> Any:
    """A report with recent feedback and a recent 1:1: no flag."""
    report = report_of(manager, **kwargs)
    FeedbackFactory(
        giver=manager, recipient=report, visibility=Visibility.WITH_MANAGER, created_at=days_ago(1)
    )
    held_one_on_one(manager, report, days_ago(3))
    return report


def _digests(person: Any) -> list[Notification]:
    return list(Notification.objects.filter(person=person, kind="team.weekly"))


def _hub_flags(client: Any) -> dict[int, list[str]]:
    rows = client.get("/api/v1/team/").json()["items"]
    return {row["person_id"]: [f["reason"] for f in row["flags"]] for row in rows}


def test_the_digest_lists_the_hubs_flags_for_each_flagged_report(client_for):
    manager = PersonFactory()
    ana = report_of(manager, first_name="Anastasia", last_name="Quillfeather")
    held_one_on_one(manager, ana, days_ago(45))
    _settled(manager)
    hub = _hub_flags(client_for(manager))

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    flagged_lines = [line for line in digest.body.splitlines() if line.startswith("- ")]
    assert flagged_lines == [f"- {ana.display_name} — {'; '.join(hub[ana.pk])}"]
    assert hub[ana.pk] == ["No 1:1 in 30 days (last on 1 May)", "No feedback in 60 days"]
    assert digest.title == "This week for your team: 2 things need you"
    assert digest.url == "/team/"


def test_a_review_due_this_week_is_listed_and_counted(client_for):
    manager = PersonFactory()
    cleo = _settled(manager, first_name="Cleopatra", last_name="Vandermeer")
    cycle = running_cycle([cleo], name="Mid-year 2026")
    set_phase(cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(5), due_on=TODAY + timedelta(4))

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    assert digest.title == "This week for your team: 1 thing needs you"
    assert "Reviews to write, due this week:" in digest.body
    assert f"- {cleo.display_name} — Mid-year 2026, due" in digest.body


def test_a_review_due_next_week_is_not_listed(client_for):
    manager = PersonFactory()
    cleo = _settled(manager)
    cycle = running_cycle([cleo])
    set_phase(cycle, PhaseKind.MANAGER, opens_on=TODAY - timedelta(5), due_on=TODAY + timedelta(7))

    weekly.send_team_weeks(TODAY)

    assert _digests(manager) == []


def test_the_weeks_one_on_ones_are_listed_on_their_day_in_the_managers_zone(client_for):
    manager = PersonFactory()
    ana = report_of(manager, first_name="Anastasia")
    series = held_one_on_one(manager, ana, days_ago(45))
    add_meeting(series, at(TODAY + timedelta(days=2), hour=9))  # Wednesday 17 June
    add_meeting(series, at(TODAY + timedelta(days=8), hour=9))  # next week: not listed

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    one_on_ones = digest.body.split("1:1s this week:\n", 1)[1].splitlines()
    assert one_on_ones == [f"- {ana.display_name} — Wednesday 17 June, 09:00"]


def test_a_manager_with_only_one_on_ones_this_week_gets_nothing(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    FeedbackFactory(
        giver=manager, recipient=ana, visibility=Visibility.WITH_MANAGER, created_at=days_ago(1)
    )
    series = held_one_on_one(manager, ana, days_ago(2))
    add_meeting(series, at(TODAY + timedelta(days=2)))

    assert weekly.send_team_weeks(TODAY).sent == 0
    assert _digests(manager) == []


def test_a_second_run_the_same_week_sends_nothing_new(client_for):
    manager = PersonFactory()
    report_of(manager)

    first = weekly.send_team_weeks(TODAY)
    second = weekly.send_team_weeks(TODAY)
    later_that_week = weekly.send_team_weeks(TODAY + timedelta(days=3))

    assert (first.sent, second.sent, later_that_week.sent) == (1, 0, 0)
    assert len(_digests(manager)) == 1


def test_the_next_week_sends_a_new_one(client_for):
    manager = PersonFactory()
    report_of(manager)

    weekly.send_team_weeks(TODAY)
    weekly.send_team_weeks(TODAY + timedelta(days=7))

    assert len(_digests(manager)) == 2


def test_the_reminder_runs_on_mondays_only(client_for):
    manager = PersonFactory()
    report_of(manager)

    assert team_weekly(TODAY + timedelta(days=1)) == 0
    assert team_weekly(TODAY) == 1


def test_a_manager_who_left_gets_nothing(client_for):
    manager = PersonFactory(status=PersonStatus.LEFT, is_active=False)
    report_of(manager)

    weekly.send_team_weeks(TODAY)

    assert _digests(manager) == []


def test_a_manager_whose_only_report_left_gets_nothing(client_for):
    manager = PersonFactory()
    report_of(manager, status=PersonStatus.LEFT, is_active=False)

    weekly.send_team_weeks(TODAY)

    assert _digests(manager) == []


def test_a_report_who_left_is_not_listed(client_for):
    manager = PersonFactory()
    report_of(manager, last_name="Departedsworth", status=PersonStatus.LEFT, is_active=False)
    report_of(manager)

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    assert "Departedsworth" not in digest.body


def test_people_without_reports_get_nothing(client_for):
    loner = PersonFactory()

    weekly.send_team_weeks(TODAY)

    assert _digests(loner) == []


def test_private_feedback_is_neither_shown_nor_counted(client_for):
    manager = PersonFactory()
    ana = report_of(manager)
    held_one_on_one(manager, ana, days_ago(2))
    FeedbackFactory(
        recipient=ana,
        visibility=Visibility.PRIVATE,
        text="Zanzibarine secret words",
        created_at=days_ago(1),
    )

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    assert "Zanzibarine" not in digest.title + digest.body
    assert "No feedback in 60 days" in digest.body


def test_a_manager_who_switched_it_off_gets_nothing(client_for):
    from tandem.notifications.services import set_delivery_preferences

    manager = PersonFactory()
    report_of(manager)
    set_delivery_preferences(person=manager, choices={"team.weekly": "off"}, by=manager)

    weekly.send_team_weeks(TODAY)

    assert _digests(manager) == []


def _queries_for_one_batch(managers: int, reports: int) -> int:
    for _ in range(managers):
        manager = PersonFactory()
        for _ in range(reports):
            report_of(manager)
    with CaptureQueriesContext(connection) as captured:
        weekly.send_team_weeks(TODAY, batch_size=500)
    return len(captured)


@pytest.mark.django_db
def test_the_query_count_per_batch_does_not_grow_with_managers_or_reports():
    small = _queries_for_one_batch(managers=1, reports=1)
    Notification.objects.all().delete()

    large = _queries_for_one_batch(managers=6, reports=4)

    assert large == small


def test_a_batch_costs_at_most_20_queries(client_for, django_assert_max_num_queries):
    for _ in range(3):
        report_of(PersonFactory())

    with django_assert_max_num_queries(20):
        weekly.send_team_weeks(TODAY, batch_size=500)


def test_managers_are_read_in_batches(client_for):
    managers = [PersonFactory() for _ in range(5)]
    for manager in managers:
        report_of(manager)

    run = weekly.send_team_weeks(TODAY, batch_size=2)

    assert run.sent == 5
    assert all(len(_digests(m)) == 1 for m in managers)


def test_a_second_run_skips_managers_already_sent_before_computing(
    client_for, django_assert_max_num_queries
):
    for _ in range(3):
        report_of(PersonFactory())
    weekly.send_team_weeks(TODAY)

    with django_assert_max_num_queries(1):  # the managers' batch only: none left
        again = weekly.send_team_weeks(TODAY)

    assert again.managers == 0


def test_a_one_on_one_is_listed_on_its_day_in_the_managers_own_zone(client_for):
    manager = PersonFactory(time_zone="America/New_York")
    ana = report_of(manager, first_name="Anastasia")
    series = held_one_on_one(manager, ana, days_ago(45))
    # Monday 22 June 03:00 in Berlin is Sunday 21 June 21:00 in New York: this week there.
    add_meeting(series, at(TODAY + timedelta(days=7), hour=3))

    weekly.send_team_weeks(TODAY)

    (digest,) = _digests(manager)
    assert f"- {ana.display_name} — Sunday 21 June, 21:00" in digest.body
