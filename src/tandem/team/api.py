"""The team hub over the API: the same figures and flags as /team/. Thin: parse, ask
queries, shape the answer."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from tandem.access.rules import require
from tandem.core.api import ERRORS, MAX_ID, ErrorOut
from tandem.team import queries
from tandem.team.schemas import TeamPageOut, TeamPersonOut

router = Router(tags=["team"])


class TeamFilters(Schema):
    manager: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Whose team (default: yours). HR and managers above them may name another "
        "manager; anyone else is answered 404.",
    )
    subtree: bool = Field(False, description="Everyone below the manager, not only direct reports")
    sort: Literal["flags", "name"] = Field(
        "flags",
        description="flags: the most flagged first across the whole team (then by name); "
        "name: in name order",
    )
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")


def row_out(row: queries.Row) -> dict[str, Any]:
    person, goals, feedback, meetings = row.person, row.goals, row.feedback, row.meetings
    review = row.review
    return {
        "person_id": person.pk,
        "display_name": person.display_name,
        "title": person.title,
        "manager_id": person.manager_id,
        "start_date": person.start_date,
        "goals": {
            "count": goals.count,
            "average_progress": goals.average_progress,
            "off_track": goals.off_track,
            "at_risk": goals.at_risk,
            "last_checkin_at": goals.last_checkin_at,
            "without_checkin_3_weeks": goals.stale,
        },
        "feedback": {
            "received_30_days": feedback.received_30,
            "received_90_days": feedback.received_90,
            "given_30_days": feedback.given_30,
            "given_90_days": feedback.given_90,
        },
        "one_on_ones": {
            "visible": meetings.known,
            "series_id": meetings.series_id if meetings.known else None,
            "last_held_at": meetings.last_held_at if meetings.known else None,
            "next_at": meetings.next_at if meetings.known else None,
            "open_action_items": meetings.open_actions if meetings.known else 0,
        },
        "review": None
        if review is None
        else {
            "cycle_id": review.cycle_id,
            "cycle_name": review.cycle_name,
            "state": review.state,
            "due_on": review.due_on,
            "overdue": review.overdue,
        },
        "flags": [{"key": f.key, "reason": f.reason} for f in row.flags],
    }


@router.get(
    "/team/",
    response={200: TeamPageOut, 404: ErrorOut, **ERRORS},
    summary="A manager's team with figures and flags, most flagged first or by name (50 a page)",
)
def team(request: HttpRequest, filters: Query[TeamFilters]) -> dict[str, Any]:
    if filters.manager is None:
        require(request.user, "team.view")
    manager = queries.manager_for(request.user, filters.manager)
    try:
        page = queries.hub_page(
            request.user,
            manager=manager,
            subtree=filters.subtree,
            cursor=filters.cursor,
            sort=filters.sort,
        )
    except queries.BadCursor as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    return {
        "period": page.period.name if page.period else None,
        "sort": page.sort,
        "items": [row_out(row) for row in page.rows],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/team/{person_id}",
    response={200: TeamPersonOut, 404: ErrorOut, **ERRORS},
    summary="One person's hub figures, flags and the last 90 days",
)
def team_person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = queries.person_for(request.user, person_id)
    detail = queries.person_detail(request.user, person)
    return {
        **row_out(detail.row),
        "timeline": [{"at": e.at, "kind": e.kind, "text": e.text} for e in detail.timeline],
    }
