"""The progress counters on each participant (reviews per relationship and state, peer
nominations), recounted set-based in SQL.

Every service that changes a review's state or a nomination calls `refresh` in its own
transaction, for the participants it touched (or the whole cycle), so the progress pages
can aggregate the narrow participants table instead of the reviews. The statements are
plain SQL that SQLite (3.35+: UPDATE … FROM, FILTER) and PostgreSQL both run: one UPDATE
that sets each participant's counters from a grouped subquery over reviews and one over
nominations (0 where none are left), touching only the rows whose counts changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from tandem.reviews.models import (
    DONE_STATES,
    Nomination,
    NominationStatus,
    Participant,
    Relationship,
    Review,
    ReviewState,
)

STARTED_STATES = (ReviewState.IN_PROGRESS, ReviewState.REOPENED)
# Keeps each IN list well under SQLite's limit on parameters.
CHUNK = 1000


def review_counters() -> list[str]:
    return [f"{r}_{what}" for r in Relationship.values for what in ("total", "done", "started")]


NOMINATION_COUNTERS = ["peers_approved", "peers_proposed"]


def counters() -> list[str]:
    return [*review_counters(), *NOMINATION_COUNTERS]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _in(column: str, ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _review_columns() -> tuple[list[str], list[Any]]:
    columns: list[str] = []
    params: list[Any] = []
    done = ", ".join(["%s"] * len(DONE_STATES))
    started = ", ".join(["%s"] * len(STARTED_STATES))
    for relationship in Relationship.values:
        columns.append(f"COUNT(*) FILTER (WHERE relationship = %s) AS {relationship}_total")
        params.append(relationship)
        columns.append(
            f"COUNT(*) FILTER (WHERE relationship = %s AND state IN ({done})) "
            f"AS {relationship}_done"
        )
        params += [relationship, *[s.value for s in DONE_STATES]]
        columns.append(
            f"COUNT(*) FILTER (WHERE relationship = %s AND state IN ({started})) "
            f"AS {relationship}_started"
        )
        params += [relationship, *[s.value for s in STARTED_STATES]]
    return columns, params


def _update(cursor: Any, cycle_id: int, ids: Sequence[int] | None) -> None:
    """One UPDATE … FROM: each participant's recount (0 where nothing is left), written only
    where it differs, so every changed row is written once and unchanged rows not at all."""
    participant = _q(Participant._meta.db_table)
    review_columns, review_params = _review_columns()
    in_reviews, review_ids = _in("participant_id", ids)
    in_nominations, nomination_ids = _in("participant_id", ids)
    in_participants, participant_ids = _in("p.id", ids)
    names = counters()
    recount = ", ".join(
        f"COALESCE({'n' if name in NOMINATION_COUNTERS else 'r'}.{name}, 0) AS {name}"
        for name in names
    )
    sets = ", ".join(f"{name} = t.{name}" for name in names)
    changed = " OR ".join(f"{participant}.{name} <> t.{name}" for name in names)
    # Only quoted table names and fixed column names are formatted in; values are parameters.
    sql = f"""
        UPDATE {participant} SET {sets}
        FROM (
            SELECT p.id AS participant_id, {recount}
            FROM {participant} p
            LEFT JOIN (
                SELECT participant_id, {", ".join(review_columns)}
                FROM {_q(Review._meta.db_table)}
                WHERE cycle_id = %s{in_reviews}
                GROUP BY participant_id
            ) r ON r.participant_id = p.id
            LEFT JOIN (
                SELECT participant_id,
                    COUNT(*) FILTER (WHERE status = %s) AS peers_approved,
                    COUNT(*) FILTER (WHERE status = %s) AS peers_proposed
                FROM {_q(Nomination._meta.db_table)}
                WHERE cycle_id = %s{in_nominations}
                GROUP BY participant_id
            ) n ON n.participant_id = p.id
            WHERE p.cycle_id = %s{in_participants}
        ) t
        WHERE {participant}.id = t.participant_id AND ({changed})
    """  # noqa: S608
    params = [
        *review_params,
        cycle_id,
        *review_ids,
        NominationStatus.APPROVED.value,
        NominationStatus.PROPOSED.value,
        cycle_id,
        *nomination_ids,
        cycle_id,
        *participant_ids,
    ]
    cursor.execute(sql, params)


def refresh(*, cycle_id: int, participant_ids: Iterable[int] | None = None) -> None:
    """Recount the counters of these participants of the cycle (all of them when
    `participant_ids` is None). Call it inside the transaction that changed their reviews
    or nominations."""
    if participant_ids is None:
        batches: list[Sequence[int] | None] = [None]
    else:
        ids = sorted(set(participant_ids))
        if not ids:
            return
        batches = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    with connection.cursor() as cursor:
        for batch in batches:
            _update(cursor, cycle_id, batch)


def mismatches(cycle: Any) -> list[int]:
    """Participants of `cycle` whose counters differ from a recount through the ORM (for
    tests and checks)."""
    expected: dict[int, Counter[str]] = {}
    reviews = Review.objects.filter(cycle=cycle).values_list(
        "participant_id", "relationship", "state"
    )
    for participant_id, relationship, state in reviews:
        counts = expected.setdefault(participant_id, Counter())
        counts[f"{relationship}_total"] += 1
        if state in DONE_STATES:
            counts[f"{relationship}_done"] += 1
        if state in STARTED_STATES:
            counts[f"{relationship}_started"] += 1
    nominations = Nomination.objects.filter(cycle=cycle).values_list("participant_id", "status")
    for participant_id, status in nominations:
        counts = expected.setdefault(participant_id, Counter())
        if status == NominationStatus.APPROVED:
            counts["peers_approved"] += 1
        elif status == NominationStatus.PROPOSED:
            counts["peers_proposed"] += 1
    wrong = []
    for row in Participant.objects.filter(cycle=cycle).values("pk", *counters()):
        counts = expected.get(row["pk"], Counter())
        if any(row[name] != counts[name] for name in counters()):
            wrong.append(row["pk"])
    return sorted(wrong)
