"""Helpers for the running area's tests: submitting a review the way the writing service
will (answers, state, `SubmittedRating` rows, the stored manager rating), without depending
on that service."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from tandem.reviews import versions
from tandem.reviews.models import Review, ReviewState, SubmittedRating
from tandem.reviews.services import stored_ratings


def rating_answer(rating: int | None, comment: str = "") -> dict[str, Any]:
    return {"rating": rating, "comment": comment, "items": {}}


def submit(
    review: Review,
    ratings: dict[str, int] | None = None,
    *,
    items: dict[str, dict[str, int]] | None = None,
    comments: dict[str, str] | None = None,
    state: str = ReviewState.SUBMITTED,
) -> Review:
    """Submit `review` with `ratings` ({question key: value}), item ratings ({question key:
    {item key: value}}) and comments; writes the SubmittedRating rows."""
    ratings, items, comments = ratings or {}, items or {}, comments or {}
    content = review.template_version.content
    by_key = versions.question_map(content)
    answers: dict[str, Any] = {}
    rows = []
    for key in {*ratings, *items, *comments}:
        question = by_key[key]
        points = versions.points_of(question)
        answer = rating_answer(ratings.get(key), comments.get(key, ""))
        for item_key, value in items.get(key, {}).items():
            answer["items"][item_key] = {"rating": value, "comment": ""}
        answers[key] = answer
        values = [("", ratings[key])] if key in ratings else []
        values += list(items.get(key, {}).items())
        for item_key, value in values:
            rows.append(
                SubmittedRating(
                    review=review,
                    cycle_id=review.cycle_id,
                    participant_id=review.participant_id,
                    relationship=review.relationship,
                    question_key=key,
                    question_kind=question["kind"],
                    item_key=item_key,
                    value=value,
                    points=points,
                    normalised=(Decimal(value - 1) / Decimal(points - 1)).quantize(
                        Decimal("0.0001")
                    ),
                )
            )
    review.answers = answers
    review.state = state
    review.submitted_at = timezone.now()
    review.save(update_fields=["answers", "state", "submitted_at"])
    SubmittedRating.objects.bulk_create(rows)
    stored_ratings.ratings_changed(review.cycle_id, [review.participant_id])
    return review
