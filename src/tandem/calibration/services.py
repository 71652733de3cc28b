"""Every write of calibration: creating a session, changing who it discusses, adjusting a
rating or potential with a reason, the guideline, locking.

Each runs in one transaction, checks its access rule first and writes an audit record. The
participants' own rows (in calibration, calibrated, their final rating) are written
through `reviews.services.calibration`, inside the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.calibration.models import (
    AdjustedField,
    Adjustment,
    Entry,
    ReasonCategory,
    ScopeKind,
    Session,
    SessionStatus,
)
from tandem.core.validation import clean_text
from tandem.org.models import Department, Person, PersonStatus
from tandem.reviews.queries import ratings
from tandem.reviews.services import calibration as reviews_calibration

POTENTIAL_POINTS = 3
NAME_MAX = 150
REASON_MAX = 2000
LOCKED = "This session is locked: its ratings no longer change."


def _points(cycle: Any) -> int:
    """The size of the cycle's rating scale, or a message naming the cycle."""
    if not getattr(cycle, "is_launched", False):
        raise ValidationError({"cycle": "The cycle has not been launched yet."})
    if getattr(cycle, "is_imported", False):
        raise ValidationError(
            {
                "cycle": "This cycle was imported from another tool: its ratings are history "
                "and are not calibrated again."
            }
        )
    found = ratings.overall_question(cycle)
    if found is None:
        raise ValidationError(
            {
                "cycle": "The cycle's manager review has no overall rating question, so there "
                "is no rating to calibrate."
            }
        )
    return found[1]


def points_of(session: Session) -> int:
    found = ratings.overall_question(session.cycle)
    return found[1] if found else 0


def _already_in_session(cycle: Any) -> Any:
    return Entry.objects.filter(cycle=cycle).values("participant_id")


def _scoped(
    cycle: Any,
    *,
    scope_kind: str,
    department: Department | None,
    manager: Person | None,
    level: str,
    participant_ids: Iterable[int],
) -> Any:
    """The cycle's participants a new session of this scope discusses (before leaving out
    those already in a session), or a message naming the field that is missing."""
    rows = ratings.rated_participants(cycle)
    if scope_kind == ScopeKind.DEPARTMENT:
        if department is None:
            raise ValidationError({"department": "Choose the department to calibrate."})
        return rows.filter(department__path__startswith=department.path)
    if scope_kind == ScopeKind.MANAGER:
        if manager is None:
            raise ValidationError({"manager": "Choose the manager whose people to calibrate."})
        return rows.filter(path__startswith=manager.path).exclude(person_id=manager.pk)
    if scope_kind == ScopeKind.LEVEL:
        level = (level or "").strip()
        if not level:
            raise ValidationError({"level": "Choose the level to calibrate."})
        return rows.filter(level=level)
    if scope_kind == ScopeKind.MANUAL:
        ids = sorted({int(pk) for pk in participant_ids})
        if not ids:
            raise ValidationError({"participant_ids": "Pick at least one person to calibrate."})
        found = rows.filter(pk__in=ids)
        missing = set(ids) - set(found.values_list("pk", flat=True))
        if missing:
            raise ValidationError(
                {
                    "participant_ids": "These are not people reviewed in this cycle: "
                    + ", ".join(str(pk) for pk in sorted(missing))
                    + "."
                }
            )
        return found
    raise ValidationError(
        {
            "scope_kind": "Choose who the session discusses: a department, a manager, a level or "
            "people picked by hand."
        }
    )


def _people(ids: Iterable[int], *, field: str, label: str, required: bool) -> list[Person]:
    wanted = sorted({int(pk) for pk in ids})
    people = list(
        Person.objects.filter(pk__in=wanted, is_active=True).exclude(status=PersonStatus.LEFT)
    )
    if len(people) != len(wanted):
        found = {p.pk for p in people}
        unknown = ", ".join(str(pk) for pk in wanted if pk not in found)
        raise ValidationError({field: f"{label}: nobody active has the id {unknown}."})
    if required and not people:
        raise ValidationError({field: f"Choose at least one {label.lower()}."})
    return people


