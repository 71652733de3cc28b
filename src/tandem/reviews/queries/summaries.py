"""A person's shared manager reviews as one reader may read them, for features above
reviews that summarise a person (growth's promotion evidence): one query, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tandem.access.rules import scope
from tandem.reviews.models import Relationship, Review, ReviewState

SHARED = (ReviewState.SHARED, ReviewState.ACKNOWLEDGED)


@dataclass(frozen=True)
class ReviewSummary:
    review_id: int
    cycle_name: str
    period_end: date
    shared_at: datetime | None
    overall_score: Decimal | None  # 0–100, the review's overall score
    final_rating: int | None  # the rating of record once calibrated
    final_rating_points: int | None


def shared_reviews_of(reader: Any, person: Any, *, limit: int = 5) -> list[ReviewSummary]:
    """The manager reviews of `person` that were shared with them and that `reader` may
    read (the reviews' own access scope), newest cycle first."""
    rows = (
        scope(reader, Review.objects.filter(reviewee_id=person.pk))
        .filter(relationship=Relationship.MANAGER, state__in=SHARED)
        .select_related("cycle", "participant")
        .order_by("-cycle__period_end", "-pk")[:limit]
    )
    return [
        ReviewSummary(
            review_id=row.pk,
            cycle_name=row.cycle.name,
            period_end=row.cycle.period_end,
            shared_at=row.shared_at,
            overall_score=row.participant.overall_score,
            final_rating=row.participant.final_rating,
            final_rating_points=row.participant.final_rating_points,
        )
        for row in rows
    ]
