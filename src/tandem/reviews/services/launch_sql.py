"""The two big inserts of a launch, as INSERT … SELECT.

Why SQL: at 100,000 people a launch writes ~100k participants and ~400k reviews. Through
`bulk_create` most of the time goes into building model instances and quoting 1.5 million
parameters in Python; INSERT … SELECT lets the database copy the snapshot columns itself,
batch by batch, in a fraction of the time. The statements are plain SQL that SQLite and
PostgreSQL both run, and each skips rows that already exist (ON CONFLICT DO NOTHING on the
unique constraints), so a retried launch completes instead of doubling anything.

The rules for who writes which review are the same as `launch.review_specs` (used for late
joiners); tests check both against the same expectations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import connection

from tandem.org.models import Department, Person, PersonStatus
from tandem.reviews.models import Participant, Relationship, Review, ReviewState


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _empty_json() -> str:
    return "CAST('{}' AS jsonb)" if connection.vendor == "postgresql" else "'{}'"


def insert_participants(cycle_id: int, person_ids: Sequence[int], *, now: datetime) -> None:
    """Snapshot these people into the cycle: title, level, department, manager and path."""
    if not person_ids:
        return
    person, department = _q(Person._meta.db_table), _q(Department._meta.db_table)
    placeholders = ", ".join(["%s"] * len(person_ids))
    # Only quoted table names are formatted in; every value is a parameter.
    sql = f"""
        INSERT INTO {_q(Participant._meta.db_table)}
            (cycle_id, person_id, title, level, department_id, department_name, manager_id,
             manager_name, path, added_at, added_late, removed_reason, acknowledgement_comment,
             score_parts)
        SELECT %s, p.id, p.title, p.level, p.department_id, COALESCE(d.name, ''), p.manager_id,
            TRIM(COALESCE(NULLIF(m.preferred_name, ''), m.first_name, '') || ' ' ||
                 COALESCE(m.last_name, '')),
            p.path, %s, %s, '', '', {_empty_json()}
        FROM {person} p
        LEFT JOIN {department} d ON d.id = p.department_id
        LEFT JOIN {person} m ON m.id = p.manager_id
        WHERE p.id IN ({placeholders})
        ON CONFLICT DO NOTHING
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, now, False, *person_ids])


# Per relationship: (participant reviewed, reviewee, reviewer, the joins and conditions).
# `p` is the batch's participant; `m` its manager now (who is the snapshot manager at launch).
_REVIEWS = {
    Relationship.SELF: ("p.id", "p.person_id", "p.person_id", "", ""),
    Relationship.MANAGER: (
        "p.id",
        "p.person_id",
        "m.id",
        "JOIN {person} m ON m.id = p.manager_id",
        "AND m.status <> %(left)s",
    ),
    # A participant whose manager also takes part writes about that manager.
    Relationship.UPWARD: (
        "up.id",
        "up.person_id",
        "p.person_id",
        "JOIN {participant} up ON up.cycle_id = p.cycle_id AND up.person_id = p.manager_id "
        "AND up.removed_at IS NULL",
        "",
    ),
    Relationship.SKIP_LEVEL: (
        "p.id",
        "p.person_id",
        "s.id",
        "JOIN {person} m ON m.id = p.manager_id JOIN {person} s ON s.id = m.manager_id",
        "AND m.status <> %(left)s AND s.status <> %(left)s AND s.id <> p.person_id",
    ),
}


def insert_reviews(
    cycle_id: int,
    *,
    first: int,
    last: int,
    versions: Mapping[str, int],
    now: datetime,
) -> None:
    """The reviews that follow from participants `first`..`last` (ids) of the cycle, for the
    relationships that take part (`versions`: relationship → frozen version id)."""
    tables = {
        "person": _q(Person._meta.db_table),
        "participant": _q(Participant._meta.db_table),
    }
    review = _q(Review._meta.db_table)
    with connection.cursor() as cursor:
        for relationship, (participant, reviewee, reviewer, joins, where) in _REVIEWS.items():
            if relationship not in versions:
                continue
            sql = f"""
                INSERT INTO {review}
                    (cycle_id, participant_id, reviewee_id, reviewer_id, relationship,
                     template_version_id, state, answers, version, active_seconds, created_at)
                SELECT p.cycle_id, {participant}, {reviewee}, {reviewer}, %(relationship)s,
                    %(version)s, %(state)s, {_empty_json()}, 0, 0, %(now)s
                FROM {tables["participant"]} p {joins.format(**tables)}
                WHERE p.cycle_id = %(cycle)s AND p.id >= %(first)s AND p.id <= %(last)s
                    AND p.removed_at IS NULL {where}
                ON CONFLICT DO NOTHING
            """  # noqa: S608
            cursor.execute(
                sql,
                {
                    "relationship": relationship.value,
                    "version": versions[relationship],
                    "state": ReviewState.NOT_STARTED.value,
                    "now": now,
                    "cycle": cycle_id,
                    "first": first,
                    "last": last,
                    "left": PersonStatus.LEFT.value,
                },
            )
