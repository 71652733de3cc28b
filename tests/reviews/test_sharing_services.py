"""Sharing, releasing, acknowledging and reopening reviews."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.core.reminders import REMINDERS
from tandem.notifications.models import Notification
from tandem.reviews.models import (
    Participant,
    PhaseKind,
    Review,
    ReviewRevision,
    ReviewState,
    SubmittedRating,
)
from tandem.reviews.reminders import release_reviews_due
from tandem.reviews.services.sharing import acknowledge, release_all, release_due, reopen, share
from tandem.reviews.services.writing import save_draft, submit
from tests.factories import PersonFactory, hr_admin, hr_partner
from tests.reviews.factories import add_participant, add_review, set_phase
from tests.reviews.writing_helpers import fresh, full_answers, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _submitted_manager_review(team):
    review = team.manager_review
    submit(review, answers=full_answers(review), version=0, by=team.manager)
    return fresh(review)


def _shared(team):
    review = _submitted_manager_review(team)
    share(team.participant, by=team.manager)
    return fresh(review)


def test_the_manager_shares_a_submitted_manager_review(team):
    review = _shared(team)
    participant = Participant.objects.get(pk=team.participant.pk)
    assert review.state == ReviewState.SHARED
    assert participant.shared_at is not None
    assert participant.shared_by == team.manager


def test_sharing_tells_the_reviewee(team):
    _shared(team)
    assert Notification.objects.filter(person=team.owner, kind="reviews.shared").exists()


def test_sharing_is_audited(team):
    _shared(team)
    assert AuditEvent.objects.filter(kind="review.shared").exists()


def test_a_review_not_yet_submitted_cannot_be_shared(team):
    with pytest.raises(ValidationError) as caught:
        share(team.participant, by=team.manager)
    assert "must be submitted" in caught.value.message_dict["share"][0]
    assert fresh(team.manager_review).state == ReviewState.NOT_STARTED


def test_sharing_waits_for_the_sharing_phase(team):
    _submitted_manager_review(team)
    today = timezone.localdate()
    set_phase(
        team.cycle, PhaseKind.SHARING, opens_on=today + timedelta(1), due_on=today + timedelta(9)
    )
    with pytest.raises(ValidationError) as caught:
        share(Participant.objects.get(pk=team.participant.pk), by=team.manager)
    assert "sharing phase opens on" in caught.value.message_dict["share"][0]
    assert fresh(team.manager_review).state == ReviewState.SUBMITTED


def test_a_peer_cannot_share(team):
    _submitted_manager_review(team)
    with pytest.raises(NotAllowed):
        share(team.participant, by=team.peer)


def test_release_all_shares_every_submitted_manager_review_at_once(team):
    _submitted_manager_review(team)
    colleague = PersonFactory(manager=team.manager)
    other = add_participant(team.cycle, colleague)
    open_review = add_review(other, team.manager, "manager")
    admin = hr_admin()
    assert release_all(team.cycle, by=admin).shared == 1
    assert fresh(team.manager_review).state == ReviewState.SHARED
    assert fresh(open_review).state == ReviewState.NOT_STARTED
    assert Participant.objects.get(pk=team.participant.pk).shared_at is not None
    assert Participant.objects.get(pk=other.pk).shared_at is None
    assert team.cycle.__class__.objects.get(pk=team.cycle.pk).released_at is not None
    assert Notification.objects.filter(person=team.owner, kind="reviews.shared").count() == 1


def test_only_hr_admins_release_all(team):
    with pytest.raises(NotAllowed):
        release_all(team.cycle, by=team.manager)


@pytest.mark.dates
def test_release_due_releases_cycles_whose_date_has_come_once(team):
    _submitted_manager_review(team)
    team.cycle.release_on = timezone.localdate()
    team.cycle.save(update_fields=["release_on"])
    assert release_reviews_due in REMINDERS
    assert release_due(timezone.localdate()) == 1
    assert release_due(timezone.localdate()) == 0
    assert fresh(team.manager_review).state == ReviewState.SHARED


@pytest.mark.dates
def test_release_due_leaves_cycles_whose_date_is_still_ahead(team):
    _submitted_manager_review(team)
    team.cycle.release_on = timezone.localdate() + timedelta(days=1)
    team.cycle.save(update_fields=["release_on"])
    assert release_due(timezone.localdate()) == 0


def test_the_reviewee_acknowledges_with_a_comment(team):
    _shared(team)
    acknowledge(team.participant, comment="Fair, thank you.", by=team.owner)
    participant = Participant.objects.get(pk=team.participant.pk)
    assert participant.acknowledgement_comment == "Fair, thank you."
    assert participant.acknowledged_at is not None
    assert fresh(team.manager_review).state == ReviewState.ACKNOWLEDGED
    assert Notification.objects.filter(person=team.manager, kind="reviews.shared").exists()


def test_acknowledging_before_sharing_is_refused(team):
    _submitted_manager_review(team)
    with pytest.raises(ValidationError) as caught:
        acknowledge(team.participant, by=team.owner)
    assert "shared with you" in caught.value.message_dict["state"][0]


def test_an_acknowledgement_comment_over_five_thousand_characters_is_refused(team):
    _shared(team)
    with pytest.raises(ValidationError) as caught:
        acknowledge(team.participant, comment="x" * 5001, by=team.owner)
    assert "5,000" in caught.value.message_dict["comment"][0]
    assert fresh(team.manager_review).state == ReviewState.SHARED


def test_only_the_reviewee_acknowledges(team):
    _shared(team)
    with pytest.raises(NotAllowed):
        acknowledge(team.participant, by=team.manager)


def test_reopen_keeps_the_previous_version(team):
    review = _shared(team)
    answers = review.answers
    admin = hr_admin()
    reopen(review, reason="Wrong person's rating", by=admin)
    revision = ReviewRevision.objects.get(review=review)
    assert revision.answers == answers
    assert revision.state == ReviewState.SHARED
    assert revision.reason == "Wrong person's rating"
    assert revision.reopened_by == admin
    assert fresh(review).state == ReviewState.REOPENED


def test_reopen_withdraws_the_ratings_and_the_sharing(team):
    review = _shared(team)
    acknowledge(team.participant, by=team.owner)
    reopen(fresh(review), reason="Typo in a rating", by=hr_admin())
    assert not SubmittedRating.objects.filter(review=review).exists()
    participant = Participant.objects.get(pk=team.participant.pk)
    assert participant.shared_at is None
    assert participant.acknowledged_at is None


def test_reopen_needs_a_reason(team):
    review = _shared(team)
    with pytest.raises(ValidationError) as caught:
        reopen(review, reason="  ", by=hr_admin())
    assert "reason" in caught.value.message_dict
    assert fresh(review).state == ReviewState.SHARED


def test_reopen_needs_hr(team):
    review = _shared(team)
    with pytest.raises(NotAllowed):
        reopen(review, reason="Mine", by=team.manager)


def test_an_hr_partner_of_the_department_may_reopen(team):
    review = _submitted_manager_review(team)
    reopen(review, reason="Asked by the manager", by=hr_partner([team.owner.department]))
    assert fresh(review).state == ReviewState.REOPENED


def test_a_reopened_review_is_written_again_and_resubmitted(team):
    review = _submitted_manager_review(team)
    reopen(review, reason="Add the goals", by=hr_admin())
    review = fresh(review)
    save_draft(
        review, answers=full_answers(review, rating=2), version=review.version, by=team.manager
    )
    review = fresh(review)
    assert review.state == ReviewState.REOPENED
    submit(review, version=review.version, by=team.manager)
    assert fresh(review).state == ReviewState.SUBMITTED
    assert SubmittedRating.objects.get(review=review).value == 2


def test_reopening_tells_the_reviewer_and_is_audited_with_the_reason(team):
    review = _submitted_manager_review(team)
    reopen(review, reason="Add the goals", by=hr_admin())
    event = AuditEvent.objects.get(kind="review.reopened")
    assert event.note == "Add the goals"
    assert Notification.objects.filter(person=team.manager, kind="reviews.assigned").exists()


def test_reopen_moves_the_version_on_so_an_old_tab_conflicts(team):
    review = _submitted_manager_review(team)
    before = review.version
    reopen(review, reason="Again", by=hr_admin())
    assert Review.objects.get(pk=review.pk).version == before + 1
