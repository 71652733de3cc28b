"""A small cycle with a lenient and a severe manager, built the way submissions leave it.

Two teams of five: "Lenora Generous" rates her team 5/4/5/4/5, "Sevrin Harshman" rates
his 2/2/3/2/1, while peers from the other team (and each person themselves) rate both
teams alike. So the model must find Lenora lenient and Sevrin severe.
"""

from __future__ import annotations

from dataclasses import dataclass

from tandem.org.models import Person
from tandem.reviews.models import Cycle, Participant, Relationship
from tests.factories import PersonFactory
from tests.reviews.factories import add_review, participant_of, review_of, running_cycle
from tests.reviews.running_helpers import submit

LENIENT_RATINGS = (5, 4, 5, 4, 5)
SEVERE_RATINGS = (2, 2, 3, 2, 1)
PEER_RATING = (3, 4, 3, 3, 4)
SELF_RATING = 4


@dataclass
class RatedCycle:
    cycle: Cycle
    lenient: Person
    severe: Person
    lenient_team: list[Person]
    severe_team: list[Person]


def rated_cycle(*, team_size: int = 5) -> RatedCycle:
    lenient = PersonFactory(first_name="Lenora", last_name="Generous")
    severe = PersonFactory(first_name="Sevrin", last_name="Harshman")
    lenient_team = [PersonFactory(manager=lenient) for _ in range(team_size)]
    severe_team = [PersonFactory(manager=severe) for _ in range(team_size)]
    cycle = running_cycle([*lenient_team, *severe_team])
    for team, manager_ratings in ((lenient_team, LENIENT_RATINGS), (severe_team, SEVERE_RATINGS)):
        for index, person in enumerate(team):
            submit(review_of(cycle, person, Relationship.MANAGER), {"q1": manager_ratings[index]})
            submit(review_of(cycle, person, Relationship.SELF), {"q1": SELF_RATING})
    # Each person is rated by two peers of the other team, alike for both teams.
    for mine, theirs in ((lenient_team, severe_team), (severe_team, lenient_team)):
        for index, person in enumerate(mine):
            participant = participant_of(cycle, person)
            for step in (0, 1):
                peer = theirs[(index + step) % len(theirs)]
                review = add_review(participant, peer, Relationship.PEER)
                submit(review, {"q1": PEER_RATING[(index + step) % len(PEER_RATING)]})
    return RatedCycle(cycle, lenient, severe, lenient_team, severe_team)


def participant_id(cycle: Cycle, person: Person) -> int:
    return Participant.objects.get(cycle=cycle, person=person).pk