def _busy_names(cycle: Any, ids: list[int]) -> str:
    busy = Entry.objects.filter(cycle=cycle, participant_id__in=ids).select_related(
        "participant__person", "session"
    )
    return "; ".join(f"{e.participant.person} (in “{e.session.name}”)" for e in busy)


def _add_entries(session: Session, rows: Any) -> list[Entry]:
    entries = [
        Entry(
            session=session, cycle_id=session.cycle_id, participant_id=row.pk, rating=row.raw_rating
        )
        for row in rows
    ]
    try:
        with transaction.atomic():
            Entry.objects.bulk_create(entries)
    except IntegrityError:
        # Someone added one of them to another session in the meantime.
        raise ValidationError(
            {
                "participant_ids": "Someone else just added some of these people to another "
                "session; reload and try again."
            }
        ) from None
    reviews_calibration.mark_in_calibration([e.participant_id for e in entries])
    return entries


def create_session(
    user: Any,
    cycle: Any,
    *,
    name: str,
    scope_kind: str,
    department: Department | None = None,
    manager: Person | None = None,
    level: str = "",
    participant_ids: Iterable[int] = (),
    facilitator_ids: Iterable[int],
    manager_ids: Iterable[int] | None = None,
) -> Session:
    """A new open session of `cycle` discussing the participants of its scope who are not
    in another session of the cycle yet (people picked by hand must not be). The managers
    who take part default to the managers (at launch) of the people discussed."""
    require(user, "calibration.manage", cycle)
    _points(cycle)
    name = clean_text(name, field="name", label="The name", limit=NAME_MAX)
    with transaction.atomic():
        if Session.objects.filter(cycle=cycle, name=name).exists():
            raise ValidationError({"name": f"This cycle already has a session named “{name}”."})
        scoped = _scoped(
            cycle,
            scope_kind=scope_kind,
            department=department,
            manager=manager,
            level=level,
            participant_ids=participant_ids,
        )
        if scope_kind == ScopeKind.MANUAL:
            picked = list(scoped.values_list("pk", flat=True))
            busy = _busy_names(cycle, picked)
            if busy:
                raise ValidationError(
                    {"participant_ids": f"Already discussed in another session: {busy}."}
                )
        rows = list(scoped.exclude(pk__in=_already_in_session(cycle)).order_by("pk"))
        if not rows:
            raise ValidationError(
                {
                    "scope_kind": "Nobody reviewed in this cycle is in that scope and not already "
                    "in another session."
                }
            )
        facilitators = _people(
            facilitator_ids, field="facilitator_ids", label="Facilitator", required=True
        )
        if manager_ids is None:
            wanted = {row.manager_id for row in rows if row.manager_id}
            managers = list(Person.objects.filter(pk__in=wanted, is_active=True))
        else:
            managers = _people(manager_ids, field="manager_ids", label="Manager", required=False)
        session = Session.objects.create(
            cycle=cycle,
            name=name,
            scope_kind=scope_kind,
            scope_department=department if scope_kind == ScopeKind.DEPARTMENT else None,
            scope_manager=manager if scope_kind == ScopeKind.MANAGER else None,
            scope_level=(level or "").strip() if scope_kind == ScopeKind.LEVEL else "",
            created_by=user if getattr(user, "pk", None) else None,
        )
        session.facilitators.set(facilitators)
        session.managers.set(managers)
        _add_entries(session, rows)
        record(
            actor=user,
            kind="calibration.session.create",
            obj=session,
            changes={
                "cycle": cycle.pk,
                "scope": scope_kind,
                "people": len(rows),
                "facilitators": [p.pk for p in facilitators],
                "managers": [p.pk for p in managers],
            },
        )
    return session


def _open(session: Session, field: str = "session") -> None:
    if session.is_locked:
        raise ValidationError({field: LOCKED})


