"""The manager approves the proposed peers, or changes them first; approval creates the peer
reviews, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tandem.reviews.models import (
    CycleForm,
    Nomination,
    NominationStatus,
    Relationship,
    Review,
)
from tandem.reviews.services.nominations import approve_peers, propose_peers
from tests.factories import PersonFactory, hr_admin
from tests.reviews.factories import add_participant, close_phase, form_version, nominate
from tests.reviews.nominations_helpers import team

pytestmark = pytest.mark.django_db


def _status(t) -> dict[int, str]:
    return dict(
        Nomination.objects.filter(participant=t.participant).values_list("peer_id", "status")
    )


def _peer_reviewers(t) -> list[int]:
    return sorted(
        Review.objects.filter(
            participant=t.participant, relationship=Relationship.PEER
        ).values_list("reviewer_id", flat=True)
    )


def _proposed(t, *indexes: int):
    propose_peers(t.participant, t.ids(*indexes), by=t.reviewee)
    return t


def test_approving_as_proposed_approves_each_and_creates_their_peer_reviews() -> None:
    t = _proposed(team(), 0, 1)
    assert approve_peers(t.participant, by=t.manager) == sorted(t.ids(0, 1))
    assert set(_status(t).values()) == {NominationStatus.APPROVED}
    assert _peer_reviewers(t) == sorted(t.ids(0, 1))


def test_peer_reviews_use_the_cycles_peer_form() -> None:
    t = _proposed(team(), 0, 1)
    approve_peers(t.participant, by=t.manager)
    version = form_version(t.cycle, Relationship.PEER)
    assert set(
        Review.objects.filter(relationship=Relationship.PEER).values_list(
            "template_version", flat=True
        )
    ) == {version.pk}


def test_approving_twice_creates_the_reviews_once() -> None:
    t = _proposed(team(), 0, 1)
    approve_peers(t.participant, by=t.manager)
    assert approve_peers(t.participant, by=t.manager) == []
    assert _peer_reviewers(t) == sorted(t.ids(0, 1))


def test_the_manager_changes_the_set_removed_ones_are_not_approved() -> None:
    t = _proposed(team(), 0, 1, 2)
    approve_peers(t.participant, by=t.manager, peers=t.ids(1, 3))
    status = _status(t)
    assert status[t.colleagues[0].pk] == NominationStatus.REJECTED
    assert status[t.colleagues[2].pk] == NominationStatus.REJECTED
    assert status[t.colleagues[1].pk] == NominationStatus.APPROVED
    assert status[t.colleagues[3].pk] == NominationStatus.APPROVED
    assert _peer_reviewers(t) == sorted(t.ids(1, 3))


def test_a_peer_the_manager_adds_is_recorded_as_nominated_by_the_manager() -> None:
    t = _proposed(team(), 0, 1)
    approve_peers(t.participant, by=t.manager, peers=t.ids(0, 3))
    added = Nomination.objects.get(participant=t.participant, peer=t.colleagues[3])
    assert added.nominated_by == t.manager
    assert added.decided_by == t.manager


def test_the_changed_set_must_respect_the_minimum() -> None:
    t = _proposed(team(), 0, 1)
    with pytest.raises(ValidationError) as error:
        approve_peers(t.participant, by=t.manager, peers=t.ids(0))
    assert "at least 2" in " ".join(error.value.message_dict["peers"])
    assert set(_status(t).values()) == {NominationStatus.PROPOSED}
    assert _peer_reviewers(t) == []


def test_the_changed_set_must_respect_the_maximum() -> None:
    t = _proposed(team(), 0, 1)
    with pytest.raises(ValidationError):
        approve_peers(t.participant, by=t.manager, peers=t.ids(0, 1, 2, 3, 4))


def test_approval_counts_only_approved_reviews_against_the_cap() -> None:
    t = team(peer_review_cap=2)
    busy = t.colleagues[0]
    nominate(add_participant(t.cycle, PersonFactory()), busy, status=NominationStatus.APPROVED)
    propose_peers(t.participant, [busy.pk, *t.ids(1)], by=t.reviewee)
    nominate(add_participant(t.cycle, PersonFactory()), busy)  # proposed elsewhere
    approve_peers(t.participant, by=t.manager)
    assert _status(t)[busy.pk] == NominationStatus.APPROVED


def test_approval_refuses_a_peer_already_at_the_cap() -> None:
    t = team(peer_review_cap=1)
    busy = PersonFactory(first_name="Ada", last_name="Lovelace")
    nominate(add_participant(t.cycle, PersonFactory()), busy, status=NominationStatus.APPROVED)
    _proposed(t, 0, 1)
    with pytest.raises(ValidationError) as error:
        approve_peers(t.participant, by=t.manager, peers=[busy.pk, *t.ids(0)])
    assert error.value.message_dict["peers"] == [
        "Ada Lovelace already has 1 peer reviews to write this cycle (the limit); "
        "choose someone else."
    ]
    assert _peer_reviewers(t) == []


def test_the_manager_cannot_add_the_reviewee_themselves() -> None:
    t = _proposed(team(), 0, 1)
    with pytest.raises(ValidationError):
        approve_peers(t.participant, by=t.manager, peers=[t.reviewee.pk, *t.ids(0)])


def test_approval_is_refused_once_the_nomination_phase_closed() -> None:
    t = _proposed(team(), 0, 1)
    close_phase(t.cycle, "nomination")
    with pytest.raises(ValidationError) as error:
        approve_peers(t.participant, by=t.manager)
    assert "nomination and approval phase closed on" in error.value.message_dict["peers"][0]
    assert _peer_reviewers(t) == []


def test_approval_is_refused_once_nomination_and_peer_phases_closed() -> None:
    t = _proposed(team(), 0, 1)
    close_phase(t.cycle, "nomination")
    close_phase(t.cycle, "peer")
    with pytest.raises(ValidationError) as error:
        approve_peers(t.participant, by=t.manager)
    assert "closed on" in " ".join(error.value.message_dict["peers"])
    assert _peer_reviewers(t) == []


def test_a_cycle_without_a_peer_form_refuses_approval() -> None:
    t = _proposed(team(), 0, 1)
    CycleForm.objects.filter(cycle=t.cycle, relationship=Relationship.PEER).delete()
    with pytest.raises(ValidationError) as error:
        approve_peers(t.participant, by=t.manager)
    assert "no peer reviews" in " ".join(error.value.message_dict["peers"])


def test_the_reviewee_cannot_approve_their_own_peers() -> None:
    t = _proposed(team(), 0, 1)
    with pytest.raises(NotAllowed):
        approve_peers(t.participant, by=t.reviewee)


def test_a_colleague_cannot_approve() -> None:
    t = _proposed(team(), 0, 1)
    with pytest.raises(NotAllowed):
        approve_peers(t.participant, by=t.colleagues[0])


def test_an_hr_admin_can_approve() -> None:
    t = _proposed(team(), 0, 1)
    approve_peers(t.participant, by=hr_admin())
    assert _peer_reviewers(t) == sorted(t.ids(0, 1))


def test_each_new_peer_and_the_reviewee_hear_once() -> None:
    t = _proposed(team(), 0, 1)
    approve_peers(t.participant, by=t.manager)
    approve_peers(t.participant, by=t.manager)
    for peer in t.colleagues[:2]:
        notes = Notification.objects.filter(person=peer, kind="reviews.nomination")
        assert [n.title for n in notes] == [
            f"Write a peer review for {t.reviewee} by "
            + t.cycle.phases.get(kind="peer").due_on.strftime("%-d %B %Y")
        ]
    assert Notification.objects.filter(person=t.reviewee, kind="reviews.nomination").count() == 1


def test_approval_is_audited_with_what_changed() -> None:
    t = _proposed(team(), 0, 1, 2)
    approve_peers(t.participant, by=t.manager, peers=t.ids(0, 1))
    event = AuditEvent.objects.get(kind="review.nomination.approve")
    assert event.changes == {"approved": sorted(t.ids(0, 1)), "rejected": t.ids(2)}
