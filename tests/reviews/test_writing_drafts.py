"""Saving drafts: merged per question, versioned, within the phase, by the reviewer only;
bad input names the question and leaves the draft as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tandem.access.rules import NotAllowed
from tandem.audit.models import AuditEvent
from tandem.reviews.models import PhaseKind, ReviewState
from tandem.reviews.services.writing import ACTIVE_SECONDS_PER_SAVE, DraftConflict, save_draft
from tests.reviews.factories import close_phase
from tests.reviews.writing_helpers import fresh, make_team, rating_key, text_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def _saved_draft(team):
    review = team.self_review
    save_draft(
        review,
        answers={rating_key(review): {"rating": 3, "comment": "First."}},
        version=0,
        by=team.owner,
    )
    return fresh(review)


def test_the_first_save_starts_the_review_and_bumps_the_version(team):
    review = _saved_draft(team)
    assert review.state == ReviewState.IN_PROGRESS
    assert review.version == 1
    assert review.started_at is not None
    assert review.answers[rating_key(review)] == {"rating": 3, "comment": "First."}


def test_a_save_merges_question_by_question(team):
    review = _saved_draft(team)
    save_draft(review, answers={text_key(review): {"comment": "More."}}, version=1, by=team.owner)
    review = fresh(review)
    assert review.answers[rating_key(review)]["rating"] == 3
    assert review.answers[text_key(review)]["comment"] == "More."


def test_only_the_first_save_is_audited(team):
    review = _saved_draft(team)
    save_draft(review, answers={text_key(review): {"comment": "x"}}, version=1, by=team.owner)
    kinds = list(AuditEvent.objects.filter(object_id=str(review.pk)).values_list("kind", flat=True))
    assert kinds == ["review.started"]


def test_active_seconds_per_save_are_capped(team):
    review = team.self_review
    save_draft(review, answers={}, version=0, by=team.owner, active_seconds=40)
    save_draft(review, answers={}, version=1, by=team.owner, active_seconds=10_000)
    assert fresh(review).active_seconds == 40 + ACTIVE_SECONDS_PER_SAVE


def test_someone_other_than_the_reviewer_cannot_save(team):
    with pytest.raises(NotAllowed):
        save_draft(team.self_review, answers={}, version=0, by=team.manager)


def _assert_refused(team, answers, field, fragment):
    review = _saved_draft(team)
    before = (review.answers, review.version)
    with pytest.raises(ValidationError) as caught:
        save_draft(review, answers=answers, version=1, by=team.owner)
    assert field in caught.value.message_dict
    assert fragment in caught.value.message_dict[field][0]
    review = fresh(review)
    assert (review.answers, review.version) == before, "the draft changed"


def test_a_rating_outside_the_scale_names_the_question(team):
    key = rating_key(team.self_review)
    _assert_refused(team, {key: {"rating": 6}}, key, "choose a rating from 1 to 5")


def test_a_rating_that_is_not_a_number_names_the_question(team):
    key = rating_key(team.self_review)
    _assert_refused(team, {key: {"rating": "lots"}}, key, "choose a rating from 1 to 5")


def test_a_rating_on_a_text_question_is_refused(team):
    key = text_key(team.self_review)
    _assert_refused(team, {key: {"rating": 3}}, key, "takes no rating")


def test_an_answer_to_a_question_not_in_the_template_is_refused(team):
    _assert_refused(team, {"q99": {"comment": "?"}}, "answers", "There is no question “q99”")


def test_a_comment_over_ten_thousand_characters_is_refused(team):
    key = text_key(team.self_review)
    _assert_refused(team, {key: {"comment": "x" * 10_001}}, key, "10,000 characters")


def test_answers_of_the_wrong_type_are_refused_with_a_message(team):
    _assert_refused(team, ["not", "an", "object"], "answers", "object keyed by question")


def test_a_comment_of_the_wrong_type_is_refused_with_a_message(team):
    key = text_key(team.self_review)
    _assert_refused(team, {key: {"comment": 12}}, key, "must be text")


def test_a_version_that_is_not_a_number_is_refused(team):
    with pytest.raises(ValidationError) as caught:
        save_draft(team.self_review, answers={}, version="abc", by=team.owner)
    assert "version" in caught.value.message_dict


def test_writing_after_the_phase_closed_is_refused_and_changes_nothing(team):
    review = _saved_draft(team)
    close_phase(team.cycle, PhaseKind.SELF)
    review = fresh(review)
    with pytest.raises(ValidationError) as caught:
        save_draft(
            review, answers={text_key(review): {"comment": "late"}}, version=1, by=team.owner
        )
    assert "closed on" in caught.value.message_dict["answers"][0]
    assert text_key(review) not in fresh(review).answers


def test_a_submitted_review_cannot_be_saved(team):
    review = team.self_review
    type(review).objects.filter(pk=review.pk).update(state=ReviewState.SUBMITTED)
    with pytest.raises(ValidationError) as caught:
        save_draft(fresh(review), answers={}, version=0, by=team.owner)
    assert "state" in caught.value.message_dict


def test_a_removed_participant_cannot_be_reviewed(team):
    from django.utils import timezone

    team.participant.removed_at = timezone.now()
    team.participant.save(update_fields=["removed_at"])
    with pytest.raises(ValidationError) as caught:
        save_draft(team.self_review, answers={}, version=0, by=team.owner)
    assert "removed" in caught.value.message_dict["answers"][0]


def test_a_stale_version_is_a_conflict_that_changes_nothing(team):
    review = _saved_draft(team)
    with pytest.raises(DraftConflict) as caught:
        save_draft(
            review, answers={text_key(review): {"comment": "old tab"}}, version=0, by=team.owner
        )
    assert "Someone else saved this review" in caught.value.message_dict["version"][0]
    review = fresh(review)
    assert review.version == 1
    assert text_key(review) not in review.answers
