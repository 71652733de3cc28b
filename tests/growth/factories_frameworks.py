"""Factories for career frameworks: tracks, levels, competencies, expectations, and a
whole small ladder in one call."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from tandem.growth.models import Competency, Expectation, Level, Track


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    key = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    description = "A career track."


class LevelFactory(DjangoModelFactory):
    class Meta:
        model = Level

    track = factory.SubFactory(TrackFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"L{n}")
    title = factory.Sequence(lambda n: f"Level {n}")
    summary = "What this level is."
    scope = "A team."


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    track = factory.SubFactory(TrackFactory)
    key = factory.Sequence(lambda n: f"competency-{n}")
    group = "Craft"
    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "What it is about."
    position = factory.Sequence(lambda n: n + 1)


class ExpectationFactory(DjangoModelFactory):
    class Meta:
        model = Expectation

    competency = factory.SubFactory(CompetencyFactory)
    level = factory.SubFactory(LevelFactory)
    text = "Meets the bar."


def ladder(
    *, codes: tuple[str, ...] = ("IC1", "IC2", "IC3"), competencies: int = 2, **track: Any
) -> Track:
    """A track with the given level codes, and competencies with an expectation at every
    level ("<competency> at <code>")."""
    made = TrackFactory(**track)
    levels = [
        LevelFactory(track=made, code=code, title=f"Title {code}", position=index)
        for index, code in enumerate(codes, start=1)
    ]
    for number in range(1, competencies + 1):
        competency = CompetencyFactory(
            track=made, key=f"c{number}", name=f"Competency {number}", position=number
        )
        for level in levels:
            ExpectationFactory(
                competency=competency, level=level, text=f"{competency.name} at {level.code}"
            )
    return made
