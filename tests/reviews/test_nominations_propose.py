"""The reviewee proposes peers: min and max, the cap, and the people who cannot be named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tandem.org.models import PersonStatus
from tandem.reviews.models import Nomination, NominationStatus
from tandem.reviews.services.nominations import propose_peers
from tests.factories import PersonFactory
from tests.reviews.factories import add_participant, close_phase, nominate, participant_of
from tests.reviews.nominations_helpers import team

pytestmark = pytest.mark.django_db


def _proposed(participant) -> set[int]:
    return set(
        Nomination.objects.filter(
            participant=participant, status=NominationStatus.PROPOSED
        ).values_list("peer_id", flat=True)
    )


def _refused(t, peers, field="peers") -> str:
    with pytest.raises(ValidationError) as error:
        propose_peers(t.participant, peers, by=t.reviewee)
    assert _proposed(t.participant) == set(), "nothing may be saved"
    return " ".join(error.value.message_dict[field])


def test_the_reviewee_proposes_peers_within_min_and_max() -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    assert _proposed(t.participant) == set(t.ids(0, 1))


def test_fewer_than_the_minimum_is_refused() -> None:
    t = team()
    assert "at least 2" in _refused(t, t.ids(0))


def test_more_than_the_maximum_is_refused() -> None:
    t = team()
    assert "at most 4" in _refused(t, t.ids(0, 1, 2, 3, 4))


def test_approved_peers_count_towards_the_maximum() -> None:
    t = team()
    for i in (0, 1, 2):
        nominate(t.participant, t.colleagues[i], status=NominationStatus.APPROVED)
    with pytest.raises(ValidationError):
        propose_peers(t.participant, t.ids(3, 4), by=t.reviewee)
    propose_peers(t.participant, t.ids(3), by=t.reviewee)
    assert _proposed(t.participant) == set(t.ids(3))


def test_a_new_proposal_replaces_the_previous_one_and_approved_peers_stay() -> None:
    t = team()
    nominate(t.participant, t.colleagues[0], status=NominationStatus.APPROVED)
    propose_peers(t.participant, t.ids(1, 2), by=t.reviewee)
    propose_peers(t.participant, t.ids(2, 3), by=t.reviewee)
    assert _proposed(t.participant) == set(t.ids(2, 3))
    assert Nomination.objects.get(peer=t.colleagues[0]).status == NominationStatus.APPROVED


def test_oneself_is_refused() -> None:
    t = team()
    assert "yourself" in _refused(t, [t.reviewee.pk, *t.ids(0)])


def test_someone_who_left_is_refused() -> None:
    t = team()
    leaver = PersonFactory(status=PersonStatus.LEFT, first_name="Lee", last_name="Gone")
    assert "Lee Gone has left" in _refused(t, [leaver.pk, *t.ids(0)])


def test_a_deactivated_account_is_refused() -> None:
    t = team()
    t.colleagues[1].is_active = False
    t.colleagues[1].save(update_fields=["is_active"])
    assert "has left" in _refused(t, t.ids(0, 1))


def test_the_same_person_twice_is_refused() -> None:
    t = team()
    assert "twice" in _refused(t, t.ids(0, 0, 1))


def test_an_unknown_id_is_refused() -> None:
    t = team()
    assert "no person with id 999999" in _refused(t, [*t.ids(0), 999999])


def test_a_value_that_is_not_an_id_is_refused() -> None:
    t = team()
    assert "not a person" in _refused(t, [*t.ids(0), "x"])


def _load_person_with(t, count: int):
    """A colleague who already has `count` peer reviews to write in this cycle."""
    busy = PersonFactory(first_name="Ada", last_name="Lovelace")
    for _ in range(count):
        other = add_participant(t.cycle, PersonFactory())
        nominate(other, busy, status=NominationStatus.APPROVED)
    return busy


def test_a_peer_one_below_the_cap_can_be_proposed() -> None:
    t = team(peer_review_cap=3)
    busy = _load_person_with(t, 2)
    propose_peers(t.participant, [busy.pk, *t.ids(0)], by=t.reviewee)
    assert busy.pk in _proposed(t.participant)


def test_a_peer_at_the_cap_is_refused_by_name() -> None:
    t = team(peer_review_cap=3)
    busy = _load_person_with(t, 3)
    message = _refused(t, [busy.pk, *t.ids(0)])
    assert message == (
        "Ada Lovelace already has 3 peer reviews to write this cycle (the limit); "
        "choose someone else."
    )


def test_proposed_nominations_count_towards_the_cap() -> None:
    t = team(peer_review_cap=1)
    other = add_participant(t.cycle, PersonFactory())
    nominate(other, t.colleagues[0])
    assert "the limit" in _refused(t, t.ids(0, 1))


def test_declined_and_rejected_nominations_free_a_slot() -> None:
    t = team(peer_review_cap=2)
    busy = _load_person_with(t, 0)
    for status in (NominationStatus.DECLINED, NominationStatus.REJECTED):
        nominate(add_participant(t.cycle, PersonFactory()), busy, status=status)
    nominate(add_participant(t.cycle, PersonFactory()), busy)
    propose_peers(t.participant, [busy.pk, *t.ids(0)], by=t.reviewee)
    assert busy.pk in _proposed(t.participant)


def test_keeping_a_peer_already_proposed_does_not_count_them_twice() -> None:
    t = team(peer_review_cap=1)
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    propose_peers(t.participant, t.ids(0, 1, 2), by=t.reviewee)
    assert _proposed(t.participant) == set(t.ids(0, 1, 2))


def test_a_peer_who_declined_cannot_be_proposed_again() -> None:
    t = team()
    nominate(t.participant, t.colleagues[0], status=NominationStatus.DECLINED)
    assert "declined" in _refused(t, t.ids(0, 1))


def test_a_peer_the_manager_did_not_approve_can_be_proposed_again() -> None:
    t = team()
    nominate(t.participant, t.colleagues[0], status=NominationStatus.REJECTED)
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    assert _proposed(t.participant) == set(t.ids(0, 1))


def test_a_closed_nomination_phase_is_refused_with_its_date_and_saves_nothing() -> None:
    t = team()
    close_phase(t.cycle, "nomination")
    message = _refused(t, t.ids(0, 1))
    assert "closed on" in message
    assert not AuditEvent.objects.filter(kind="review.nomination.propose").exists()


def test_someone_else_cannot_propose_for_the_reviewee() -> None:
    t = team()
    with pytest.raises(NotAllowed):
        propose_peers(t.participant, t.ids(0, 1), by=t.manager)


def test_a_removed_participant_cannot_propose() -> None:
    t = team()
    t.participant.removed_at = t.cycle.launched_at
    t.participant.save(update_fields=["removed_at"])
    assert "no longer part" in _refused(t, t.ids(0, 1))


def test_the_manager_hears_once_that_nominations_wait() -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    propose_peers(t.participant, t.ids(1, 0), by=t.reviewee)
    notes = Notification.objects.filter(person=t.manager, kind="reviews.nomination")
    assert notes.count() == 1
    assert "wait for your approval" in notes.get().title


def test_a_proposal_is_audited() -> None:
    t = team()
    propose_peers(t.participant, t.ids(0, 1), by=t.reviewee)
    event = AuditEvent.objects.get(kind="review.nomination.propose")
    assert event.changes["proposed"][1] == sorted(t.ids(0, 1))


def test_participant_of_the_team_is_the_reviewee() -> None:
    t = team()
    assert participant_of(t.cycle, t.reviewee) == t.participant
