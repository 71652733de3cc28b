"""Completion figures for a running cycle, scoped to who follows whom, in SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.reviews import tally
from tandem.reviews.models import NominationStatus, PhaseKind, Relationship, ReviewState
from tandem.reviews.queries import progress
from tests.factories import DepartmentFactory, PersonFactory, hr_admin, hr_partner
from tests.reviews.factories import (
    close_phase,
    nominate,
    participant_of,
    review_of,
    running_cycle,
)

pytestmark = pytest.mark.django_db


def org():  # type: ignore[no-untyped-def]
    """top → (m1 → a, b), (m2 → c, d); m1's team in Sales, m2's in Support."""
    sales, support = DepartmentFactory(name="Sales"), DepartmentFactory(name="Support")
    top = PersonFactory(first_name="Tia", last_name="Top", department=sales)
    m1 = PersonFactory(first_name="Max", last_name="One", manager=top, department=sales)
    m2 = PersonFactory(first_name="Mo", last_name="Two", manager=top, department=support)
    a, b = (PersonFactory(manager=m1, department=sales) for _ in range(2))
    c, d = (PersonFactory(manager=m2, department=support) for _ in range(2))
    return {"top": top, "m1": m1, "m2": m2, "a": a, "b": b, "c": c, "d": d}


def set_state(cycle, person, relationship, state):  # type: ignore[no-untyped-def]
    review = review_of(cycle, person, relationship)
    review.state = state
    review.save(update_fields=["state"])
    tally.refresh(cycle_id=cycle.pk, participant_ids=[review.participant_id])


@pytest.fixture
def cycle_and_people():  # type: ignore[no-untyped-def]
    people = org()
    cycle = running_cycle(people.values())
    set_state(cycle, people["a"], Relationship.SELF, ReviewState.SUBMITTED)
    set_state(cycle, people["b"], Relationship.SELF, ReviewState.IN_PROGRESS)
    set_state(cycle, people["c"], Relationship.SELF, ReviewState.SUBMITTED)
    set_state(cycle, people["c"], Relationship.MANAGER, ReviewState.SUBMITTED)
    return cycle, people


def figures(user, cycle):  # type: ignore[no-untyped-def]
    return {f.key: f for f in progress.completion(user, cycle).phases}


def test_hr_sees_every_figure_counted_right(cycle_and_people):
    cycle, people = cycle_and_people
    result = progress.completion(hr_admin(), cycle)
    found = {f.key: f for f in result.phases}
    assert result.participants == 7
    assert (found["self"].total, found["self"].done, found["self"].in_progress) == (7, 2, 1)
    assert found["self"].not_started == 4
    # Everyone but top has a manager: 6 manager reviews, one submitted.
    assert (found["manager"].total, found["manager"].done) == (6, 1)
    assert (found["sharing"].total, found["sharing"].done) == (1, 0)
    assert found["self"].percent == 29


def test_a_manager_of_managers_sees_the_whole_subtree(cycle_and_people):
    cycle, people = cycle_and_people
    found = figures(people["top"], cycle)
    assert found["self"].total == 6  # m1, m2 and their four, not top themselves
    assert found["self"].done == 2


def test_another_manager_sees_nothing_of_a_sibling_team(cycle_and_people):
    cycle, people = cycle_and_people
    found = figures(people["m1"], cycle)
    assert (found["self"].total, found["self"].done) == (2, 1)  # a and b only
    assert found["manager"].done == 0  # c's submitted manager review is not theirs to see
    managers = progress.by_manager(people["m1"], cycle).rows
    assert [row.name for row in managers] == [str(people["m1"])]


def test_removed_participants_are_not_counted(cycle_and_people):
    cycle, people = cycle_and_people
    removed = participant_of(cycle, people["a"])
    removed.removed_at = timezone.now()
    removed.save(update_fields=["removed_at"])
    found = figures(hr_admin(), cycle)
    assert (found["self"].total, found["self"].done) == (6, 1)


def test_an_hr_partner_sees_their_departments_only(cycle_and_people):
    cycle, people = cycle_and_people
    partner = hr_partner([people["c"].department])
    found = figures(partner, cycle)
    assert found["self"].total == 3  # m2, c and d
    assert [row.name for row in progress.by_department(partner, cycle)] == ["Support"]


def test_figures_by_department_and_manager(cycle_and_people):
    cycle, people = cycle_and_people
    hr = hr_admin()
    departments = {row.name: row for row in progress.by_department(hr, cycle)}
    assert departments["Sales"].people == 4
    assert (departments["Sales"].total, departments["Sales"].done) == (7, 1)
    assert (departments["Support"].manager_total, departments["Support"].manager_done) == (3, 1)
    managers = {row.name: row for row in progress.by_manager(hr, cycle).rows}
    assert managers["No manager"].people == 1
    assert (managers[str(people["m2"])].done, managers[str(people["m2"])].total) == (2, 4)


def test_managers_are_paged_by_name(cycle_and_people):
    cycle, people = cycle_and_people
    hr = hr_admin()
    first = progress.by_manager(hr, cycle, limit=2)
    second = progress.by_manager(hr, cycle, cursor=first.next_cursor, limit=2)
    names = [r.name for r in first.rows + second.rows]
    assert names == ["No manager", str(people["m1"]), str(people["m2"]), str(people["top"])]
    assert second.next_cursor is None


def test_the_manager_page_is_grouped_and_sorted_as_its_index_reads(cycle_and_people):
    # participant_manager_page (cycle, manager_name, COALESCE(manager_id, 0)) WHERE not
    # removed lets PostgreSQL read one page of managers and stop, instead of grouping and
    # sorting the whole cycle: the query must use those very expressions.
    from django.db.models import F, Q
    from django.db.models.functions import Coalesce

    from tandem.reviews.models import Participant

    index = next(i for i in Participant._meta.indexes if i.name == "participant_manager_page")
    assert index.expressions == (F("cycle"), F("manager_name"), Coalesce("manager_id", 0))
    assert index.condition == Q(removed_at__isnull=True)
    cycle, _ = cycle_and_people
    with CaptureQueriesContext(connection) as captured:
        progress.by_manager(hr_admin(), cycle, limit=2)
    grouped = next(q["sql"] for q in captured.captured_queries if "GROUP BY" in q["sql"])
    assert 'COALESCE("reviews_participant"."manager_id", 0)' in grouped
    assert '"reviews_participant"."removed_at" IS NULL' in grouped
    assert grouped.startswith(
        'SELECT COALESCE("reviews_participant"."manager_id", 0) AS "key", '
        '"reviews_participant"."manager_name" AS "manager_name"'
    )
    assert "ORDER BY 2 ASC, 1 ASC" in grouped  # name, then key: the index's order


def test_a_tampered_page_link_is_refused(cycle_and_people):
    cycle, _ = cycle_and_people
    with pytest.raises(progress.BadCursor):
        progress.by_manager(hr_admin(), cycle, cursor="not-a-cursor")


def test_nominations_count_people_with_enough_approved_peers(cycle_and_people):
    cycle, people = cycle_and_people
    a, b = participant_of(cycle, people["a"]), participant_of(cycle, people["b"])
    nominate(a, people["c"], status=NominationStatus.APPROVED)
    nominate(a, people["d"], status=NominationStatus.APPROVED)
    nominate(b, people["c"])
    found = figures(hr_admin(), cycle)["nomination"]
    assert (found.total, found.done, found.in_progress, found.waiting) == (7, 1, 1, 1)


@pytest.mark.dates
def test_overdue_reviews_list_days_late(cycle_and_people):
    cycle, people = cycle_and_people
    close_phase(cycle, PhaseKind.SELF)
    page = progress.overdue_reviews(hr_admin(), cycle)
    assert len(page.lines) == 5  # 7 self reviews, 2 submitted
    assert {line.days_overdue for line in page.lines} == {1}
    assert figures(hr_admin(), cycle)["self"].overdue == 5


def test_a_manager_sees_only_their_teams_overdue_reviews(cycle_and_people):
    cycle, people = cycle_and_people
    close_phase(cycle, PhaseKind.SELF)
    lines = progress.overdue_reviews(people["m2"], cycle).lines
    assert {line.review.reviewee for line in lines} == {people["d"]}


def test_overdue_reviews_are_paged(cycle_and_people):
    cycle, _ = cycle_and_people
    close_phase(cycle, PhaseKind.SELF)
    hr = hr_admin()
    first = progress.overdue_reviews(hr, cycle, limit=3)
    rest = progress.overdue_reviews(hr, cycle, limit=3, cursor=first.next_cursor)
    ids = [line.review.pk for line in first.lines + rest.lines]
    assert len(ids) == len(set(ids)) == 5


def test_the_query_count_does_not_grow_with_the_cycle():
    counts = []
    for size in (10, 40):
        boss = PersonFactory()
        people = [boss, *(PersonFactory(manager=boss) for _ in range(size - 1))]
        cycle = running_cycle(people)
        hr = hr_admin()
        close_phase(cycle, PhaseKind.SELF)
        cycle = progress.cycle_for(hr, cycle.pk)
        with CaptureQueriesContext(connection) as captured:
            progress.completion(hr, cycle)
            progress.by_department(hr, cycle)
            progress.by_manager(hr, cycle)
            progress.overdue_reviews(hr, cycle)
        counts.append(len(captured))
    assert counts[0] == counts[1]
    assert counts[0] <= 10


@pytest.mark.dates
def test_my_reviews_lists_open_ones_to_do_and_submitted_ones_in_history(cycle_and_people):
    cycle, people = cycle_and_people
    mine = progress.my_reviews(people["m2"])
    assert [r.is_open for r in mine.to_do] == [True, True]
    assert [r.reviewee for r in mine.history] == [people["c"]]  # submitted
    assert mine.to_do[0].due_on == timezone.localdate() + timedelta(days=14)
    (own,) = mine.about_me
    assert own.manager_review_words == "Your manager has not started your review yet."


@pytest.mark.parametrize("reader", ["hr", "partner", "top", "m1", "a"])
def test_completion_and_departments_in_one_pass_match_each_on_its_own(cycle_and_people, reader):  # type: ignore[no-untyped-def]
    cycle, people = cycle_and_people
    nominate(participant_of(cycle, people["a"]), people["b"])
    sales = people["a"].department
    user = {"hr": hr_admin(), "partner": hr_partner([sales])}.get(reader) or people[reader]
    together = progress.completion_and_departments(user, cycle)
    assert together == (progress.completion(user, cycle), progress.by_department(user, cycle))


def test_completion_and_departments_take_one_pass(cycle_and_people):  # type: ignore[no-untyped-def]
    cycle, _ = cycle_and_people
    user = hr_admin()
    progress.completion(user, cycle)
    with CaptureQueriesContext(connection) as apart:
        progress.completion(user, cycle)
        progress.by_department(user, cycle)
    with CaptureQueriesContext(connection) as together:
        progress.completion_and_departments(user, cycle)
    assert len(together) == len(apart) - 1


def test_with_more_departments_than_shown_the_completion_still_counts_everyone(
    cycle_and_people, monkeypatch
):  # type: ignore[no-untyped-def]
    cycle, _ = cycle_and_people
    user = hr_admin()
    monkeypatch.setattr(progress, "DEPARTMENT_LIMIT", 1)
    completion, departments = progress.completion_and_departments(user, cycle)
    assert completion == progress.completion(user, cycle)
    assert completion.participants == 7
    assert len(departments) == 1
