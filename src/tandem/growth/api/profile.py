"""Growth API: a person's competency profile."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.core.api import ERRORS, NOT_FOUND
from tandem.growth.queries import profile as queries
from tandem.growth.schemas_profile import CompetencyProfileOut

router = Router(tags=["growth"])


def placement_out(page: queries.ProfilePage) -> dict[str, Any] | None:
    placement = page.placement
    if placement is None:
        return None
    return {
        "track": placement.track.key,
        "track_name": placement.track.name,
        "level": placement.level.code,
        "level_title": placement.level.title,
        "since": placement.since,
    }


def profile_out(page: queries.ProfilePage) -> dict[str, Any]:
    return {
        "person_id": page.person.pk,
        "person_name": page.person.display_name,
        "placement": placement_out(page),
        "scale": [
            {"value": int(point.get("value", 0)), "label": str(point.get("label", ""))}
            for point in page.scale
        ],
        "peer_minimum": page.peer_minimum,
        "competencies": [asdict(row) for row in page.rows],
    }


@router.get(
    "/growth/people/{person_id}/profile",
    response={200: CompetencyProfileOut, **NOT_FOUND, **ERRORS},
    summary="A person's competency profile: expectations, latest ratings and gaps",
)
def get_competency_profile(request: HttpRequest, person_id: int) -> dict[str, Any]:
    """The person, their managers and HR admins; anyone else is answered 404."""
    person = queries.person_for(request.user, person_id)
    return profile_out(queries.profile_page(request.user, person))
