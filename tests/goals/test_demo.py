from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, F, Max, Q

from tandem.goals import demo as goals_demo
from tandem.goals import progress as maths
from tandem.goals import tally
from tandem.goals.models import (
    CheckIn,
    DepartmentTally,
    Goal,
    GoalChange,
    GoalLevel,
    GoalState,
    KeyResult,
    KeyResultKind,
    Milestone,
    Period,
    Priority,
    Visibility,
    WeeklyCheckIn,
)
from tandem.goals.services._common import key_result_progress
from tandem.org import demo
from tandem.org.models import Department, Person
from tests.demo_once import demo_for_module

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 11)  # mid-quarter: a closed Q4 2025, a running Q1 2026, a next Q2
SMALL = 120


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=SMALL, seed=5, today=TODAY):
        yield


def test_it_makes_a_closed_previous_a_current_and_a_next_period(loaded: None) -> None:
    periods = list(Period.objects.order_by("start_date"))
    assert [p.name for p in periods] == ["Q4 2025", "Q1 2026", "Q2 2026"]
    assert periods[0].is_closed and not periods[1].is_closed and not periods[2].is_closed
    previous = Goal.objects.filter(period=periods[0])
    assert previous.exists()
    assert not previous.exclude(state=GoalState.CLOSED).exists()
    assert not previous.filter(score__isnull=True).exists()
    assert not previous.filter(reflection="").exists()


def test_each_period_has_four_to_six_company_goals_owned_by_executives(loaded: None) -> None:
    ceo = Person.objects.get(manager__isnull=True)
    executives = {
        ceo.pk,
        *Department.objects.filter(head__manager=ceo).values_list("head", flat=True),
    }
    for period in Period.objects.all():
        company = Goal.objects.filter(period=period, level=GoalLevel.COMPANY)
        assert 4 <= company.count() <= 6
        assert set(company.values_list("owner_id", flat=True)) <= executives
        assert not company.exclude(parent=None).exists()


def test_company_goals_carry_key_results_of_every_kind(loaded: None) -> None:
    kinds = set(
        KeyResult.objects.filter(goal__level=GoalLevel.COMPANY).values_list("kind", flat=True)
    )
    assert kinds == set(KeyResultKind.values)


def test_stretch_targets_lie_beyond_the_target_and_stay_possible(loaded: None) -> None:
    stretched = KeyResult.objects.filter(stretch_value__isnull=False)
    assert stretched.filter(target_value__lt=F("start_value")).exists()  # decreasing ones too
    for kr in stretched:
        assert (kr.stretch_value - kr.target_value) * (kr.target_value - kr.start_value) > 0
        if kr.start_value >= 0 and kr.target_value >= 0:
            assert kr.stretch_value >= 0, kr.title  # latency 40 -> 5 never stretches to -4
        if kr.kind == KeyResultKind.PERCENTAGE and max(kr.start_value, kr.target_value) <= 100:
            assert kr.stretch_value <= 100, kr.title


def test_every_path_depth_and_root_follow_the_parent_chain(loaded: None) -> None:
    goals = {g.pk: g for g in Goal.objects.all()}
    for goal in goals.values():
        chain = [goal.pk]
        parent = goal.parent_id
        while parent is not None:
            chain.append(parent)
            parent = goals[parent].parent_id
        chain.reverse()
        assert goal.path == "/" + "/".join(map(str, chain)) + "/", goal.pk
        assert goal.depth == len(chain) - 1
        assert goal.root_id == chain[0]


def test_parents_are_of_an_equal_or_wider_level(loaded: None) -> None:
    rank: dict[str, int] = {GoalLevel.COMPANY: 0, GoalLevel.TEAM: 1, GoalLevel.INDIVIDUAL: 2}
    pairs = Goal.objects.exclude(parent=None).values_list("level", "parent__level")
    assert all(rank[parent] <= rank[child] for child, parent in pairs)


def test_stored_progress_equals_the_progress_maths(loaded: None) -> None:
    steps = {
        row["key_result"]: row
        for row in Milestone.objects.values("key_result").annotate(
            total=Count("id"), done=Count("id", filter=Q(done_at__isnull=False))
        )
    }
    by_goal = defaultdict(list)
    for kr in KeyResult.objects.all():
        counts = steps.get(kr.pk, {"total": 0, "done": 0})
        expected = key_result_progress(kr, milestones_done=counts["done"], total=counts["total"])
        assert kr.progress == expected, kr.pk
        by_goal[kr.goal_id].append((kr.progress, kr.weight))
    for goal in Goal.objects.all():
        assert goal.progress == maths.goal_progress(by_goal[goal.pk], goal.manual_progress)


def test_churn_counters_equal_the_churn_in_the_history(loaded: None) -> None:
    counted = Counter(
        GoalChange.objects.filter(counts_as_churn=True).values_list("goal_id", flat=True)
    )
    assert counted, "the demo shows some churn"
    for goal_id, churn in Goal.objects.values_list("id", "churn"):
        assert churn == counted.get(goal_id, 0)


