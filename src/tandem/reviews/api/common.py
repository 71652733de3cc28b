"""Pieces shared by the reviews API modules: lookups through the access scope, page
cursors, and the shapes of participants and nominations."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja.errors import ValidationError

from tandem.access.rules import NotAllowed, actor_for, can, scope
from tandem.core import anonymity as core_anonymity
from tandem.core import pagination
from tandem.core.api import ERRORS, MAX_ID, ErrorOut
from tandem.org.models import Person
from tandem.program.models import Program
from tandem.reviews import rules
from tandem.reviews.models import (
    DONE_STATES,
    Cycle,
    Nomination,
    NominationStatus,
    Participant,
    Relationship,
    Review,
)
from tandem.reviews.queries import anonymous
from tandem.reviews.queries import nominations as nomination_queries

NOT_FOUND: dict[int, Any] = {404: ErrorOut, **ERRORS}


def caller(request: HttpRequest) -> Person:
    actor = actor_for(request.user)
    if actor is None:
        raise NotAllowed("not signed in")
    return actor.person


def bad_query(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


def after_id(cursor: str | None) -> int | None:
    """The id a page continues after; ids travel as plain digits."""
    if not cursor:
        return None
    if not cursor.isdigit() or not 0 < int(cursor) <= MAX_ID:
        raise bad_query("cursor", pagination.INVALID)
    return int(cursor)


def id_page(rows: list[Any], limit: int) -> tuple[list[Any], str | None]:
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, str(rows[-1].pk)


def person_ref(person: Person | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.pk, "display_name": person.display_name}


def cycle_for(request: HttpRequest, cycle_id: int) -> Cycle:
    cycle = (
        scope(request.user, Cycle.objects.all())
        .prefetch_related("phases")
        .filter(pk=min(cycle_id, MAX_ID))
        .first()
    )
    if cycle is None or not can(request.user, "cycle.view", cycle):
        raise NotAllowed("cycle.view denied")
    return cycle


# --- Participants and nominations -----------------------------------------------------------


def _review_counts(
    participant_ids: list[int],
) -> tuple[dict[int, list[dict[str, Any]]], dict[tuple[int, str], anonymous.Counts]]:
    """{participant id: [{relationship, state, count}]} for a page, and per (participant,
    relationship) the done answers in all and before today (for anonymous groups): one
    query."""
    counts: dict[int, list[dict[str, Any]]] = defaultdict(list)
    done: dict[tuple[int, str], anonymous.Counts] = defaultdict(anonymous.Counts)
    if not participant_ids:
        return counts, done
    cutoff = core_anonymity.counted_before()
    rows = (
        Review.objects.filter(participant_id__in=participant_ids)
        .values_list("participant_id", "relationship", "state")
        .annotate(n=Count("pk"), early=Count("pk", filter=Q(submitted_at__lt=cutoff)))
        .order_by("participant_id", "relationship", "state")
    )
    for participant_id, relationship, state, n, early in rows:
        counts[participant_id].append({"relationship": relationship, "state": state, "count": n})
        if state in DONE_STATES:
            tally = done[(participant_id, relationship)]
            tally.done += n
            tally.before_today += early
    return counts, done


def anonymous_status_out(group: anonymous.GroupView) -> dict[str, Any]:
    return {
        "relationship": group.relationship,
        "label": group.label,
        "status": group.status,
        "status_text": group.text,
        "minimum": group.minimum,
        "answered": group.answered,
    }


def _anonymous_out(
    user: Any,
    participant: Participant,
    present: set[str],
    done: dict[tuple[int, str], anonymous.Counts],
) -> list[dict[str, Any]]:
    out = []
    for channel in anonymous.readable_channels(user, participant):
        if channel not in present:
            continue
        counts = done.get((participant.pk, channel), anonymous.Counts())
        program = rules.program_for(actor_for(user))
        status, minimum, answered = anonymous.status_of(channel, participant, counts, program)
        group = anonymous.GroupView(
            relationship=channel,
            label=anonymous.LABELS[Relationship(channel)],
            status=status,
            minimum=minimum,
            answered=answered,
        )
        out.append(anonymous_status_out(group))
    return out


def _shows_calibration_once() -> Any:
    """The program's switch, read at most once per call of `participants_out`."""
    found: list[bool] = []

    def shows() -> bool:
        if not found:
            found.append(Program.current().calibration_shown_to_employee)
        return found[0]

    return shows


