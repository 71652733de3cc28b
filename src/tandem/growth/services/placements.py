"""Placing people on a track and level, and their level history.

Two ways in: HR places one person by hand (`place`), or maps a level label of the people
import (`Person.level`, e.g. "Senior Engineer II") onto a framework level, which places
everyone carrying that label at once (`map_label`, in a few SQL statements whatever the
company's size). A label that is exactly a level code of one track ("IC3") needs no
mapping (`place_by_labels`). Every placement writes a `LevelChange`, so the history says
when and why each person's level changed; promotions write theirs through `apply_level`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.validation import clean_text
from tandem.growth.models import (
    Level,
    LevelAlias,
    LevelChange,
    LevelChangeSource,
    Placement,
    PromotionCase,
)
from tandem.growth.queries.placements import resolve_labels
from tandem.org.models import Person, PersonStatus

MANAGE = "growth.placement.manage"


def apply_level(
    *,
    person: Any,
    level: Level,
    effective_on: date,
    source: str,
    by: Any = None,
    reason: str = "",
    promotion_case: PromotionCase | None = None,
) -> Placement:
    """Put `person` on `level` from `effective_on`, with a history step. No permission check:
    for services that made theirs (a promotion decision). Call inside their transaction."""
    placement = Placement.objects.select_for_update().filter(person=person).first()
    from_level_id = placement.level_id if placement is not None else None
    LevelChange.objects.create(
        person=person,
        from_level_id=from_level_id,
        to_level=level,
        effective_on=effective_on,
        source=source,
        reason=reason,
        promotion_case=promotion_case,
        created_by=by if getattr(by, "pk", None) else None,
    )
    if placement is None:
        return Placement.objects.create(
            person=person, track_id=level.track_id, level=level, since=effective_on
        )
    placement.track_id, placement.level, placement.since = level.track_id, level, effective_on
    placement.save()
    return placement


@transaction.atomic
def place(
    *,
    by: Any,
    person: Person,
    level: Level,
    since: date | None = None,
    reason: str = "",
) -> Placement:
    """HR places one person on a level by hand."""
    require(by, MANAGE, person)
    reason = clean_text(reason, field="reason", label="The reason", limit=2000, required=False)
    since = since or timezone.localdate()
    if person.start_date and since < person.start_date:
        raise ValidationError(
            {
                "since": f"{person} started on {person.start_date:%-d %B %Y}: the date cannot "
                "be before it."
            }
        )
    current = Placement.objects.filter(person=person).first()
    if current is not None and current.level_id == level.pk and current.since == since:
        return current
    placement = apply_level(
        person=person,
        level=level,
        effective_on=since,
        source=LevelChangeSource.PLACEMENT,
        by=by,
        reason=reason,
    )
    record(
        actor=by,
        kind="growth.placement.set",
        obj=placement,
        subject=person,
        object_label=f"{person}",
        changes={
            "level": [str(current.level) if current else "", str(level)],
            "track": level.track.key,
            "since": since,
        },
    )
    return placement


# --- In bulk, by level label -------------------------------------------------------------


def place_label(
    label: str, level: Level, *, by: Any, move_placed: bool, today: date | None = None
) -> int:
    """Place everyone (not left) whose level label is `label` on `level`: those without a
    placement, and when `move_placed` those placed elsewhere. Three statements whatever the
    number of people; no permission check (for `map_label`, `place_by_labels` and the demo).
    Returns how many people were placed or moved."""
    ops = connection.ops
    today = today or timezone.localdate()
    now = ops.adapt_datetimefield_value(timezone.now())
    today_db = ops.adapt_datefield_value(today)
    person = Person._meta.db_table
    placement = Placement._meta.db_table
    change = LevelChange._meta.db_table
    by_id = by.pk if getattr(by, "pk", None) else None
    who = "p.level = %s AND p.status <> %s"
    moved_filter = "(pl.id IS NULL OR pl.level_id <> %s)" if move_placed else "pl.id IS NULL"
    moved_params: list[Any] = [level.pk] if move_placed else []
    # Table names come from the models; every value is a bound parameter.
    history = (
        f"INSERT INTO {change} (person_id, from_level_id, to_level_id, effective_on, "  # noqa: S608
        "source, reason, created_at, created_by_id, promotion_case_id) "
        "SELECT p.id, pl.level_id, %s, "
        "CASE WHEN pl.id IS NULL THEN COALESCE(p.start_date, %s) ELSE %s END, "
        f"%s, %s, %s, %s, NULL FROM {person} p "
        f"LEFT JOIN {placement} pl ON pl.person_id = p.id WHERE {who} AND {moved_filter}"
    )
    move = (
        f"UPDATE {placement} SET level_id = %s, track_id = %s, since = %s, "  # noqa: S608
        f"updated_at = %s WHERE level_id <> %s "
        f"AND person_id IN (SELECT p.id FROM {person} p WHERE {who})"
    )
    insert = (
        f"INSERT INTO {placement} (person_id, track_id, level_id, since, updated_at) "  # noqa: S608
        f"SELECT p.id, %s, %s, COALESCE(p.start_date, %s), %s FROM {person} p "
        f"WHERE {who} AND NOT EXISTS (SELECT 1 FROM {placement} pl WHERE pl.person_id = p.id)"
    )
    left = PersonStatus.LEFT.value
    reason = f"Level label “{label}” in the people import"
    with connection.cursor() as cursor:
        cursor.execute(
            history,
            [
                level.pk,
                today_db,
                today_db,
                LevelChangeSource.IMPORT.value,
                reason,
                now,
                by_id,
                label,
                left,
                *moved_params,
            ],
        )
        count = cursor.rowcount
        if move_placed:
            cursor.execute(move, [level.pk, level.track_id, today_db, now, level.pk, label, left])
        cursor.execute(insert, [level.track_id, level.pk, today_db, now, label, left])
    return max(count, 0)


@transaction.atomic
def map_label(*, by: Any, label: str, level: Level) -> int:
    """Map a level label of the people import onto `level` (remembered for later imports)
    and place everyone carrying it there, moving those placed elsewhere. Returns how many
    people were placed or moved."""
    require(by, MANAGE)
    label = clean_text(label, field="label", label="The level label", limit=50)
    if (
        not Person.objects.filter(level=label).exists()
        and not LevelAlias.objects.filter(label=label).exists()
    ):
        raise ValidationError({"label": f"Nobody carries the level label “{label}”."})
    alias, created = LevelAlias.objects.get_or_create(label=label, defaults={"level": level})
    before = "" if created else str(alias.level)
    if not created and alias.level_id != level.pk:
        alias.level = level
        alias.save(update_fields=["level"])
    moved = place_label(label, level, by=by, move_placed=True)
    record(
        actor=by,
        kind="growth.level_label.map",
        obj=alias,
        changes={"label": label, "level": [before, str(level)], "people placed": moved},
    )
    return moved


def place_by_labels(*, by: Any) -> int:
    """Place every person not yet placed whose level label is mapped, or is the code of
    exactly one level. Nobody already placed moves. Returns how many were placed."""
    require(by, MANAGE)
    return place_imported(by=by)


@transaction.atomic
def place_imported(*, by: Any) -> int:
    """`place_by_labels` after a people import, run by the queue as the person who imported:
    the import's own permission check (people.import) stands for this one, so someone who
    may import people but not manage placements still gets the new people placed by the
    labels HR already mapped. Nobody already placed moves."""
    placed = 0
    levels = {level.pk: level for level in Level.objects.filter(track__archived_at=None)}
    for label, level_id in resolve_labels().items():
        level = levels.get(level_id)
        if level is not None:
            placed += place_label(label, level, by=by, move_placed=False)
    if placed:
        record(
            actor=by,
            kind="growth.placement.by_labels",
            object_type="growth.placement",
            object_label="People placed by their level label",
            changes={"people placed": placed},
        )
    return placed
