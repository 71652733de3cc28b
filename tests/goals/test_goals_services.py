"""The goal services: creating, editing, aligning, key results, bulk assignment, closing,
comments — and the bad input each refuses, naming the field, saving nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.goals.models import (
    Goal,
    GoalChange,
    GoalLevel,
    GoalState,
    KeyResult,
    KeyResultKind,
    Visibility,
)
from tandem.goals.services import goals as services
from tandem.goals.services.periods import close_period, ensure_periods
from tandem.notifications.models import Notification
from tandem.program.models import Program, ScoringScale
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    dept = DepartmentFactory(name="Platform")
    boss = PersonFactory(first_name="Mia", last_name="Manager", department=dept)
    report = PersonFactory(
        first_name="Olu", last_name="Owner", department=dept, manager=boss, email="olu@example.com"
    )
    return boss, report


@pytest.fixture
def period():
    return PeriodFactory()


def individual(owner, period, **kwargs):
    return services.create_goal(
        by=owner,
        title=kwargs.pop("title", "Ship it"),
        level=GoalLevel.INDIVIDUAL,
        owner=owner,
        period=period,
        **kwargs,
    )


def test_a_person_creates_an_individual_goal_with_key_results(team, period):
    _, report = team
    goal = individual(
        report,
        period,
        key_results=[
            {
                "title": "Users",
                "kind": "number",
                "start_value": 0,
                "target_value": 10,
                "current_value": 5,
            }
        ],
    )
    assert goal.progress == D("0.5")
    assert goal.path == f"/{goal.pk}/" and goal.root_id == goal.pk
    assert AuditEvent.objects.filter(kind="goal.created", object_id=str(goal.pk)).exists()


def test_a_goal_aligned_to_a_parent_gets_the_parents_root(team, period):
    boss, report = team
    company = services.create_goal(
        by=executive(), title="Grow", level=GoalLevel.COMPANY, owner=boss, period=period
    )
    team_goal = services.create_goal(
        by=boss, title="Team", level=GoalLevel.TEAM, owner=boss, period=period, parent=company
    )
    mine = individual(report, period, parent=team_goal)
    assert mine.path == f"/{company.pk}/{team_goal.pk}/{mine.pk}/"
    assert mine.root_id == company.pk and mine.depth == 2


def test_an_employee_cannot_create_a_company_goal(team, period):
    _, report = team
    with pytest.raises(NotAllowed):
        services.create_goal(
            by=report, title="X", level=GoalLevel.COMPANY, owner=report, period=period
        )


def test_a_peer_cannot_create_a_goal_for_someone_else(team, period):
    _, report = team
    with pytest.raises(NotAllowed):
        individual(report, period) and services.create_goal(
            by=PersonFactory(),
            title="X",
            level=GoalLevel.INDIVIDUAL,
            owner=report,
            period=period,
        )


def test_a_target_equal_to_the_start_is_refused_naming_the_field(team, period):
    _, report = team
    with pytest.raises(ValidationError) as error:
        individual(
            report, period, key_results=[{"title": "K", "start_value": 5, "target_value": 5}]
        )
    assert "target_value" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_negative_weight_is_refused_naming_the_field(team, period):
    _, report = team
    with pytest.raises(ValidationError) as error:
        individual(report, period, key_results=[{"title": "K", "target_value": 5, "weight": "-1"}])
    assert "weight" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_non_number_is_refused_naming_the_field(team, period):
    _, report = team
    with pytest.raises(ValidationError) as error:
        individual(report, period, key_results=[{"title": "K", "target_value": "lots"}])
    assert "target_value" in error.value.message_dict


def test_a_stretch_target_must_lie_beyond_the_target(team, period):
    _, report = team
    with pytest.raises(ValidationError) as error:
        individual(
            report,
            period,
            key_results=[{"title": "K", "start_value": 0, "target_value": 10, "stretch_value": 5}],
        )
    assert "stretch_value" in error.value.message_dict


def test_aligning_a_goal_to_its_own_descendant_is_refused(team, period):
    boss, report = team
    top = services.create_goal(
        by=boss, title="Team", level=GoalLevel.TEAM, owner=boss, period=period
    )
    child = services.create_goal(
        by=boss, title="Sub", level=GoalLevel.TEAM, owner=boss, period=period, parent=top
    )
    with pytest.raises(ValidationError) as error:
        services.align_goal(goal=top, parent=child, by=boss)
    assert "parent" in error.value.message_dict
    top.refresh_from_db()
    assert top.parent_id is None and not GoalChange.objects.filter(field="parent").exists()


def test_a_team_goal_cannot_align_to_an_individual_goal(team, period):
    boss, report = team
    mine = individual(report, period)
    team_goal = services.create_goal(
        by=boss, title="Team", level=GoalLevel.TEAM, owner=boss, period=period
    )
    with pytest.raises(ValidationError) as error:
        services.align_goal(goal=team_goal, parent=mine, by=boss)
    assert "parent" in error.value.message_dict


def test_realigning_a_goal_moves_its_whole_subtree(team, period):
    boss, report = team
    first = services.create_goal(
        by=boss, title="A", level=GoalLevel.TEAM, owner=boss, period=period
    )
    second = services.create_goal(
        by=boss, title="B", level=GoalLevel.TEAM, owner=boss, period=period
    )
    middle = services.create_goal(
        by=boss, title="M", level=GoalLevel.TEAM, owner=boss, period=period, parent=first
    )
    leaf = individual(report, period, parent=middle)
    services.align_goal(goal=middle, parent=second, by=boss, reason="Reorg")
    leaf.refresh_from_db()
    assert leaf.path == f"/{second.pk}/{middle.pk}/{leaf.pk}/"
    assert leaf.root_id == second.pk and leaf.depth == 2
    change = GoalChange.objects.get(goal=middle, field="parent")
    assert (change.old, change.new, change.reason) == (str(first.pk), str(second.pk), "Reorg")


def test_alignment_crosses_departments(team, period):
    _, report = team
    other = PersonFactory(department=DepartmentFactory(name="Sales"))
    theirs = services.create_goal(
        by=other, title="Sell", level=GoalLevel.INDIVIDUAL, owner=other, period=period
    )
    mine = individual(report, period, parent=theirs)
    assert mine.root_id == theirs.pk


def test_a_target_change_after_the_period_started_counts_as_churn(team):
    _, report = team
    today = timezone.localdate()
    period = PeriodFactory(
        name="Started", start_date=today - timedelta(days=10), end_date=today + timedelta(days=30)
    )
    goal = individual(report, period, key_results=[{"title": "K", "target_value": 10}])
    key_result = goal.key_results.get()
    services.update_key_result(key_result=key_result, by=report, target_value=8, reason="Scope cut")
    goal.refresh_from_db()
    assert goal.churn == 1
    change = GoalChange.objects.get(field="target_value")
    assert (change.old, change.new, change.reason, change.by) == (
        "10.0000",
        "8",
        "Scope cut",
        report,
    )


def test_owner_and_visibility_changes_are_kept_in_the_history(team, period):
    boss, report = team
    goal = individual(report, period)
    services.update_goal(
        goal=goal, by=boss, owner=boss, visibility=Visibility.PRIVATE, reason="Handover"
    )
    fields = set(GoalChange.objects.filter(goal=goal).values_list("field", flat=True))
    assert {"owner", "visibility"} <= fields
    assert goal.churn == 0


def test_an_edit_on_a_closed_period_is_refused(team, period):
    _, report = team
    goal = individual(report, period)
    close_period(period=period, by=hr_admin())
    goal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.update_goal(goal=goal, by=report, title="New")
    assert "period" in error.value.message_dict


def test_a_private_company_goal_is_refused(team, period):
    boss, _ = team
    with pytest.raises(ValidationError) as error:
        services.create_goal(
            by=executive(),
            title="X",
            level=GoalLevel.COMPANY,
            owner=boss,
            period=period,
            visibility=Visibility.PRIVATE,
        )
    assert "visibility" in error.value.message_dict


def test_private_goals_are_refused_when_the_program_disallows_them(team, period):
    _, report = team
    program = Program.load()
    program.private_goals_allowed = False
    program.save()
    with pytest.raises(ValidationError) as error:
        individual(report, period, visibility=Visibility.PRIVATE)
    assert "visibility" in error.value.message_dict


def test_a_milestone_key_result_progresses_with_its_steps(team, period):
    _, report = team
    goal = individual(
        report,
        period,
        key_results=[{"title": "Launch", "kind": "milestones", "milestones": ["Beta", "GA"]}],
    )
    key_result = goal.key_results.get()
    assert key_result.target_value == 2
    services.set_milestone_done(milestone=key_result.milestones.first(), by=report, done=True)
    goal.refresh_from_db()
    assert goal.progress == D("0.5")


def test_a_yes_no_key_result_is_done_or_not(team, period):
    _, report = team
    goal = individual(
        report,
        period,
        key_results=[{"title": "Signed", "kind": KeyResultKind.BOOLEAN, "current_value": 1}],
    )
    assert goal.progress == 1


def test_removing_the_last_key_result_falls_back_to_manual_progress(team, period):
    _, report = team
    goal = individual(
        report, period, manual_progress="0.3", key_results=[{"title": "K", "target_value": 10}]
    )
    services.remove_key_result(key_result=goal.key_results.get(), by=report)
    goal.refresh_from_db()
    assert goal.progress == D("0.3")


def test_a_manager_bulk_assigns_one_goal_to_the_team(team, period):
    boss, report = team
    second = PersonFactory(manager=boss)
    goals = services.bulk_assign(
        by=boss,
        people=[report, second],
        title="Security training",
        period=period,
        key_results=[
            {"title": "Modules", "kind": "milestones", "milestones": ["1", "2"]},
            {"title": "Score", "target_value": 80},
        ],
    )
    assert len(goals) == 2
    assert len({g.assignment for g in goals}) == 1
    assert KeyResult.objects.filter(goal__in=goals).count() == 4
    assert all(g.path == f"/{g.pk}/" for g in Goal.objects.filter(assignment=goals[0].assignment))
    assert AuditEvent.objects.filter(kind="goal.bulk_assigned").count() == 1


def test_a_manager_cannot_bulk_assign_outside_their_organisation(team, period):
    boss, report = team
    with pytest.raises(ValidationError) as error:
        services.bulk_assign(by=boss, people=[report, PersonFactory()], title="X", period=period)
    assert "people" in error.value.message_dict
    assert not Goal.objects.exists()


def test_closing_a_goal_stores_the_score_on_a_zero_to_one_scale(team, period):
    _, report = team
    program = Program.load()
    program.goal_scoring_scale = ScoringScale.FIVE_POINT
    program.save()
    goal = individual(report, period)
    services.close_goal(goal=goal, by=report, score="4", reflection="Good quarter")
    goal.refresh_from_db()
    assert (goal.state, goal.score, goal.reflection) == (
        GoalState.CLOSED,
        D("0.75"),
        "Good quarter",
    )


def test_a_score_outside_the_scale_is_refused_naming_the_field(team, period):
    _, report = team
    goal = individual(report, period)
    with pytest.raises(ValidationError) as error:
        services.close_goal(goal=goal, by=report, score="1.5", reflection="")
    assert "score" in error.value.message_dict


def test_an_unfinished_goal_carries_over_into_the_next_period(team):
    _, report = team
    current, following = ensure_periods(date(2026, 8, 1))
    goal = individual(
        report, current, key_results=[{"title": "K", "target_value": 10, "current_value": 4}]
    )
    services.close_goal(goal=goal, by=report, score="0.4", reflection="", carry_over=True)
    copy = goal.carried_to.get()
    assert copy.period == following and copy.carried_from == goal
    assert copy.progress == D("0.4") and copy.state == GoalState.ACTIVE
    assert GoalChange.objects.filter(goal=copy, field="carried_from").exists()


def test_a_closed_goal_refuses_edits(team, period):
    _, report = team
    goal = individual(report, period)
    services.close_goal(goal=goal, by=report, score="1", reflection="")
    with pytest.raises(ValidationError) as error:
        services.update_goal(goal=goal, by=report, title="Again")
    assert "state" in error.value.message_dict


def test_a_mention_notifies_the_person_once(team, period):
    boss, report = team
    goal = individual(report, period)
    comment = services.add_comment(goal=goal, by=boss, body="Nice, @olu and @Olu Owner!")
    assert list(comment.mentions.all()) == [report]
    assert Notification.objects.filter(person=report, kind="mention").count() == 1
    assert not Notification.objects.filter(kind="goals.comment").exists()


def test_a_mention_on_a_private_goal_does_not_notify_an_outsider(team, period):
    boss, report = team
    PersonFactory(email="eve@example.com")
    goal = individual(report, period, visibility=Visibility.PRIVATE)
    services.add_comment(goal=goal, by=boss, body="cc @eve")
    assert not Notification.objects.filter(kind="mention").exists()


def test_an_empty_comment_is_refused(team, period):
    _, report = team
    goal = individual(report, period)
    with pytest.raises(ValidationError) as error:
        services.add_comment(goal=goal, by=report, body="  ")
    assert "body" in error.value.message_dict


def test_goal_factory_builds_paths():
    parent = GoalFactory(level=GoalLevel.COMPANY)
    child = GoalFactory(parent=parent)
    assert child.path == f"/{parent.pk}/{child.pk}/"
