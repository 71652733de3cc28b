"""A person's last review outcome as a reader may see it, for "where do I stand" (growth):
the latest manager review about them that the reader may read (the person reads it once
shared), its rating of record and what the cycle's results are used for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from tandem.access.rules import scope
from tandem.reviews import purpose
from tandem.reviews.models import DONE_STATES, Relationship, Review
from tandem.reviews.queries.writing import rating_of_record


@dataclass(frozen=True)
class LastReview:
    cycle_name: str
    period_start: Any
    period_end: Any
    shared_at: datetime | None
    rating: str  # the rating of record's label, "" when the review has none
    calibrated: bool
    change_sentence: str
    used_for: str
    url: str


def last_review(user: Any, person: Any, *, program: Any = None) -> LastReview | None:
    """The newest manager review about `person` that `user` may read, finished (four
    queries, however many cycles)."""
    review = (
        scope(
            user,
            Review.objects.filter(
                reviewee_id=person.pk,
                relationship=Relationship.MANAGER,
                state__in=DONE_STATES,
            ),
        )
        .select_related("cycle", "participant", "template_version")
        .order_by("-cycle__period_end", "-cycle_id", "-pk")
        .first()
    )
    if review is None:
        return None
    record = rating_of_record(user, review.participant, [review])
    return LastReview(
        cycle_name=review.cycle.name,
        period_start=review.cycle.period_start,
        period_end=review.cycle.period_end,
        shared_at=review.shared_at,
        rating=record.label if record else "",
        calibrated=bool(record and record.calibrated),
        change_sentence=record.change_sentence if record else "",
        used_for=purpose.used_for(review.cycle, program=program),
        url=reverse("reviews:review", args=[review.pk]),
    )
