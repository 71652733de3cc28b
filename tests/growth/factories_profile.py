"""Factories for the competency profile and "where do I stand": a small career framework
(one track, two levels, three competencies with what each level expects) and placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import factory
from factory.django import DjangoModelFactory

from tandem.growth.models import Competency, Expectation, Level, Placement, Track


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


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    track = factory.SubFactory(TrackFactory)
    key = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    position = factory.Sequence(lambda n: n)


@dataclass
class Framework:
    track: Track
    levels: list[Level]
    competencies: list[Competency]


def framework(*, name: str = "Engineering IC") -> Framework:
    """A track with levels IC1 and IC2 and competencies craft, delivery and collaboration,
    each with an expectation per level ("<competency> at <level>")."""
    track = Track.objects.create(name=name, key=name.lower().replace(" ", "-"))
    levels = [
        Level.objects.create(track=track, position=0, code="IC1", title="Engineer"),
        Level.objects.create(track=track, position=1, code="IC2", title="Senior engineer"),
    ]
    competencies = [
        Competency.objects.create(
            track=track, key=key, name=key.title(), position=index, group="Craft"
        )
        for index, key in enumerate(["craft", "delivery", "collaboration"])
    ]
    Expectation.objects.bulk_create(
        Expectation(competency=c, level=lv, text=f"{c.name} at {lv.code}")
        for c in competencies
        for lv in levels
    )
    return Framework(track, levels, competencies)


def place(person: Any, level: Level, *, since: date = date(2024, 1, 1)) -> Placement:
    return Placement.objects.update_or_create(
        person=person, defaults={"track": level.track, "level": level, "since": since}
    )[0]
