"""Factories for review cycles.

`running_cycle()` builds a launched cycle directly (frozen template versions, phases open
around today, participants with launch snapshots, self and manager reviews), so tests of
nominations, writing and progress do not depend on the launch service; the launch
service has its own tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tandem.org.models import Person
from tandem.reviews import tally, versions
from tandem.reviews.models import (
    Cycle,
    CycleForm,
    CycleStatus,
    Nomination,
    NominationStatus,
    Participant,
    Phase,
    PhaseKind,
    QuestionKind,
    RatingScale,
    Relationship,
    Review,
    Template,
    TemplateQuestion,
    TemplateSection,
)


def five_points() -> list[dict[str, Any]]:
    labels = [
        ("Well below expectations", "Missed most of what was expected."),
        ("Below expectations", "Missed some of what was expected."),
        ("Meets expectations", "Did what the role asks, reliably."),
        ("Above expectations", "Often went beyond what the role asks."),
        ("Far above expectations", "Set a new standard for the role."),
    ]
    return [
        {"value": n, "label": label, "description": text}
        for n, (label, text) in enumerate(labels, start=1)
    ]


class RatingScaleFactory(DjangoModelFactory):
    class Meta:
        model = RatingScale

    name = factory.Sequence(lambda n: f"Scale {n}")
    points = factory.LazyFunction(five_points)


class TemplateFactory(DjangoModelFactory):
    class Meta:
        model = Template

    name = factory.Sequence(lambda n: f"Template {n}")
    relationship = Relationship.SELF


def template_with_questions(
    relationship: str = Relationship.SELF,
    *,
    kinds: Sequence[str] = (QuestionKind.RATING, QuestionKind.TEXT),
    scale: RatingScale | None = None,
    required: bool = True,
    name: str | None = None,
) -> Template:
    """A template with one section holding one question of each kind in `kinds`; the first
    rating question is the overall one."""
    scale = scale or RatingScaleFactory()
    template = TemplateFactory(relationship=relationship, **({"name": name} if name else {}))
    section = TemplateSection.objects.create(template=template, position=0, title="The period")
    overall_set = False
    for position, kind in enumerate(kinds):
        rated = kind != QuestionKind.TEXT
        items: list[dict[str, str]] = []
        if kind == QuestionKind.COMPETENCIES:
            items = [
                {"name": "Communication", "description": "Clear, timely, kind."},
                {"name": "Craft", "description": "Quality of the work itself."},
            ]
        TemplateQuestion.objects.create(
            section=section,
            position=position,
            kind=kind,
            prompt=f"{QuestionKind(kind).label}?",
            required=required,
            scale=scale if rated else None,
            items=items,
            is_overall=kind == QuestionKind.RATING and not overall_set,
        )
        overall_set = overall_set or kind == QuestionKind.RATING
    return template


class CycleFactory(DjangoModelFactory):
    class Meta:
        model = Cycle

    name = factory.Sequence(lambda n: f"Review cycle {n}")
    period_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=180))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    status = CycleStatus.DRAFT


def open_phases(cycle: Cycle, *, today: date | None = None, days: int = 14) -> list[Phase]:
    """Every phase open from a week ago to `days` from now (tests close them as needed)."""
    today = today or timezone.localdate()
    return [
        Phase.objects.create(
            cycle=cycle,
            kind=kind,
            opens_on=today - timedelta(days=7),
            due_on=today + timedelta(days=days),
        )
        for kind in PhaseKind
        if kind != PhaseKind.CALIBRATION
    ]


def set_phase(cycle: Cycle, kind: str, *, opens_on: date, due_on: date) -> Phase:
    phase = Phase.objects.get(cycle=cycle, kind=kind)
    phase.opens_on, phase.due_on = opens_on, due_on
    phase.save(update_fields=["opens_on", "due_on"])
    return phase


def close_phase(cycle: Cycle, kind: str) -> Phase:
    today = timezone.localdate()
    return set_phase(cycle, kind, opens_on=today - timedelta(days=30), due_on=today - timedelta(1))


def add_participant(cycle: Cycle, person: Person, **snapshot: Any) -> Participant:
    manager = person.manager
    defaults: dict[str, Any] = {
        "title": person.title,
        "level": person.level,
        "department": person.department,
        "department_name": person.department.name if person.department else "",
        "manager": manager,
        "manager_name": str(manager) if manager else "",
        "path": person.path,
    }
    defaults.update(snapshot)
    return Participant.objects.create(cycle=cycle, person=person, **defaults)


def form_version(cycle: Cycle, relationship: str) -> Any:
    return (
        CycleForm.objects.select_related("version")
        .get(cycle=cycle, relationship=relationship)
        .version
    )


def add_review(
    participant: Participant, reviewer: Person, relationship: str, **fields: Any
) -> Review:
    review = Review.objects.create(
        cycle=participant.cycle,
        participant=participant,
        reviewee=participant.person,
        reviewer=reviewer,
        relationship=relationship,
        template_version=form_version(participant.cycle, relationship),
        **fields,
    )
    # The services keep the progress counters; rows made here bypass them.
    tally.refresh(cycle_id=participant.cycle_id, participant_ids=[participant.pk])
    return review


def running_cycle(
    people: Iterable[Person],
    *,
    relationships: Sequence[str] = (Relationship.SELF, Relationship.MANAGER, Relationship.PEER),
    kinds: Sequence[str] = (QuestionKind.RATING, QuestionKind.TEXT),
    **cycle_fields: Any,
) -> Cycle:
    """A launched cycle: frozen forms, all phases open, participants snapshotted, a self
    review for everyone and a manager review for everyone with a manager."""
    cycle = CycleFactory(status=CycleStatus.ACTIVE, launched_at=timezone.now(), **cycle_fields)
    for relationship in relationships:
        template = template_with_questions(relationship, kinds=kinds)
        CycleForm.objects.create(
            cycle=cycle,
            relationship=relationship,
            template=template,
            version=versions.freeze(template),
        )
    open_phases(cycle)
    for person in people:
        participant = add_participant(cycle, person)
        if Relationship.SELF in relationships:
            add_review(participant, person, Relationship.SELF)
        if Relationship.MANAGER in relationships and person.manager_id:
            add_review(participant, person.manager, Relationship.MANAGER)
    return cycle


def participant_of(cycle: Cycle, person: Person) -> Participant:
    return Participant.objects.get(cycle=cycle, person=person)


def review_of(
    cycle: Cycle, reviewee: Person, relationship: str, reviewer: Person | None = None
) -> Review:
    reviews = Review.objects.filter(cycle=cycle, reviewee=reviewee, relationship=relationship)
    if reviewer is not None:
        reviews = reviews.filter(reviewer=reviewer)
    return reviews.get()


def nominate(
    participant: Participant,
    peer: Person,
    *,
    status: str = NominationStatus.PROPOSED,
    with_review: bool | None = None,
) -> Nomination:
    """A nomination; an approved one gets its peer review unless `with_review=False`."""
    nomination = Nomination.objects.create(
        cycle=participant.cycle,
        participant=participant,
        peer=peer,
        status=status,
        nominated_by=participant.person,
    )
    tally.refresh(cycle_id=participant.cycle_id, participant_ids=[participant.pk])
    if with_review or (with_review is None and status == NominationStatus.APPROVED):
        add_review(participant, peer, Relationship.PEER)
    return nomination
