"""A peer declines with a reason; the manager picks a replacement within the cap."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tandem.reviews.models import Nomination, NominationStatus, Relationship, Review, ReviewState
from tandem.reviews.services.nominations import decline, replace_peer
from tests.factories import PersonFactory
from tests.reviews.factories import add_participant, close_phase, nominate
from tests.reviews.nominations_helpers import team

pytestmark = pytest.mark.django_db


def _approved(t, index: int = 0) -> Nomination:
    return nominate(t.participant, t.colleagues[index], status=NominationStatus.APPROVED)


def _review(t, peer) -> Review | None:
    return Review.objects.filter(
        participant=t.participant, relationship=Relationship.PEER, reviewer=peer
    ).first()


def test_a_peer_declines_with_a_reason_and_their_review_goes() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="I joined last week.", by=t.colleagues[0])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DECLINED
    assert nomination.decline_reason == "I joined last week."
    assert _review(t, t.colleagues[0]) is None


def test_a_draft_is_deleted_with_the_review() -> None:
    t = team()
    nomination = _approved(t)
    Review.objects.filter(reviewer=t.colleagues[0], relationship=Relationship.PEER).update(
        state=ReviewState.IN_PROGRESS, answers={"q1": {"rating": 3, "comment": "x"}}
    )
    decline(nomination, reason="Conflict of interest.", by=t.colleagues[0])
    assert _review(t, t.colleagues[0]) is None
    assert "draft was deleted" in AuditEvent.objects.get(kind="review.nomination.decline").note


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(reason: str) -> None:
    t = team()
    nomination = _approved(t)
    with pytest.raises(ValidationError) as error:
        decline(nomination, reason=reason, by=t.colleagues[0])
    assert "why you decline" in " ".join(error.value.message_dict["reason"])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert _review(t, t.colleagues[0]) is not None


def test_a_reason_over_500_characters_is_refused() -> None:
    t = team()
    with pytest.raises(ValidationError) as error:
        decline(_approved(t), reason="x" * 501, by=t.colleagues[0])
    assert "500" in " ".join(error.value.message_dict["reason"])


def test_a_submitted_peer_review_cannot_be_declined() -> None:
    t = team()
    nomination = _approved(t)
    Review.objects.filter(reviewer=t.colleagues[0]).update(state=ReviewState.SUBMITTED)
    with pytest.raises(ValidationError):
        decline(nomination, reason="Too late.", by=t.colleagues[0])
    assert _review(t, t.colleagues[0]) is not None


def test_only_the_nominated_peer_may_decline() -> None:
    t = team()
    with pytest.raises(NotAllowed):
        decline(_approved(t), reason="No.", by=t.manager)


def test_the_manager_hears_once_and_reads_the_reason_in_tandem() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="On holiday all month.", by=t.colleagues[0])
    with pytest.raises(ValidationError):
        decline(nomination, reason="Again.", by=t.colleagues[0])
    note = Notification.objects.get(person=t.manager, kind="reviews.nomination")
    assert "pick a replacement" in note.title
    assert "gave a reason, which the nominations page shows" in note.body
    assert "On holiday all month." not in note.body, "the reason stays in Tandem"


def test_the_manager_replaces_a_declined_peer() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    replacement = replace_peer(nomination, t.colleagues[1], by=t.manager)
    assert replacement.status == NominationStatus.APPROVED
    assert _review(t, t.colleagues[1]) is not None
    assert AuditEvent.objects.filter(kind="review.nomination.replace").count() == 1


def test_the_replacement_hears_once() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    replace_peer(nomination, t.colleagues[1], by=t.manager)
    assert Notification.objects.filter(person=t.colleagues[1]).count() == 1


def test_a_replacement_respects_the_cap() -> None:
    t = team(peer_review_cap=1)
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    nominate(add_participant(t.cycle, PersonFactory()), t.colleagues[1], status="approved")
    with pytest.raises(ValidationError) as error:
        replace_peer(nomination, t.colleagues[1], by=t.manager)
    assert "the limit" in " ".join(error.value.message_dict["peer"])
    assert _review(t, t.colleagues[1]) is None


def test_the_peer_who_declined_cannot_be_the_replacement() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    with pytest.raises(ValidationError):
        replace_peer(nomination, t.colleagues[0], by=t.manager)


def test_an_unsubmitted_approved_peer_can_be_replaced() -> None:
    t = team()
    nomination = _approved(t)
    replace_peer(nomination, t.colleagues[1], by=t.manager)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    assert _review(t, t.colleagues[0]) is None
    assert _review(t, t.colleagues[1]) is not None


def test_a_submitted_peer_review_is_not_replaced() -> None:
    t = team()
    nomination = _approved(t)
    Review.objects.filter(reviewer=t.colleagues[0]).update(state=ReviewState.SUBMITTED)
    with pytest.raises(ValidationError):
        replace_peer(nomination, t.colleagues[1], by=t.manager)


def test_a_replacement_needs_an_open_window() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    close_phase(t.cycle, "nomination")
    close_phase(t.cycle, "peer")
    with pytest.raises(ValidationError):
        replace_peer(nomination, t.colleagues[1], by=t.manager)


def test_the_reviewee_cannot_pick_the_replacement() -> None:
    t = team()
    nomination = _approved(t)
    decline(nomination, reason="No time.", by=t.colleagues[0])
    with pytest.raises(NotAllowed):
        replace_peer(nomination, t.colleagues[1], by=t.reviewee)
