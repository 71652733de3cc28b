"""Calibration over the API: the sessions of a cycle, a session with its people, moving a
person with a reason, locking. Thin: the rules and the services decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from tandem.access.rules import require
from tandem.calibration import queries, services
from tandem.calibration.models import Session
from tandem.calibration.schemas import (
    ENTRIES_PAGE,
    MAX_ENTRIES_PAGE,
    AdjustIn,
    EntriesPageIn,
    EntryOut,
    SessionDetailOut,
    SessionOut,
)
from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND

router = Router(tags=["calibration"])


def session_out(session: Session, people: int) -> dict[str, Any]:
    return {
        "id": session.pk,
        "cycle_id": session.cycle_id,
        "name": session.name,
        "scope_kind": session.scope_kind,
        "status": session.status,
        "people": people,
        "guideline": session.guideline or {},
        "locked_at": session.locked_at,
    }


def entry_out(row: queries.Row) -> dict[str, Any]:
    return {
        "id": row.entry.pk,
        "participant_id": row.entry.participant_id,
        "person": {"id": row.person_id, "name": row.name},
        "manager_name": row.manager_name,
        "department_name": row.department_name,
        "level": row.level,
        "manager_rating": row.manager_rating,
        "self_score": row.self_score,
        "peer_score": row.peer_score,
        "goals_score": row.goals_score,
        "overall_score": float(row.overall_score) if row.overall_score is not None else None,
        "rating": row.rating,
        "potential": row.potential,
    }


def _detail(
    request: HttpRequest, session: Session, offset: int = 0, limit: int = ENTRIES_PAGE
) -> dict[str, Any]:
    """The session with one page of the people the caller may see: the side-by-side
    figures of a 400-person session are read for the page's people only."""
    points = services.points_of(session)
    rows = queries.rows(request.user, session, points=points, offset=offset, limit=limit)
    total = queries.row_count(request.user, session)
    return {
        **session_out(session, session.entries.count()),
        "points": points,
        "entries": [entry_out(row) for row in rows],
        "total": total,
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if offset + limit < total else None,
    }


@router.get(
    "/calibration/cycles/{cycle_id}/sessions",
    response={200: list[SessionOut], **NOT_FOUND, **ERRORS},
    summary="The calibration sessions of a cycle the caller may see",
)
def list_calibration_sessions(request: HttpRequest, cycle_id: int) -> list[dict[str, Any]]:
    cycle = queries.cycle_for(request.user, min(cycle_id, MAX_ID))
    return [session_out(s, s.people) for s in queries.sessions(request.user, cycle)]  # type: ignore[attr-defined]


@router.get(
    "/calibration/sessions/{session_id}",
    response={200: SessionDetailOut, **NOT_FOUND, **ERRORS},
    summary="A calibration session with the people the caller may see in it, a page at a time",
    description=f"The people come by name, {ENTRIES_PAGE} at a time unless `limit` says "
    f"(at most {MAX_ENTRIES_PAGE}); `total` counts them all and `next_offset` is the next "
    "page's `offset` (null on the last page).",
)
def get_calibration_session(
    request: HttpRequest, session_id: int, page: Query[EntriesPageIn]
) -> dict[str, Any]:
    session = queries.session_for(request.user, min(session_id, MAX_ID))
    return _detail(request, session, page.offset, page.limit)


@router.post(
    "/calibration/entries/{entry_id}/adjust",
    response={200: EntryOut, **NOT_FOUND, **ERRORS},
    summary="Move a person's rating and/or potential, with a reason (HR, facilitators)",
)
def adjust_calibration_entry(
    request: HttpRequest, entry_id: int, payload: AdjustIn
) -> dict[str, Any]:
    entry = queries.entry_for(request.user, min(entry_id, MAX_ID))
    require(request.user, "calibration.entry.adjust", entry)
    services.adjust(
        request.user,
        entry,
        rating=payload.rating,
        potential=payload.potential,
        category=payload.category,
        reason=payload.reason,
    )
    (row,) = queries.rows(request.user, entry.session, entry_id=entry.pk)
    return entry_out(row)


@router.post(
    "/calibration/sessions/{session_id}/lock",
    response={200: SessionDetailOut, **NOT_FOUND, **ERRORS},
    summary="Lock a session: its ratings become the ratings of record (HR, facilitators)",
    description=f"Answers the locked session with the first {ENTRIES_PAGE} of its people; "
    "read the others with GET and `offset`.",
)
def lock_calibration_session(request: HttpRequest, session_id: int) -> dict[str, Any]:
    session = queries.session_for(request.user, min(session_id, MAX_ID))
    require(request.user, "calibration.session.decide", session)
    locked = services.lock(request.user, session)
    return _detail(request, locked)
