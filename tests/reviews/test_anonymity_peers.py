"""Anonymous peer reviews, tried as the person reviewed would: over many generated cycles,
matching a nominated peer to what they wrote is no better than chance (a binomial test),
and the reviewee sees no per-peer order, label, id, state or time (docs/anonymity.md)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from scipy.stats import binomtest

from tandem.org.models import Department, Person
from tandem.reviews import tally
from tandem.reviews.models import (
    Cycle,
    NominationStatus,
    Participant,
    PhaseKind,
    Relationship,
    Review,
    ReviewState,
)
from tandem.reviews.services.anonymous import release_groups
from tests.access.reviews_cleanup import delete_cycles
from tests.factories import DepartmentFactory, PersonFactory
from tests.reviews.api_helpers import BASE, bearer
from tests.reviews.factories import close_phase, nominate, participant_of, running_cycle

pytestmark = pytest.mark.django_db

# The generator of the test's cycles is seeded; the app's own randomness (the keyed
# permutations) is not touched: its key is the one this test database generated.
SEED = 20260311
PEOPLE = 48
PEERS = 4
# The permutations are keyed by the key this test database generated, so each run is a
# fresh draw: at 0.001 one run in a few hundred failed by chance alone. One in a million
# still catches the old id order by far (its p-values are below 1e-20).
ALPHA = 1e-6


@dataclass
class World:
    cycle: Cycle
    reviewees: list[Person]
    peers_of: dict[int, list[Person]]  # reviewee id → peers in the order their reviews were made
    department: Department


def _world() -> World:
    """PEOPLE people in one cycle, each reviewed by PEERS others drawn by a seeded generator;
    nominations and reviews are made in ascending person id (as the launch makes them), and
    every peer submits, in that same order, answers that say who wrote them."""
    rng = random.Random(SEED)
    department = DepartmentFactory()
    people = [PersonFactory(department=department) for _ in range(PEOPLE)]
    cycle = running_cycle(people)
    peers_of: dict[int, list[Person]] = {}
    for person in people:
        peers = sorted(rng.sample([p for p in people if p != person], PEERS), key=lambda p: p.pk)
        participant = participant_of(cycle, person)
        for peer in peers:
            nominate(participant, peer, status=NominationStatus.APPROVED)
        peers_of[person.pk] = peers
    for person in people:
        for minute, peer in enumerate(peers_of[person.pk]):
            review = Review.objects.get(
                cycle=cycle, reviewee=person, reviewer=peer, relationship=Relationship.PEER
            )
            content = review.template_version.content["sections"][0]["questions"]
            answers = {
                q["key"]: {
                    "rating": rng.randint(1, 5) if q["kind"] == "rating" else None,
                    "comment": f"WRITER-{peer.pk}",
                }
                for q in content
            }
            Review.objects.filter(pk=review.pk).update(
                state=ReviewState.SUBMITTED,
                answers=answers,
                submitted_at=timezone.now() - timedelta(hours=PEERS - minute),
            )
    tally.refresh(cycle_id=cycle.pk)
    close_phase(cycle, PhaseKind.PEER)
    # What the daily release does (`release_groups`), set directly: its audit event would
    # outlive this module-wide world (the trail is append-only).
    Participant.objects.filter(cycle=cycle).update(
        shared_at=timezone.now(), anonymous_released_on=timezone.localdate()
    )
    return World(cycle=cycle, reviewees=people, peers_of=peers_of, department=department)


def _shown(world: World, person: Person) -> list[list[int]]:
    """What the person reviewed reads through the API: per question, the writer behind each
    answer in the order shown (the test knows it from the text; the reader does not)."""
    participant = participant_of(world.cycle, person)
    groups = bearer(person).get(f"{BASE}/participants/{participant.pk}/anonymous-answers").json()
    [group] = [g for g in groups if g["relationship"] == "peer"]
    return [
        [int(answer["comment"].removeprefix("WRITER-")) for answer in question["answers"]]
        for section in group["sections"]
        for question in section["questions"]
    ]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        built = _world()
        shown = {person.pk: _shown(built, person) for person in built.reviewees}
        yield built, shown
        # The cycle with its templates, versions and scales: nothing outlives the module.
        delete_cycles([built.cycle.pk])
        Person.objects.filter(pk__in=[p.pk for p in built.reviewees]).delete()
        Department.objects.filter(pk=built.department.pk).delete()


def _matches(world: World, shown: dict[int, list[list[int]]], guess) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """How often the attacker's guess for the first answer of each question is right."""
    hits = trials = 0
    for person in world.reviewees:
        for order in shown[person.pk]:
            trials += 1
            hits += order[0] == guess(world.peers_of[person.pk]).pk
    return hits, trials


