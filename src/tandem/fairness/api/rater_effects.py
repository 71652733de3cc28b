"""GET /reviews/cycles/{cycle_id}/rater-effects: each rater's leniency in a cycle (HR admins).

Thin: look the cycle up, make sure its estimate is current or on its way
(`services.rater_effects.refresh`), read it (`queries.rater_effects.for_cycle`), shape it.
The shapes live here rather than in a `schemas` module: this endpoint is their only user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from tandem.core import pagination
from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND
from tandem.fairness.queries import rater_effects as queries
from tandem.fairness.services import rater_effects as services
from tandem.reviews.queries import progress as cycle_queries

router = Router(tags=["fairness"])


class RaterRef(Schema):
    id: int
    employee_id: str | None
    name: str


class RaterEffectOut(Schema):
    reviewer: RaterRef
    relationship: str = Field(description="manager, skip_level, peer, upward or self")
    ratings: int = Field(description="How many of the cycle's reviews this rater submitted")
    leniency: float = Field(
        description="In rating points: positive = rates higher than the same people's other "
        "raters (lenient), negative = severe"
    )
    low: float = Field(description="Lower end of the 95% interval of `leniency`")
    high: float = Field(description="Upper end of the 95% interval of `leniency`")


class RaterEffectsOut(Schema):
    status: Literal["ready", "computing", "failed", "no ratings"] = Field(
        description="`computing`: a new estimate is being computed in the background (ask "
        "again shortly); `items` then holds the last estimate, if any"
    )
    computed_at: datetime | None
    min_ratings: int = Field(description="Raters with fewer ratings than this are not listed")
    items: list[RaterEffectOut]
    next_cursor: str | None


class RaterEffectsFilters(Schema):
    cursor: str | None = Field(None, max_length=400, description="next_cursor of the last page")
    limit: int = Field(100, ge=1, le=500)


def _after(cursor: str | None) -> tuple[str, int] | None:
    if not cursor:
        return None
    try:
        return pagination.decode_text_cursor(cursor, max_length=20)
    except pagination.BadCursor as bad:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(bad)}]
        ) from None


@router.get(
    "/reviews/cycles/{cycle_id}/rater-effects",
    response={200: RaterEffectsOut, **NOT_FOUND, **ERRORS},
    summary="Each rater's leniency in a cycle, with its interval (HR admins)",
)
def get_cycle_rater_effects(
    request: HttpRequest, cycle_id: int, filters: Query[RaterEffectsFilters]
) -> dict[str, Any]:
    """Leniency of each rater per relationship from a model of crossed ratee and rater
    effects fitted on every rating of the cycle, ordered by relationship (manager first)
    then reviewer id. A statistical aid for calibration, not a decision."""
    after = _after(filters.cursor)
    cycle = cycle_queries.cycle_for(request.user, min(cycle_id, MAX_ID))
    current = services.refresh(by=request.user, cycle=cycle)
    effects = queries.for_cycle(
        request.user,
        cycle,
        after=after,
        limit=filters.limit,
        with_adjusted=False,
        current=current,
    )
    following = None
    if effects.has_more and effects.raters:
        last = effects.raters[-1]
        following = pagination.encode_cursor(last.relationship, last.reviewer_id)
    return {
        "status": effects.status,
        "computed_at": effects.computed_at,
        "min_ratings": effects.min_ratings,
        "items": [
            {
                "reviewer": {"id": r.reviewer_id, "employee_id": r.employee_id, "name": r.name},
                "relationship": r.relationship,
                "ratings": r.ratings,
                "leniency": r.leniency,
                "low": r.low,
                "high": r.high,
            }
            for r in effects.raters
        ],
        "next_cursor": following,
    }
