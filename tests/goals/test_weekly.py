"""The weekly check-in: this week's priorities linked to goals (or not), last week's carried
over with done / not done, and the share of priorities linked to goals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.goals.models import GoalState, Priority, WeeklyCheckIn
from tandem.goals.queries.checkins import linked_share, week_for, week_start_of
from tandem.goals.services.checkins import save_weekly_checkin
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory, PeriodFactory, PriorityFactory, WeeklyCheckInFactory

# The week is the viewer's (their time zone: Europe/Berlin from PersonFactory), so late on a
# Sunday in UTC the page is already on next week; today is pinned to a Wednesday noon.
TODAY = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
THIS_WEEK = date(2026, 7, 13)
LAST_WEEK = THIS_WEEK - timedelta(days=7)

pytestmark = [pytest.mark.django_db, pytest.mark.dates, pytest.mark.time_machine(TODAY)]


@pytest.fixture
def person():
    return PersonFactory()


@pytest.fixture
def goal(person):
    return GoalFactory(owner=person, title="Ship the importer")


def save_this_week(person, priorities, **more):  # type: ignore[no-untyped-def]
    """The person's own check-in for this week."""
    return save_weekly_checkin(
        person=person, by=person, week_start=THIS_WEEK, priorities=priorities, **more
    )


def test_it_saves_this_weeks_priorities_linked_or_not(person, goal):
    checkin = save_this_week(person, [("Write the parser", goal.pk), ("Hiring loop", None)])
    rows = list(checkin.priorities.values_list("title", "goal_id"))
    assert rows == [("Write the parser", goal.pk), ("Hiring loop", None)]
    assert checkin.submitted_at is not None


def test_saving_again_replaces_the_weeks_list(person, goal):
    save_this_week(person, [("A", None)])
    save_this_week(person, [("B", None)])
    assert WeeklyCheckIn.objects.filter(person=person).count() == 1
    assert list(Priority.objects.values_list("title", flat=True)) == ["B"]


def test_the_share_of_priorities_linked_to_goals_is_a_whole_percent(person, goal):
    save_this_week(person, [("A", goal.pk), ("B", None), ("C", goal.pk)])
    week = week_for(person, person, THIS_WEEK)
    assert week.linked_share == 67
    assert week.linked_count == 2


def test_a_week_without_priorities_has_no_linked_share():
    assert linked_share([]) is None


def test_last_weeks_priorities_are_marked_done_or_not_done(person, goal):
    last = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK)
    finished, unfinished = PriorityFactory(checkin=last), PriorityFactory(checkin=last)
    save_this_week(person, [("New", None)], done={finished.pk: True, unfinished.pk: False})
    finished.refresh_from_db()
    unfinished.refresh_from_db()
    assert finished.done is True
    assert unfinished.done is False


def test_an_unfinished_priority_carries_into_this_week_linked_back(person, goal):
    last = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK)
    unfinished = PriorityFactory(checkin=last, title="Finish the spec", goal=goal)
    checkin = save_this_week(
        person, [("Something new", None)], done={unfinished.pk: False}, carry_over=[unfinished.pk]
    )
    carried = checkin.priorities.get(carried_from=unfinished)
    assert carried.title == "Finish the spec"
    assert carried.goal == goal


def test_carrying_the_same_priority_twice_makes_one_copy(person):
    last = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK)
    unfinished = PriorityFactory(checkin=last)
    for _ in range(2):
        save_this_week(person, [("Again", None)], carry_over=[unfinished.pk, unfinished.pk])
    assert Priority.objects.filter(carried_from=unfinished).count() == 1


def test_a_priority_from_two_weeks_ago_cannot_be_carried(person):
    old = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK - timedelta(days=7))
    stale = PriorityFactory(checkin=old)
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [("A", None)], carry_over=[stale.pk])
    assert "carry" in refused.value.message_dict


def test_someone_elses_priority_cannot_be_marked_done(person):
    theirs = PriorityFactory(checkin=WeeklyCheckInFactory(week_start=LAST_WEEK))
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [("A", None)], done={theirs.pk: True})
    assert "done" in refused.value.message_dict
    theirs.refresh_from_db()
    assert theirs.done is None


def test_a_priority_may_only_link_to_the_persons_own_current_goals(person):
    someone_elses = GoalFactory()
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [("Fine", None), ("Theirs", someone_elses.pk)])
    assert "priority_1_goal" in refused.value.message_dict
    assert not WeeklyCheckIn.objects.exists()


