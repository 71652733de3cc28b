"""A small team in a running cycle, for the nomination tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tandem.org.models import Person
from tandem.reviews.models import Cycle, Participant
from tests.factories import PersonFactory
from tests.reviews.factories import participant_of, running_cycle


@dataclass
class Team:
    cycle: Cycle
    manager: Person
    reviewee: Person
    colleagues: list[Person]
    participant: Participant

    def ids(self, *indexes: int) -> list[int]:
        return [self.colleagues[i].pk for i in indexes]


def team(size: int = 6, **cycle_fields: Any) -> Team:
    """A manager, a reviewee and `size` colleagues, all in one running cycle with peer
    reviews (2 to 4 peers each, at most 2 peer reviews per person unless told otherwise)."""
    manager = PersonFactory(first_name="Mia", last_name="Manager")
    reviewee = PersonFactory(first_name="Rae", last_name="Reviewee", manager=manager)
    colleagues = [PersonFactory(manager=manager) for _ in range(size)]
    fields = {"peers_min": 2, "peers_max": 4, "peer_review_cap": 2, **cycle_fields}
    cycle = running_cycle([reviewee, *colleagues], **fields)
    return Team(
        cycle=cycle,
        manager=manager,
        reviewee=reviewee,
        colleagues=colleagues,
        participant=participant_of(cycle, reviewee),
    )
