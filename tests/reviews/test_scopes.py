"""The review access rules and their SQL scope agree, for the people the issue names."""

from __future__ import annotations

import pytest

from tandem.access.rules import can, scope
from tandem.reviews.models import NominationStatus, Relationship, Review, ReviewState
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import nominate, participant_of, review_of, running_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    boss = PersonFactory()
    manager = PersonFactory(manager=boss)
    report = PersonFactory(manager=manager)
    peer = PersonFactory(manager=manager)
    outsider_manager = PersonFactory(manager=boss)
    PersonFactory(manager=outsider_manager)
    cycle = running_cycle([report, peer])
    nominate(participant_of(cycle, report), peer, status=NominationStatus.APPROVED)
    Review.objects.filter(cycle=cycle).update(state=ReviewState.SUBMITTED)
    return {
        "cycle": cycle,
        "boss": boss,
        "manager": manager,
        "report": report,
        "peer": peer,
        "outsider_manager": outsider_manager,
    }


def _visible(person, review) -> bool:
    by_rule = can(person, "review.view", review)
    by_scope = scope(person, Review.objects.filter(pk=review.pk)).exists()
    assert by_rule == by_scope, "rule and scope disagree"
    return by_rule


def test_peer_cannot_read_the_manager_review(team):
    manager_review = review_of(team["cycle"], team["report"], Relationship.MANAGER)
    assert not _visible(team["peer"], manager_review)


def test_reviewee_cannot_read_the_manager_review_before_it_is_shared(team):
    manager_review = review_of(team["cycle"], team["report"], Relationship.MANAGER)
    assert not _visible(team["report"], manager_review)


def test_reviewee_reads_the_manager_review_once_shared(team):
    manager_review = review_of(team["cycle"], team["report"], Relationship.MANAGER)
    Review.objects.filter(pk=manager_review.pk).update(state=ReviewState.SHARED)
    manager_review.refresh_from_db()
    assert _visible(team["report"], manager_review)


def test_manager_of_manager_reads_submitted_reviews_below(team):
    peer_review = review_of(team["cycle"], team["report"], Relationship.PEER)
    assert _visible(team["boss"], peer_review)


def test_manager_outside_the_chain_sees_nothing(team):
    for review in Review.objects.filter(cycle=team["cycle"]):
        assert not _visible(team["outsider_manager"], review)


def test_hr_admin_reads_every_review(team):
    admin = hr_admin()
    for review in Review.objects.filter(cycle=team["cycle"]):
        assert _visible(admin, review)


def test_reviewee_does_not_see_peer_names_when_peers_are_anonymous(team):
    peer_review = review_of(team["cycle"], team["report"], Relationship.PEER)
    assert not can(team["report"], "review.see_author", peer_review)
    assert can(team["manager"], "review.see_author", peer_review)