def test_churn_changes_happened_after_the_period_started(loaded: None) -> None:
    for change in GoalChange.objects.filter(counts_as_churn=True).select_related("goal__period"):
        assert change.at.date() > change.goal.period.start_date


def test_the_history_leads_to_the_target_as_stored(loaded: None) -> None:
    latest = {}
    for change in GoalChange.objects.filter(field="target_value").order_by("at", "id"):
        latest[change.key_result_id] = change.new
    for kr in KeyResult.objects.filter(pk__in=latest):
        assert kr.target_value == Decimal(latest[kr.pk])


def test_last_check_in_time_and_health_match_the_latest_check_in(loaded: None) -> None:
    latest = dict(
        CheckIn.objects.values("goal").annotate(at=Max("created_at")).values_list("goal", "at")
    )
    assert latest
    for goal in Goal.objects.all():
        assert goal.last_checkin_at == latest.get(goal.pk)
        if goal.last_checkin_at is None:
            assert goal.health == ""
        else:
            newest = goal.checkins.order_by("-created_at", "-id").first()
            assert newest is not None
            assert goal.health == newest.health
            assert newest.progress == goal.progress


def test_check_ins_fall_inside_their_period_and_before_today(loaded: None) -> None:
    for checkin in CheckIn.objects.select_related("goal__period"):
        day = checkin.created_at.date()
        assert checkin.goal.period.start_date <= day <= checkin.goal.period.end_date
        assert day <= TODAY
        assert 0 <= checkin.confidence <= 10


def test_most_individual_goals_are_aligned_and_some_are_not(loaded: None) -> None:
    individual = Goal.objects.filter(level=GoalLevel.INDIVIDUAL)
    aligned = individual.exclude(parent=None).count()
    assert aligned / individual.count() > 0.7
    assert individual.filter(parent=None).exists()
    reaching = individual.filter(root__level=GoalLevel.COMPANY).count()
    # Some team goals are deliberately unaligned, so a few aligned chains stop short.
    assert reaching / individual.count() > 0.6 and reaching < aligned


def test_most_people_have_two_to_four_current_goals(loaded: None) -> None:
    current = Period.objects.get(name="Q1 2026")
    counts = Counter(
        Goal.objects.filter(period=current, level=GoalLevel.INDIVIDUAL).values_list(
            "owner_id", flat=True
        )
    )
    active = Person.objects.filter(is_active=True).count()
    assert len(counts) == active
    assert sum(1 for n in counts.values() if 2 <= n <= 4) / active > 0.8


def test_some_goals_are_private_and_some_carried_over(loaded: None) -> None:
    assert Goal.objects.filter(visibility=Visibility.PRIVATE).exists()
    carried = Goal.objects.exclude(carried_from=None).select_related("carried_from__period")
    assert carried.exists()
    assert all(
        g.carried_from is not None and g.carried_from.period.name == "Q4 2025" for g in carried
    )


def test_weekly_priorities_mostly_link_to_the_persons_own_goals(loaded: None) -> None:
    priorities = Priority.objects.select_related("checkin", "goal")
    linked = [p for p in priorities if p.goal_id is not None]
    assert len(linked) / priorities.count() > 0.6
    assert all(p.goal is not None and p.goal.owner_id == p.checkin.person_id for p in linked)
    this_week = TODAY - timedelta(days=TODAY.weekday())
    assert not priorities.filter(checkin__week_start=this_week).exclude(done=None).exists()
    past = priorities.filter(checkin__week_start__lt=this_week)
    assert past.filter(done=True).exists() and past.filter(done=False).exists()


def test_the_demo_logins_have_goals_check_ins_and_weekly_priorities(loaded: None) -> None:
    for key in goals_demo.DEMO_LOGINS:
        person = Person.objects.get(email=f"{key}@{demo.DEMO_DOMAIN}")
        goals = Goal.objects.filter(owner=person, period__name="Q1 2026")
        assert goals.count() >= 3, key
        assert CheckIn.objects.filter(goal__owner=person).exists(), key
        weeks = WeeklyCheckIn.objects.filter(person=person)
        assert weeks.count() == goals_demo.CHECKIN_WEEKS, key
        assert Priority.objects.filter(checkin__person=person).exclude(goal=None).exists(), key


def test_the_demo_builds_the_goal_tally_the_pages_read(loaded: None) -> None:
    stored = sorted(
        DepartmentTally.objects.values_list(
            "period_id", "department_id", "goals", "churn", "with_goals", "aligned"
        )
    )
    recounted = sorted(
        (r.period_id, r.department_id, r.goals, r.churn, r.with_goals, r.aligned)
        for r in tally.recount()
    )
    assert stored and stored == recounted
    assert sum(row[2] for row in stored) == Goal.objects.count()
