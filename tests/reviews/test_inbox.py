"""The reviews' entries in "Things waiting for you"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.notifications.inbox import PROVIDERS, inbox_for
from tandem.reviews.inbox import review_work
from tandem.reviews.models import NominationStatus, PhaseKind, Relationship, ReviewState
from tests.factories import PersonFactory
from tests.reviews.factories import (
    close_phase,
    nominate,
    participant_of,
    review_of,
    running_cycle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    boss = PersonFactory(first_name="Bea", last_name="Boss")
    ana = PersonFactory(first_name="Ana", last_name="Able", manager=boss)
    cycle = running_cycle([boss, ana])
    return cycle, boss, ana


def kinds(person) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(item.kind for item in review_work(person))


def test_the_provider_is_registered():
    assert review_work in PROVIDERS


def test_open_reviews_are_listed_with_the_phase_due_date(team):
    cycle, boss, ana = team
    items = [i for i in review_work(boss) if i.kind == "reviews.write"]
    assert len(items) == 2  # own self review and ana's manager review
    assert {i.due for i in items} == {timezone.localdate() + timedelta(days=14)}
    assert any("manager review of Ana Able" in i.title for i in items)


def test_submitted_reviews_and_closed_phases_are_not_listed(team):
    cycle, boss, ana = team
    review = review_of(cycle, ana, Relationship.SELF)
    review.state = ReviewState.SUBMITTED
    review.save(update_fields=["state"])
    close_phase(cycle, PhaseKind.MANAGER)
    assert "reviews.write" not in kinds(ana)
    assert kinds(boss).count("reviews.write") == 1  # only the self review


def test_a_participant_without_enough_peers_is_asked_to_nominate(team):
    cycle, boss, ana = team
    assert "reviews.nominate" in kinds(ana)
    participant = participant_of(cycle, ana)
    for _ in range(cycle.peers_min):
        nominate(participant, PersonFactory(), status=NominationStatus.APPROVED)
    assert "reviews.nominate" not in kinds(ana)


def test_the_manager_sees_one_approval_per_person_and_the_peer_a_request(team):
    cycle, boss, ana = team
    peer_one, peer_two = PersonFactory(), PersonFactory()
    participant = participant_of(cycle, ana)
    nominate(participant, peer_one)
    nominate(participant, peer_two)
    assert kinds(boss).count("reviews.approve") == 1
    assert "reviews.peer_request" in kinds(peer_one)


def test_a_manager_who_is_also_a_proposed_peer_sees_the_approval_and_the_request(team):
    cycle, boss, ana = team
    nominate(participant_of(cycle, ana), boss)
    items = [i for i in review_work(boss) if i.kind in ("reviews.approve", "reviews.peer_request")]
    assert sorted(i.kind for i in items) == ["reviews.approve", "reviews.peer_request"]
    assert all("Ana Able" in i.title for i in items)


def test_approvals_name_each_participant_once_however_many_peers_they_proposed():
    boss = PersonFactory()
    ana = PersonFactory(first_name="Ana", last_name="Able", manager=boss)
    bob = PersonFactory(first_name="Bob", last_name="Bell", manager=boss)
    cycle = running_cycle([boss, ana, bob])
    for person in (ana, bob):
        for _ in range(3):
            nominate(participant_of(cycle, person), PersonFactory())
    titles = [i.title for i in review_work(boss) if i.kind == "reviews.approve"]
    assert len(titles) == 2
    assert any("Ana Able" in t for t in titles) and any("Bob Bell" in t for t in titles)


def test_a_shared_review_waits_for_acknowledgement(team):
    cycle, boss, ana = team
    participant = participant_of(cycle, ana)
    participant.shared_at = timezone.now()
    participant.save(update_fields=["shared_at"])
    assert "reviews.acknowledge" in kinds(ana)
    participant.acknowledged_at = timezone.now()
    participant.save(update_fields=["acknowledged_at"])
    assert "reviews.acknowledge" not in kinds(ana)


def test_an_outsider_has_nothing_waiting(team):
    assert review_work(PersonFactory()) == []


@pytest.mark.parametrize("reports", [1, 8])
def test_the_provider_runs_a_fixed_number_of_queries(reports, django_assert_num_queries):
    boss = PersonFactory()
    people = [boss, *(PersonFactory(manager=boss) for _ in range(reports))]
    cycle = running_cycle(people)
    for person in people[1:]:
        nominate(participant_of(cycle, person), PersonFactory())
    # One query each: reviews to write, participations, approvals, peer requests and
    # reviews to share.
    with django_assert_num_queries(5):
        items = review_work(boss)
    assert len(items) == 1 + reports + 1 + reports  # writes, nominate, approvals


def test_the_inbox_includes_review_items(team):
    cycle, boss, ana = team
    assert any(item.source == "Reviews" for item in inbox_for(ana).items)
