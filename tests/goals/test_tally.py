"""The goal tally (tandem.goals.tally) behind the company goals and coverage pages: after
any sequence of writes through the goal and org services it holds exactly what a full
recount from the goals gives, and the pages' figures equal the live SQL's."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.goals import coverage, tally
from tandem.goals.models import DepartmentTally, Goal, GoalLevel, KeyResult, Period
from tandem.goals.queries import goals as goal_queries
from tandem.goals.services import goals as services
from tandem.org.models import Person, PersonStatus
from tandem.org.services import people as people_services
from tests.factories import DepartmentFactory, PersonFactory, executive, hr_admin
from tests.goals.factories import GoalFactory, PeriodFactory

pytestmark = pytest.mark.django_db


def _stored() -> list[tuple[int, int, int, int, int, int]]:
    return sorted(
        DepartmentTally.objects.values_list(
            "period_id", "department_id", "goals", "churn", "with_goals", "aligned"
        )
    )


def _recounted() -> list[tuple[int, int, int, int, int, int]]:
    return sorted(
        (r.period_id, r.department_id, r.goals, r.churn, r.with_goals, r.aligned)
        for r in tally.recount()
    )


def _assert_pages_match_live(periods):
    assert _stored() == _recounted()
    for period in periods:
        assert goal_queries.churn_by_department(period) == goal_queries.live_churn_by_department(
            period
        )
        tallied = coverage._tallied_people_by_department(period)
        assert sorted(tallied, key=repr) == sorted(
            coverage.live_people_by_department(period), key=repr
        )


@pytest.fixture
def company():
    today = timezone.localdate()
    periods = [
        PeriodFactory(
            name=f"Started {n}",
            kind="custom",
            start_date=today - timedelta(days=20 + n),
            end_date=today + timedelta(days=40 + n),
        )
        for n in range(2)
    ]
    top = DepartmentFactory(name="Tally Top")
    departments = [top, DepartmentFactory(name="Tally Sub", parent=top), None]
    departments.append(DepartmentFactory(name="Tally Side"))
    boss = executive(department=top)
    people = [boss]
    for i in range(14):
        people.append(PersonFactory(department=departments[i % 4], manager=boss))
    return {"periods": periods, "departments": departments, "people": people}


def _write_randomly(rng: random.Random, world, hr, captured) -> str:
    periods, people, departments = world["periods"], world["people"], world["departments"]
    goals = list(Goal.objects.order_by("pk"))
    here = list(Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk"))
    active = [p for p in here if p.status != PersonStatus.LEFT]
    boss = here[0]
    action = rng.choice(
        [
            "create",
            "create",
            "company",
            "owner",
            "period",
            "align",
            "churn",
            "bulk",
            "move",
            "status",
        ]
    )
    with captured(execute=True):
        if action in {"create", "company"}:
            level = GoalLevel.COMPANY if action == "company" else GoalLevel.INDIVIDUAL
            parents = [g for g in goals if g.level == GoalLevel.COMPANY]
            services.create_goal(
                by=boss,
                title="Tally goal",
                level=level,
                owner=rng.choice(active),
                period=rng.choice(periods),
                parent=rng.choice([None, *parents]) if parents else None,
                key_results=[{"title": "K", "target_value": 10}],
            )
        elif action == "owner" and goals:
            services.update_goal(goal=rng.choice(goals), by=boss, owner=rng.choice(active))
        elif action == "period" and goals:
            services.update_goal(goal=rng.choice(goals), by=boss, period=rng.choice(periods))
        elif action == "align" and goals:
            goal = rng.choice([g for g in goals if g.level != GoalLevel.COMPANY] or goals)
            parents = [g for g in goals if g.level == GoalLevel.COMPANY and g.pk != goal.pk]
            services.align_goal(goal=goal, parent=rng.choice([None, *parents]), by=boss)
        elif action == "churn":
            key_result = KeyResult.objects.order_by("?").first()
            if key_result is not None:
                services.update_key_result(
                    key_result=key_result, by=boss, target_value=rng.randint(11, 99)
                )
        elif action == "bulk":
            chosen = rng.sample(active, k=min(3, len(active)))
            services.bulk_assign(by=boss, people=chosen, title="Tally bulk", period=periods[0])
        elif action == "move":
            person = rng.choice(here)
            people_services.update_person(person=person, by=hr, department=rng.choice(departments))
        elif action == "status":
            person = rng.choice(here[1:])
            status = rng.choice([PersonStatus.ACTIVE, PersonStatus.ON_LEAVE, PersonStatus.LEFT])
            people_services.change_status(person=person, status=status, by=hr)
    return action


@pytest.mark.dates
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("many_owners", [500, 0], ids=["by-owner", "by-department"])
def test_after_random_writes_the_tally_equals_a_full_recount(
    company, seed, many_owners, monkeypatch, django_capture_on_commit_callbacks
):
    # by-department: every alignment recounts its departments instead of its owners.
    monkeypatch.setattr(tally, "MANY_OWNERS", many_owners)
    rng = random.Random(seed)
    hr = hr_admin()
    done = []
    for _ in range(45):
        try:
            done.append(_write_randomly(rng, company, hr, django_capture_on_commit_callbacks))
        except (ValidationError, NotAllowed):
            continue
    assert Goal.objects.exists() and {"create", "churn", "move", "status"} <= set(done)
    assert any(row[3] for row in _stored())  # some churn was counted
    _assert_pages_match_live(company["periods"])


@pytest.mark.dates
def test_a_carried_over_goal_is_counted_in_the_next_period(company):
    first = company["periods"][0]
    owner = company["people"][1]
    boss = company["people"][0]
    goal = services.create_goal(
        by=boss, title="Carry me", level=GoalLevel.INDIVIDUAL, owner=owner, period=first
    )
    services.close_goal(goal=goal, by=boss, score="0.4", carry_over=True)
    copy = Goal.objects.get(carried_from=goal)
    assert DepartmentTally.objects.filter(period=copy.period, goals=1).exists()
    _assert_pages_match_live(Period.objects.all())


def test_the_rebuild_command_recounts_a_tally_that_drifted(company):
    GoalFactory(owner=company["people"][2], period=company["periods"][0], churn=3)
    DepartmentTally.objects.all().delete()
    Goal.objects.update(churn=5)  # written past the services
    call_command("rebuild_goal_tally", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _stored() == _recounted()
    assert [r[3] for r in _stored()] == [5]


def test_the_pages_read_the_tally_not_the_goals(company):
    """What the tally says is what the pages show (a tally that drifted shows its drift
    until rebuilt: the pages never count the period's goals themselves)."""
    period = company["periods"][0]
    GoalFactory(owner=company["people"][1], period=period)
    DepartmentTally.objects.update(goals=7, churn=14)
    (row,) = goal_queries.churn_by_department(period)
    assert (row["goals"], row["churn"]) == (7, 14)


@pytest.mark.dates
@pytest.mark.parametrize("seed", [5, 6])
def test_a_large_subtree_counted_from_the_tally_matches_its_own_count(
    company, seed, monkeypatch, django_capture_on_commit_callbacks
):
    """Above LARGE_SUBTREE people a manager's figure is the company's (the tally) minus
    the active people outside their subtree: the same numbers as counting the subtree."""
    rng = random.Random(seed)
    hr = hr_admin()
    for _ in range(30):
        try:
            _write_randomly(rng, company, hr, django_capture_on_commit_callbacks)
        except (ValidationError, NotAllowed):
            continue
    outsider = PersonFactory(department=company["departments"][0])
    GoalFactory(owner=outsider, period=company["periods"][0])
    first = company["periods"][0]
    top = GoalFactory(owner=company["people"][0], period=first, level=GoalLevel.COMPANY)
    GoalFactory(owner=company["people"][1], period=first, parent=top)
    GoalFactory(owner=company["people"][2], period=first)
    boss = Person.objects.get(pk=company["people"][0].pk)
    figures = [coverage.coverage_of(coverage.manager_people(boss), p) for p in company["periods"]]
    assert any(f.aligned for f in figures) and any(f.with_goals > f.aligned for f in figures)
    for period, counted in zip(company["periods"], figures, strict=True):
        monkeypatch.setattr(coverage, "LARGE_SUBTREE", 0)
        assert coverage.manager_coverage(boss, period) == counted
        monkeypatch.setattr(coverage, "LARGE_SUBTREE", 20_000)
        assert coverage.manager_coverage(boss, period) == counted


def test_migrate_fills_an_empty_tally_when_goals_exist() -> None:
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from tandem.goals.apps import _fill_an_empty_tally
    from tandem.goals.models import DepartmentTally

    GoalFactory()
    DepartmentTally.objects.all().delete()
    goals = apps.get_app_config("goals")
    post_migrate.send(sender=goals, app_config=goals, using="default", verbosity=0, apps=apps)
    assert DepartmentTally.objects.exists()
    before = list(DepartmentTally.objects.values_list("pk", flat=True))
    _fill_an_empty_tally(using="default")  # a filled tally is left alone
    assert list(DepartmentTally.objects.values_list("pk", flat=True)) == before
