"""Factories for promotions: a track with levels, a person placed on it, a window and a
case. Dates are relative to the day the test runs unless a test passes its own."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tandem.growth.models import (
    CaseStatus,
    Level,
    Placement,
    PromotionCase,
    PromotionWindow,
    Track,
)
from tandem.org.models import Person
from tests.factories import PersonFactory


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    key = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")


class LevelFactory(DjangoModelFactory):
    class Meta:
        model = Level

    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"L{n}")
    title = factory.Sequence(lambda n: f"Level {n}")


def ladder(steps: int = 4, **kwargs: Any) -> list[Level]:
    """A track with `steps` levels, lowest first (codes IC1, IC2…)."""
    track = TrackFactory.create(**kwargs)
    return [
        LevelFactory.create(track=track, position=i, code=f"IC{i + 1}", title=f"Engineer {i + 1}")
        for i in range(steps)
    ]


def place(person: Person, level: Level, since: date | None = None) -> Placement:
    return Placement.objects.create(
        person=person,
        track=level.track,
        level=level,
        since=since or date(2024, 1, 1),
    )


def today() -> date:
    return timezone.localdate()


class WindowFactory(DjangoModelFactory):
    class Meta:
        model = PromotionWindow
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Window {n}")
    opens_on = factory.LazyFunction(lambda: today() - timedelta(days=10))
    cases_due_on = factory.LazyFunction(lambda: today() + timedelta(days=20))
    decisions_due_on = factory.LazyFunction(lambda: today() + timedelta(days=40))

    @factory.post_generation
    def committee(self, create: bool, extracted: Any, **_: Any) -> None:
        if create and extracted:
            self.committee.set(extracted)


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = PromotionCase

    window = factory.SubFactory(WindowFactory)
    person = factory.SubFactory(PersonFactory)
    author = factory.SubFactory(PersonFactory)
    target_level = factory.SubFactory(LevelFactory)
    text = "Ready: led the migration."
    status = CaseStatus.IN_REVIEW


def case_for(
    person: Person, author: Person, *, window: PromotionWindow | None = None, **kwargs: Any
) -> PromotionCase:
    """A case in review for a placed person, to the level above theirs."""
    placement = Placement.objects.select_related("level").get(person=person)
    target = Level.objects.filter(
        track_id=placement.track_id, position__gt=placement.level.position
    ).order_by("position")[0]
    return CaseFactory.create(
        window=window or WindowFactory.create(),
        person=person,
        author=author,
        from_level=placement.level,
        target_level=target,
        submitted_at=timezone.now(),
        **kwargs,
    )