def test_a_closed_goal_cannot_be_linked(person):
    closed = GoalFactory(owner=person, state=GoalState.CLOSED)
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [("A", closed.pk)])
    assert "priority_0_goal" in refused.value.message_dict


def test_a_goal_of_a_period_that_has_not_started_cannot_be_linked(person):
    later = PeriodFactory(
        name="Far future",
        start_date=THIS_WEEK + timedelta(days=400),
        end_date=THIS_WEEK + timedelta(days=490),
    )
    future = GoalFactory(owner=person, period=later)
    with pytest.raises(ValidationError):
        save_this_week(person, [("A", future.pk)])


def test_an_empty_title_is_refused_naming_the_row(person):
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [("A", None), ("  ", None)])
    assert "priority_1_title" in refused.value.message_dict


def test_a_week_with_no_priorities_is_refused(person):
    with pytest.raises(ValidationError) as refused:
        save_this_week(person, [])
    assert "priorities" in refused.value.message_dict


def test_a_week_must_start_on_a_monday(person):
    tuesday = THIS_WEEK + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        save_weekly_checkin(person=person, by=person, week_start=tuesday, priorities=[("A", None)])
    assert "week_start" in refused.value.message_dict


def test_only_the_person_writes_their_weekly_check_in(person):
    manager = PersonFactory()
    with pytest.raises(NotAllowed):
        save_weekly_checkin(
            person=person, by=manager, week_start=THIS_WEEK, priorities=[("A", None)]
        )


def test_it_lands_in_the_audit_log(person):
    save_this_week(person, [("A", None)])
    assert AuditEvent.objects.filter(kind="goals.weekly_checkin", subject=person).exists()


def test_the_week_starts_on_monday():
    assert week_start_of(date(2026, 7, 16)) == date(2026, 7, 13)
    assert week_start_of(date(2026, 7, 13)) == date(2026, 7, 13)


# --- The page ---------------------------------------------------------------------------


def test_the_section_lists_last_weeks_priorities_to_mark(client_for, person, goal):
    last = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK)
    PriorityFactory(checkin=last, title="Draft the RFC <script>", goal=goal)
    response = client_for(person).get("/goals/weekly/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text  # the partial alone, for htmx
    assert "Draft the RFC &lt;script&gt;" in text
    assert "Carry into this week" in text


def test_posting_the_form_saves_the_week_and_shows_the_linked_share(client_for, person, goal):
    client = client_for(person)
    response = client.post(
        "/goals/weekly/",
        {
            "priority_0_title": "Parser",
            "priority_0_goal": str(goal.pk),
            "priority_1_title": "Hiring",
            "priority_1_goal": "",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "50%" in text
    assert Priority.objects.filter(checkin__person=person).count() == 2


def test_a_plain_post_redirects_back_to_the_page(client_for, person):
    response = client_for(person).post("/goals/weekly/", {"priority_0_title": "One thing"})
    assert response.status_code == 302
    assert response["Location"] == "/goals/weekly/"


def test_a_post_with_no_priorities_explains_and_saves_nothing(client_for, person):
    response = client_for(person).post("/goals/weekly/", {"priority_0_title": "  "})
    assert response.status_code == 200
    assert "List at least one priority" in response.content.decode()
    assert not WeeklyCheckIn.objects.exists()


def test_a_goal_chosen_for_a_row_without_a_title_is_an_error_on_that_row(client_for, person, goal):
    response = client_for(person).post(
        "/goals/weekly/",
        {"priority_0_title": "Fine", "priority_1_goal": str(goal.pk)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Write what the priority is." in response.content.decode()
    assert not WeeklyCheckIn.objects.exists()


def test_the_page_costs_the_same_queries_with_many_priorities(
    client_for, person, goal, django_assert_max_num_queries
):
    client = client_for(person)
    last = WeeklyCheckInFactory(person=person, week_start=LAST_WEEK)
    this = WeeklyCheckInFactory(person=person, week_start=THIS_WEEK)
    PriorityFactory(checkin=this, goal=goal)
    with django_assert_max_num_queries(12) as few:
        client.get("/goals/weekly/")
    for _ in range(15):
        PriorityFactory(checkin=this, goal=GoalFactory(owner=person))
        PriorityFactory(checkin=last, goal=goal)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/goals/weekly/")
