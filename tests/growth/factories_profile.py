"""Factories for the competency profile and "where do I stand": a small career framework
(one track, two levels, three competencies with what each level expects) and placements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tandem.growth.models import Competency, Expectation, Level, Placement, Track
from tandem.reviews import framework as framework_hook
from tandem.reviews import versions
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    ItemsSource,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    TemplateQuestion,
)
from tandem.reviews.services import writing
from tests.reviews.factories import (
    CycleFactory,
    add_participant,
    add_review,
    open_phases,
    template_with_questions,
)


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


def framework_cycle(
    people: Iterable[Any],
    *,
    relationships: Sequence[str] = (Relationship.SELF, Relationship.MANAGER, Relationship.PEER),
    **cycle_fields: Any,
) -> Cycle:
    """A launched cycle, every phase open, whose forms rate a competency question drawn from
    each person's framework (q1: an overall rating, q2: the competencies), with each
    person's snapshot taken as a launch takes it; self and manager reviews made."""
    cycle: Any = CycleFactory(status=CycleStatus.ACTIVE, launched_at=timezone.now(), **cycle_fields)
    for relationship in relationships:
        template = template_with_questions(
            relationship, kinds=(QuestionKind.RATING, QuestionKind.COMPETENCIES)
        )
        TemplateQuestion.objects.filter(
            section__template=template, kind=QuestionKind.COMPETENCIES
        ).update(items_source=ItemsSource.FRAMEWORK, items=[])
        CycleForm.objects.create(
            cycle=cycle,
            relationship=relationship,
            template=template,
            version=versions.freeze(template),
        )
    open_phases(cycle)
    people = list(people)
    for person in people:
        participant = add_participant(cycle, person)
        if Relationship.SELF in relationships:
            add_review(participant, person, Relationship.SELF)
        if Relationship.MANAGER in relationships and person.manager_id:
            add_review(participant, person.manager, Relationship.MANAGER)
    framework_hook.snapshot_participants(cycle.pk, [person.pk for person in people])
    return cycle


def rate(review: Review, ratings: dict[str, int], *, overall: int = 3) -> Review:
    """Submit `review` with `ratings` per competency key (and the overall rating)."""
    answers = {
        "q1": {"rating": overall},
        "q2": {"items": {key: {"rating": value} for key, value in ratings.items()}},
    }
    return writing.submit(review, answers=answers, version=review.version, by=review.reviewer)


def peer_review(cycle: Cycle, person: Any, peer: Any) -> Review:
    participant = Participant.objects.get(cycle=cycle, person=person)
    return add_review(participant, peer, Relationship.PEER)
