"""Factories for goals. Goals are made through the goal service's path helper so their
alignment path, depth and root are right, exactly as create_goal makes them."""

from __future__ import annotations

import zoneinfo
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tandem.goals import tally
from tandem.goals.models import (
    Goal,
    GoalLevel,
    KeyResult,
    KeyResultKind,
    Milestone,
    Period,
    PeriodKind,
    Priority,
    WeeklyCheckIn,
)
from tandem.org import tree
from tests.factories import PersonFactory


def _this_quarter() -> tuple[date, date]:
    """The quarter holding today where the factories' people are (PersonFactory's zone):
    pages and the API find the current period on the viewer's date, which from 22:00 or
    23:00 UTC on a quarter's last day is already in the next quarter."""
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(PersonFactory.time_zone))
    start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    month = start.month + 3
    end = date(start.year + (month > 12), (month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


class PeriodFactory(DjangoModelFactory):
    """By default the quarter containing today (for the factories' people: _this_quarter)."""

    class Meta:
        model = Period
        django_get_or_create = ("name",)

    kind = PeriodKind.QUARTER
    start_date = factory.LazyFunction(lambda: _this_quarter()[0])
    end_date = factory.LazyFunction(lambda: _this_quarter()[1])
    name = factory.LazyAttribute(
        lambda p: (
            f"Q{(p.start_date.month - 1) // 3 + 1} {p.start_date.year}"
            if p.kind == PeriodKind.QUARTER
            else f"Period from {p.start_date}"
        )
    )


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    title = factory.Sequence(lambda n: f"Goal {n}")
    level = GoalLevel.INDIVIDUAL
    owner = factory.SubFactory(PersonFactory)
    period = factory.SubFactory(PeriodFactory)
    parent = None

    @classmethod
    def _create(cls, model_class: type[Goal], *args: Any, **kwargs: Any) -> Goal:
        goal = super()._create(model_class, *args, **kwargs)
        parent = goal.parent
        goal.path = tree.path_for(parent.path if parent else None, goal.pk)
        goal.depth = tree.depth_of(goal.path)
        goal.root_id = (parent.root_id or parent.pk) if parent else goal.pk
        goal.save(update_fields=["path", "depth", "root"])
        # The factory stands in for the goal services, which keep the pages' tally.
        tally.refresh_goals([goal.pk])
        return goal


class KeyResultFactory(DjangoModelFactory):
    class Meta:
        model = KeyResult

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Key result {n}")
    kind = KeyResultKind.NUMBER
    start_value = 0
    target_value = 100
    current_value = 0
    weight = 1


# --- Check-ins and weekly check-ins (engineer B) -----------------------------------------


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    key_result = factory.SubFactory(
        KeyResultFactory, kind=KeyResultKind.MILESTONES, start_value=0, target_value=1
    )
    title = factory.Sequence(lambda n: f"Milestone {n}")
    position = factory.Sequence(lambda n: n)


class WeeklyCheckInFactory(DjangoModelFactory):
    class Meta:
        model = WeeklyCheckIn

    person = factory.SubFactory(PersonFactory)
    week_start = factory.LazyFunction(
        lambda: timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    )
    submitted_at = factory.LazyFunction(timezone.now)


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    checkin = factory.SubFactory(WeeklyCheckInFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    goal = None
    position = factory.Sequence(lambda n: n)
