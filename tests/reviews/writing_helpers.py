"""A small team for the writing and sharing tests: a skip-level manager, a manager, the
person reviewed (Olu) and a peer in the same team, in a running cycle whose phases are all
open, with an approved peer review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.org.models import Person
from tandem.reviews.models import (
    Cycle,
    NominationStatus,
    Participant,
    QuestionKind,
    Relationship,
    Review,
)
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.factories import nominate, participant_of, review_of, running_cycle

KINDS = (QuestionKind.RATING, QuestionKind.TEXT)


@dataclass
class Team:
    cycle: Cycle
    boss: Person
    manager: Person
    owner: Person
    peer: Person
    participant: Participant

    def review(self, relationship: str, reviewer: Person | None = None) -> Review:
        return review_of(self.cycle, self.owner, relationship, reviewer)

    @property
    def self_review(self) -> Review:
        return self.review(Relationship.SELF)

    @property
    def manager_review(self) -> Review:
        return self.review(Relationship.MANAGER)

    @property
    def peer_review(self) -> Review:
        return self.review(Relationship.PEER, self.peer)


def make_team(*, kinds: Any = KINDS, **cycle_fields: Any) -> Team:
    department = DepartmentFactory()
    boss = PersonFactory(department=department)
    manager = PersonFactory(manager=boss, department=department)
    owner = PersonFactory(
        first_name="Olu", last_name="Owner", manager=manager, department=department
    )
    peer = PersonFactory(manager=manager, department=department)
    cycle = running_cycle([owner], kinds=kinds, **cycle_fields)
    participant = participant_of(cycle, owner)
    nominate(participant, peer, status=NominationStatus.APPROVED)
    return Team(cycle, boss, manager, owner, peer, participant)


def rating_key(review: Review) -> str:
    """The key of the first rating question of the review's template."""
    return _key_of(review, QuestionKind.RATING)


def text_key(review: Review) -> str:
    return _key_of(review, QuestionKind.TEXT)


def _key_of(review: Review, kind: str) -> str:
    for section in review.template_version.content["sections"]:
        for question in section["questions"]:
            if question["kind"] == kind:
                return question["key"]
    raise AssertionError(f"no {kind} question")


def full_answers(review: Review, rating: int = 4, text: str = "Did well.") -> dict[str, Any]:
    return {
        rating_key(review): {"rating": rating, "comment": "Because."},
        text_key(review): {"comment": text},
    }


def fresh(review: Review) -> Review:
    review.refresh_from_db()
    return review