def _participant_out(
    user: Any,
    participant: Participant,
    counts: list[dict[str, Any]],
    *,
    hr_admin: bool,
    groups: list[dict[str, Any]],
    shows_calibration: Any = None,
) -> dict[str, Any]:
    shows_calibration = shows_calibration or _shows_calibration_once()
    me = actor_for(user)
    own = me is not None and participant.person_id == me.person.pk
    sees_score = not own or participant.shared_at is not None
    # Who may know that calibration changed the rating, and from what: HR and the managers
    # (the only others who read a participant), the person only when the program says so.
    sees_change = sees_score and (not own or shows_calibration())
    department = (
        {"id": participant.department_id, "name": participant.department_name}
        if participant.department_id or participant.department_name
        else None
    )
    manager = (
        {"id": participant.manager_id, "display_name": participant.manager_name}
        if participant.manager_id or participant.manager_name
        else None
    )
    return {
        "id": participant.pk,
        "cycle_id": participant.cycle_id,
        "person": person_ref(participant.person),
        "title": participant.title,
        "level": participant.level,
        "department": department,
        "manager": manager,
        "added_late": participant.added_late,
        "removed_at": participant.removed_at,
        "removed_reason": participant.removed_reason if hr_admin else None,
        "shared_at": participant.shared_at,
        "acknowledged_at": participant.acknowledged_at,
        "acknowledgement_comment": participant.acknowledgement_comment,
        "overall_score": participant.overall_score if sees_score else None,
        "score_parts": participant.score_parts if sees_score else None,
        "calibration_state": participant.calibration_state if not own or sees_change else "",
        "final_rating": participant.final_rating if sees_score else None,
        "final_rating_points": participant.final_rating_points if sees_score else None,
        "calibrated_from": participant.calibrated_from if sees_change else None,
        "calibration_reason": participant.calibration_reason if sees_change else None,
        "reviews": counts,
        "anonymous": groups,
    }


def participants_out(
    user: Any, rows: list[Participant], *, cycle: Cycle | None = None
) -> list[dict[str, Any]]:
    """The participants with their review counts — never per-writer states of a kind of
    review whose writers are anonymous to `user`: those come as an anonymous status. A
    fixed few queries for the page: the counts, and (when `cycle`, with its phases, is not
    given) the cycles with their phases; the program once per request when needed."""
    actor = actor_for(user)
    counts, done = _review_counts([p.pk for p in rows])
    if cycle is not None:
        by_id = {cycle.pk: cycle}
    else:
        ids = {p.cycle_id for p in rows}
        by_id = (
            {c.pk: c for c in Cycle.objects.filter(pk__in=ids).prefetch_related("phases")}
            if rows
            else {}
        )
    for participant in rows:
        participant.cycle = by_id[participant.cycle_id]
    hr_admin = can(user, "reviews.manage")
    shows_calibration = _shows_calibration_once()
    out = []
    for p in rows:
        hidden = rules.hidden_channels(actor, p) if actor is not None else set(Relationship)
        mine = counts.get(p.pk, [])
        known = [c for c in mine if c["relationship"] not in hidden]
        present = {c["relationship"] for c in mine}
        groups = _anonymous_out(user, p, present, done)
        out.append(
            _participant_out(
                user,
                p,
                known,
                hr_admin=hr_admin,
                groups=groups,
                shows_calibration=shows_calibration,
            )
        )
    return out


def participant_for(request: HttpRequest, participant_id: int) -> Participant:
    participant = (
        scope(request.user, Participant.objects.all())
        .select_related("person", "cycle", "department", "framework_snapshot")
        .filter(pk=min(participant_id, MAX_ID))
        .first()
    )
    if (
        participant is None
        or not can(request.user, "participant.view", participant)
        or not can(request.user, "cycle.view", participant.cycle)
    ):
        raise NotAllowed("participant.view denied")
    return participant


def nominations_page(
    request: HttpRequest, cycle: Cycle, nominations: QuerySet[Nomination], filters: Any
) -> dict[str, Any]:
    if filters.status:
        nominations = nominations.filter(status=filters.status)
    if filters.peer is not None:
        nominations = nominations.filter(peer_id=filters.peer)
    after = after_id(filters.cursor)
    if after is not None:
        nominations = nominations.filter(pk__gt=after)
    rows = list(
        nominations.select_related(
            "participant__person",
            "participant__department",
            "cycle",
            "peer",
            "nominated_by",
            "decided_by",
        ).order_by("pk")[: filters.limit + 1]
    )
    rows, following = id_page(rows, filters.limit)
    loads = nomination_queries.peer_load(cycle, {n.peer_id for n in rows})
    user = request.user
    me = caller(request)
    return {
        "items": [
            {
                "id": n.pk,
                "cycle_id": n.cycle_id,
                "participant_id": n.participant_id,
                "reviewee": person_ref(n.participant.person),
                "peer": person_ref(n.peer),
                "status": n.status,
                "status_label": NominationStatus(n.status).label,
                "peer_load": loads.get(n.peer_id, 0),
                "nominated_by": person_ref(n.nominated_by),
                "decided_by": person_ref(n.decided_by),
                "decided_at": n.decided_at,
                "decline_reason": n.decline_reason
                if n.peer_id == me.pk or can(user, "nomination.approve", n.participant)
                else None,
                "created_at": n.created_at,
            }
            for n in rows
        ],
        "next_cursor": following,
    }
