"""Factories for development plans (and the small piece of a framework a plan links to)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import factory
from factory.django import DjangoModelFactory

from tandem.growth.models import (
    Action,
    ActionKind,
    Competency,
    FocusArea,
    Level,
    Placement,
    Plan,
    PlanStatus,
    Track,
)
from tandem.org.models import Person
from tests.factories import PersonFactory


class PlanTrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    key = factory.Sequence(lambda n: f"plan-track-{n}")
    name = factory.Sequence(lambda n: f"Plan track {n}")


class PlanLevelFactory(DjangoModelFactory):
    class Meta:
        model = Level

    track = factory.SubFactory(PlanTrackFactory)
    code = factory.Sequence(lambda n: f"L{n}")
    title = "Engineer"


class PlanCompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    track = factory.SubFactory(PlanTrackFactory)
    key = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")


def placed(person: Person, track: Track | None = None) -> Track:
    """Place the person on a track (made when not given) and return the track."""
    chosen = track if track is not None else cast(Track, PlanTrackFactory())
    level = cast(Level, PlanLevelFactory(track=chosen))
    Placement.objects.create(person=person, track=chosen, level=level, since=date(2025, 1, 1))
    return chosen


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    person = factory.SubFactory(PersonFactory)
    title = "Towards senior"
    starts_on = date(2026, 10, 1)
    ends_on = date(2027, 3, 31)
    status = PlanStatus.ACTIVE


class FocusAreaFactory(DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Focus {n}")


def action(area: FocusArea, *, due_on: date | None = None, **kwargs: Any) -> Action:
    kwargs.setdefault("owner", area.plan.person)
    kwargs.setdefault("kind", ActionKind.COURSE)
    kwargs.setdefault("text", "Take the course")
    return Action.objects.create(focus_area=area, due_on=due_on, **kwargs)


def overdue_action(area: FocusArea, today: date, **kwargs: Any) -> Action:
    return action(area, due_on=today - timedelta(days=3), **kwargs)