def _fresh(session: Session) -> Session:
    """The session's row, locked for this transaction: two people locking and adjusting at
    once see each other's result."""
    return Session.objects.select_for_update().select_related("cycle").get(pk=session.pk)


def add_people(user: Any, session: Session, participant_ids: Iterable[int]) -> list[Entry]:
    """Add participants of the session's cycle (not in any session yet) to an open session;
    their managers take part too."""
    require(user, "calibration.manage", session.cycle)
    with transaction.atomic():
        session = _fresh(session)
        _open(session)
        rows = list(
            _scoped(
                session.cycle,
                scope_kind=ScopeKind.MANUAL,
                department=None,
                manager=None,
                level="",
                participant_ids=participant_ids,
            ).order_by("pk")
        )
        busy = _busy_names(session.cycle, [row.pk for row in rows])
        if busy:
            raise ValidationError({"participant_ids": f"Already discussed in a session: {busy}."})
        entries = _add_entries(session, rows)
        managers = {row.manager_id for row in rows if row.manager_id}
        session.managers.add(*Person.objects.filter(pk__in=managers, is_active=True))
        record(
            actor=user,
            kind="calibration.session.add",
            obj=session,
            changes={"participants": [row.pk for row in rows]},
        )
    return entries


def remove_entry(user: Any, entry: Entry) -> None:
    """Take a person out of an open session, their adjustments with them; their review is
    no longer held for calibration."""
    require(user, "calibration.manage", entry.session.cycle)
    with transaction.atomic():
        session = _fresh(entry.session)
        _open(session)
        participant_id = entry.participant_id
        deleted, _ = Entry.objects.filter(pk=entry.pk, session=session).delete()
        if not deleted:
            return
        reviews_calibration.release_from_calibration([participant_id])
        record(
            actor=user,
            kind="calibration.session.remove",
            obj=session,
            changes={"participant": participant_id},
        )


