"""Growth API: "where do I stand", the caller's own."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.core.api import ERRORS
from tandem.growth.api.profile import profile_out
from tandem.growth.queries.standing import standing
from tandem.growth.schemas_profile import StandingOut

router = Router(tags=["growth"])


@router.get(
    "/growth/me",
    response={200: StandingOut, **ERRORS},
    summary="Where I stand: my level, competencies, goals, feedback, last review and plan",
)
def get_my_standing(request: HttpRequest) -> dict[str, Any]:
    """The caller's own data only; the same as the /me/growth/ page."""
    data = standing(request.user)
    review = asdict(data.last_review) if data.last_review else None
    return {
        "profile": profile_out(data.profile),
        "level_summary": data.level_summary,
        "level_scope": data.level_scope,
        "months_at_level": data.months_at_level,
        "goals": [asdict(period) for period in data.goals],
        "feedback_received": data.feedback_received,
        "praise_received": data.praise_received,
        "themes": [asdict(theme) for theme in data.themes],
        "last_review": review,
        "plan": asdict(data.plan) if data.plan else None,
        "promotions": data.promotions,
        "development_plans": data.plans_sentence,
    }