def test_the_first_answer_is_no_likelier_the_first_nominated_peer_than_chance(world, db):
    built, shown = world
    hits, trials = _matches(built, shown, lambda peers: peers[0])
    result = binomtest(hits, trials, 1 / PEERS, alternative="greater")
    assert result.pvalue > ALPHA, f"{hits} of {trials} first answers by the first peer"


def test_the_first_answer_is_no_likelier_the_last_to_submit_than_chance(world, db):
    built, shown = world
    hits, trials = _matches(built, shown, lambda peers: peers[-1])
    assert binomtest(hits, trials, 1 / PEERS, alternative="greater").pvalue > ALPHA


def test_a_position_does_not_follow_one_writer_from_question_to_question(world, db):
    """Were answers shown with a fixed label per writer ("Peer 2"), the writer first in one
    question would be first in the next: here that happens by chance only."""
    built, shown = world
    same = sum(shown[p.pk][0][0] == shown[p.pk][1][0] for p in built.reviewees)
    result = binomtest(same, len(built.reviewees), 1 / PEERS, alternative="greater")
    assert result.pvalue > ALPHA


def test_the_statistical_test_does_catch_the_old_order(world, db):
    """The same test against labels in id order (the leak this replaced) fails loudly:
    the test above can fail."""
    built, _ = world
    leaky = {p.pk: [[peer.pk for peer in built.peers_of[p.pk]]] * 2 for p in built.reviewees}
    hits, trials = _matches(built, leaky, lambda peers: peers[0])
    assert binomtest(hits, trials, 1 / PEERS, alternative="greater").pvalue < 1e-9


def test_every_answer_is_shown_once(world, db):
    built, shown = world
    for person in built.reviewees:
        expected = sorted(peer.pk for peer in built.peers_of[person.pk])
        assert all(sorted(order) == expected for order in shown[person.pk])


def test_the_reviewee_gets_no_peer_ids_states_times_or_names(world, db):
    built, _ = world
    person = built.reviewees[0]
    participant = participant_of(built.cycle, person)
    client = bearer(person)
    record = client.get(f"{BASE}/participants/{participant.pk}").json()
    assert all(row["relationship"] != "peer" for row in record["reviews"])
    listed = client.get(f"{BASE}/reviews", {"role": "all", "limit": 200}).json()["items"]
    assert all(r["relationship"] != "peer" or r["reviewer"]["id"] == person.pk for r in listed)
    groups = client.get(f"{BASE}/participants/{participant.pk}/anonymous-answers").json()
    dumped = json.dumps(groups)
    for peer in built.peers_of[person.pk]:
        assert peer.display_name not in dumped and peer.email not in dumped
    peer_review = Review.objects.filter(reviewee=person, relationship=Relationship.PEER).first()
    assert peer_review is not None
    for needle in (peer_review.submitted_at.isoformat()[:16], f'"id": {peer_review.pk}'):
        assert needle not in dumped
    assert client.get(f"{BASE}/reviews/{peer_review.pk}").status_code == 404


def test_a_single_peer_answer_is_not_shown_to_the_reviewee(db):
    department = DepartmentFactory()
    person, peer = PersonFactory(department=department), PersonFactory(department=department)
    cycle = running_cycle([person])
    participant = participant_of(cycle, person)
    nominate(participant, peer, status=NominationStatus.APPROVED)
    Review.objects.filter(reviewer=peer).update(
        state=ReviewState.SUBMITTED,
        answers={"q2": {"comment": "ALONE"}},
        submitted_at=timezone.now(),
    )
    tally.refresh(cycle_id=cycle.pk)
    close_phase(cycle, PhaseKind.PEER)
    release_groups(timezone.localdate())
    Participant.objects.filter(pk=participant.pk).update(shared_at=timezone.now())
    [group] = bearer(person).get(f"{BASE}/participants/{participant.pk}/anonymous-answers").json()
    assert group["status"] == "withheld" and "ALONE" not in json.dumps(group)