def _whole(value: Any, *, field: str, label: str, top: int) -> int:
    """A whole number from 1 to `top` (an int, or text of digits from a form), or a message
    naming the field."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: f"{label} must be a whole number from 1 to {top}."})
    if not 1 <= value <= top:
        raise ValidationError({field: f"{label} must be from 1 to {top}; {value} is not."})
    return value


def adjust(
    user: Any,
    entry: Entry,
    *,
    rating: int | None = None,
    potential: int | None = None,
    category: str,
    reason: str,
) -> list[Adjustment]:
    """Change a person's rating and/or potential in an open session. Every change needs a
    reason (text and a category) and is recorded: who, when, old → new."""
    require(user, "calibration.entry.adjust", entry)
    with transaction.atomic():
        session = _fresh(entry.session)
        _open(session)
        closed = ratings.calibration_window_refusal(session.cycle)
        if closed:
            raise ValidationError({"session": closed})
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        points = points_of(session)
        changes: dict[str, tuple[int | None, int]] = {}
        if rating is not None:
            new = _whole(rating, field="rating", label="The rating", top=points)
            if new != entry.rating:
                changes[AdjustedField.RATING] = (entry.rating, new)
        if potential is not None:
            new = _whole(potential, field="potential", label="The potential", top=POTENTIAL_POINTS)
            if new != entry.potential:
                changes[AdjustedField.POTENTIAL] = (entry.potential, new)
        if category not in ReasonCategory.values:
            raise ValidationError(
                {
                    "category": "Choose why: evidence, consistency across teams, scope of role or "
                    "other."
                }
            )
        reason = clean_text(reason, field="reason", label="The reason", limit=REASON_MAX)
        if rating is None and potential is None:
            raise ValidationError({"rating": "Choose a new rating or potential."})
        if not changes:
            raise ValidationError(
                {"rating": "That is where this person already is: nothing changed."}
            )
        made = [
            Adjustment.objects.create(
                entry=entry,
                field=field,
                old_value=old,
                new_value=new,
                category=category,
                reason=reason,
                made_by=user if getattr(user, "pk", None) else None,
            )
            for field, (old, new) in changes.items()
        ]
        for field, (_, new) in changes.items():
            setattr(entry, field, new)
        entry.save(update_fields=[*changes, "updated_at"])
        record(
            actor=user,
            kind="calibration.adjust",
            obj=session,
            changes={
                "participant": entry.participant_id,
                **{field: [old, new] for field, (old, new) in changes.items()},
                "category": category,
                "reason": reason,
            },
        )
    return made


def set_guideline(user: Any, session: Session, guideline: Mapping[Any, Any]) -> Session:
    """The guideline distribution (percent of people per rating point), shown as guidance
    and never enforced: whole percents that sum to 100, or nothing at all."""
    require(user, "calibration.manage", session.cycle)
    with transaction.atomic():
        session = _fresh(session)
        _open(session)
        points = points_of(session)
        cleaned: dict[str, int] = {}
        for point, percent in guideline.items():
            at = _whole(point, field="guideline", label="A rating point", top=points)
            if percent in (None, ""):
                continue
            try:
                share = int(percent)
            except (TypeError, ValueError):
                raise ValidationError(
                    {"guideline": f"The percent for {at} must be a whole number."}
                ) from None
            if not 0 <= share <= 100:
                raise ValidationError(
                    {"guideline": f"The percent for {at} must be from 0 to 100; {percent} is not."}
                )
            cleaned[str(at)] = share
        total = sum(cleaned.values())
        if cleaned and total != 100:
            raise ValidationError(
                {"guideline": f"The percents must add up to 100; they add up to {total}."}
            )
        before = session.guideline
        session.guideline = {key: cleaned[key] for key in sorted(cleaned, key=int)}
        session.save(update_fields=["guideline"])
        record(
            actor=user,
            kind="calibration.guideline",
            obj=session,
            changes={"guideline": [before, session.guideline]},
        )
    return session


def lock(user: Any, session: Session) -> Session:
    """Lock an open session: each person's session rating becomes their rating of record
    (written to their review), with the reason of the last change to it."""
    require(user, "calibration.session.decide", session)
    with transaction.atomic():
        session = _fresh(session)
        _open(session)
        points = points_of(session)
        entries = list(Entry.objects.filter(session=session).order_by("pk"))
        unrated = [e for e in entries if e.rating is None]
        if unrated:
            names = ", ".join(
                str(e.participant.person)
                for e in Entry.objects.filter(pk__in=[e.pk for e in unrated]).select_related(
                    "participant__person"
                )[:10]
            )
            raise ValidationError(
                {
                    "session": f"{len(unrated)} people have no rating yet ({names}): wait for "
                    "their manager review, or take them out of the session, before locking."
                }
            )
        found = ratings.raw_ratings(session.cycle, [e.participant_id for e in entries])
        raw = {pk: rating for pk, (rating, _) in found.items()}
        reasons = {
            adjustment.entry_id: adjustment.reason
            for adjustment in Adjustment.objects.filter(
                entry__session=session, field=AdjustedField.RATING
            ).order_by("made_at", "id")
        }
        for entry in entries:
            reviews_calibration.record_final(
                entry.participant_id,
                rating=entry.rating,
                points=points,
                calibrated_from=raw.get(entry.participant_id),
                reason=reasons.get(entry.pk, ""),
                rescore_now=False,
            )
        # Every score of the session at once: a few queries, whatever its size.
        reviews_calibration.rescore([entry.participant_id for entry in entries])
        session.status = SessionStatus.LOCKED
        session.locked_at = timezone.now()
        session.locked_by = user if getattr(user, "pk", None) else None
        session.save(update_fields=["status", "locked_at", "locked_by"])
        changed = sum(1 for e in entries if raw.get(e.participant_id) != e.rating)
        record(
            actor=user,
            kind="calibration.session.lock",
            obj=session,
            changes={"people": len(entries), "ratings_changed": changed},
        )
    return session
