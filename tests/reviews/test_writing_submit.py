"""Submitting: required questions named, nothing saved when refused, ratings copied for SQL."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from tandem.audit.models import AuditEvent
from tandem.reviews.models import QuestionKind, ReviewState, SubmittedRating
from tandem.reviews.services.writing import DraftConflict, save_draft, submit
from tests.reviews.writing_helpers import fresh, full_answers, make_team, rating_key, text_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def test_submitting_with_a_required_question_empty_names_it_and_saves_nothing(team):
    review = team.self_review
    save_draft(review, answers={text_key(review): {"comment": "draft"}}, version=0, by=team.owner)
    with pytest.raises(ValidationError) as caught:
        submit(
            fresh(review),
            answers={text_key(review): {"comment": "changed while submitting"}},
            version=1,
            by=team.owner,
        )
    message = caught.value.message_dict[rating_key(review)][0]
    assert message.endswith("this question needs an answer before you submit.")
    assert message.startswith("“Rating with an optional comment?”")
    review = fresh(review)
    assert review.state == ReviewState.IN_PROGRESS
    assert review.version == 1
    assert review.answers[text_key(review)]["comment"] == "draft", "the draft changed"


def test_a_blank_text_answer_does_not_count(team):
    review = team.self_review
    answers = full_answers(review, text="   ")
    with pytest.raises(ValidationError) as caught:
        submit(review, answers=answers, version=0, by=team.owner)
    assert text_key(review) in caught.value.message_dict


def test_submit_moves_the_review_to_submitted_and_keeps_the_answers(team):
    review = team.self_review
    submit(review, answers=full_answers(review), version=0, by=team.owner)
    review = fresh(review)
    assert review.state == ReviewState.SUBMITTED
    assert review.submitted_at is not None
    assert review.answers[rating_key(review)]["rating"] == 4


def test_submit_writes_normalised_ratings(team):
    review = team.self_review
    submit(review, answers=full_answers(review, rating=4), version=0, by=team.owner)
    rating = SubmittedRating.objects.get(review=review)
    assert (rating.value, rating.points, rating.normalised) == (4, 5, Decimal("0.7500"))
    assert rating.question_kind == QuestionKind.RATING
    assert rating.participant_id == team.participant.pk


def test_submit_refreshes_the_participants_score(team):
    review = team.self_review
    with mock.patch("tandem.reviews.scores.refresh_participant") as refresh:
        submit(review, answers=full_answers(review), version=0, by=team.owner)
    refresh.assert_called_once()


def test_submit_is_audited(team):
    review = team.self_review
    submit(review, answers=full_answers(review), version=0, by=team.owner)
    assert AuditEvent.objects.filter(kind="review.submitted", object_id=str(review.pk)).exists()


def test_submit_from_a_stale_version_is_a_conflict(team):
    review = team.self_review
    save_draft(review, answers=full_answers(review), version=0, by=team.owner)
    with pytest.raises(DraftConflict):
        submit(fresh(review), version=0, by=team.owner)
    assert fresh(review).state == ReviewState.IN_PROGRESS


def test_a_submitted_review_cannot_be_submitted_again(team):
    review = team.self_review
    submit(review, answers=full_answers(review), version=0, by=team.owner)
    with pytest.raises(ValidationError) as caught:
        submit(fresh(review), version=1, by=team.owner)
    assert "already submitted" in caught.value.message_dict["state"][0]


def test_competency_questions_need_a_rating_per_item():
    team = make_team(kinds=(QuestionKind.COMPETENCIES,))
    review = team.self_review
    key = review.template_version.content["sections"][0]["questions"][0]["key"]
    with pytest.raises(ValidationError) as caught:
        submit(review, answers={key: {"items": {"c1": {"rating": 3}}}}, version=0, by=team.owner)
    assert key in caught.value.message_dict
    submit(
        fresh(review),
        answers={key: {"items": {"c1": {"rating": 3}, "c2": {"rating": 5}}}},
        version=0,
        by=team.owner,
    )
    assert SubmittedRating.objects.filter(review=review).count() == 2


def test_an_item_not_in_the_question_is_refused():
    team = make_team(kinds=(QuestionKind.COMPETENCIES,))
    review = team.self_review
    key = review.template_version.content["sections"][0]["questions"][0]["key"]
    with pytest.raises(ValidationError) as caught:
        save_draft(
            review, answers={key: {"items": {"c9": {"rating": 3}}}}, version=0, by=team.owner
        )
    assert "no item “c9”" in caught.value.message_dict[key][0]


def test_goal_items_are_the_reviewees_goals_of_the_period():
    from tests.goals.factories import GoalFactory

    team = make_team(kinds=(QuestionKind.GOALS,))
    goal = GoalFactory(owner=team.owner, title="Ship v2")
    other = GoalFactory(title="Someone else's")
    review = team.self_review
    key = review.template_version.content["sections"][0]["questions"][0]["key"]
    with pytest.raises(ValidationError) as caught:
        save_draft(
            review,
            answers={key: {"items": {f"g{other.pk}": {"rating": 3}}}},
            version=0,
            by=team.owner,
        )
    assert "no goal" in caught.value.message_dict[key][0]
    submit(
        fresh(review),
        answers={key: {"items": {f"g{goal.pk}": {"rating": 5}}}},
        version=0,
        by=team.owner,
    )
    assert SubmittedRating.objects.get(review=review).item_key == f"g{goal.pk}"
