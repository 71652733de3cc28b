"""A finished cycle with known ratings and protected attributes, built fast (ratings are
written as SubmittedRating rows, as the submit service would), for the fairness tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tandem.access.models import Role
from tandem.fairness.models import PersonAttribute, ProtectedAttribute
from tandem.org.models import Department, Person
from tandem.reviews.models import (
    Cycle,
    Participant,
    QuestionKind,
    Relationship,
    Review,
    ReviewState,
    SubmittedRating,
)
from tandem.reviews.queries.ratings import overall_question
from tandem.reviews.services import stored_ratings
from tests.factories import DepartmentFactory, PersonFactory, grant, hr_admin
from tests.reviews.factories import running_cycle

POINTS = 5


@dataclass(frozen=True)
class Rated:
    """One person to rate: their group (None: not given), raw rating, final rating (None:
    not calibrated), and department key."""

    group: str | None
    raw: int
    final: int | None = None
    department: str = "a"


@dataclass
class RatedCycle:
    cycle: Cycle
    attribute: ProtectedAttribute
    people: list[Person]
    departments: dict[str, Department]
    rows: list[Rated] = field(default_factory=list)


def people_analyst(**kwargs: Any) -> Person:
    """An HR admin who also holds the people-analytics role."""
    return grant(hr_admin(**kwargs), Role.PEOPLE_ANALYTICS)


def rate(cycle: Cycle, ratings: dict[int, int]) -> None:
    """Submit each participant's manager review with the overall rating {person id: value}."""
    found = overall_question(cycle)
    assert found is not None
    key, points = found
    reviews = Review.objects.filter(
        cycle=cycle, relationship=Relationship.MANAGER, reviewee_id__in=ratings
    ).select_related("participant")
    now = timezone.now()
    rows = []
    for review in reviews:
        value = ratings[review.reviewee_id]
        rows.append(
            SubmittedRating(
                review=review,
                cycle=cycle,
                participant=review.participant,
                relationship=Relationship.MANAGER,
                question_key=key,
                question_kind=QuestionKind.RATING,
                item_key="",
                value=value,
                points=points,
                normalised=Decimal(value - 1) / Decimal(points - 1),
            )
        )
    SubmittedRating.objects.bulk_create(rows)
    reviews.update(state=ReviewState.SUBMITTED, submitted_at=now)
    stored_ratings.ratings_changed(cycle.pk, [review.participant_id for review in reviews])


def rated_cycle(rows: Sequence[Rated], *, attribute_key: str = "gender") -> RatedCycle:
    departments = {
        key: DepartmentFactory(name=f"Fairness dept {key.upper()}")
        for key in sorted({r.department for r in rows})
    }
    boss = PersonFactory(department=departments[rows[0].department])
    people = [PersonFactory(manager=boss, department=departments[r.department]) for r in rows]
    cycle = running_cycle(people, relationships=(Relationship.MANAGER,))
    rate(cycle, {p.pk: r.raw for p, r in zip(people, rows, strict=True)})
    for person, row in zip(people, rows, strict=True):
        if row.final is not None:
            Participant.objects.filter(cycle=cycle, person=person).update(
                final_rating=row.final, final_rating_points=POINTS, calibration_state="locked"
            )
    attribute, _ = ProtectedAttribute.objects.get_or_create(
        key=attribute_key, defaults={"label": attribute_key.replace("_", " ").capitalize()}
    )
    PersonAttribute.objects.bulk_create(
        PersonAttribute(person=p, attribute=attribute, value=r.group)
        for p, r in zip(people, rows, strict=True)
        if r.group is not None
    )
    return RatedCycle(cycle, attribute, people, departments, list(rows))
