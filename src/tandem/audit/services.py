"""Writing to the audit trail. Called from every service, inside its transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F

from tandem.audit.context import current_origin
from tandem.audit.models import AnonymousTally, AuditEvent
from tandem.core import anonymity


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as {field: [old, new]} in JSON-friendly form."""
    return {
        field: [_plain(before.get(field)), _plain(after.get(field))]
        for field in after
        if _plain(before.get(field)) != _plain(after.get(field))
    }


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {field: getattr(obj, field) for field in fields}


def record(
    *,
    actor: Any,
    kind: str,
    obj: models.Model | None = None,
    subject: Any = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    object_type: str | None = None,
    object_label: str | None = None,
) -> AuditEvent:
    """Append one event to the trail, with who, from where, when and what changed. For an
    act whose author must stay unknown, use `record_anonymous` instead."""
    origin = current_origin()
    actor_person = actor if getattr(actor, "pk", None) else None
    if actor_person is not None:
        actor_label = f"{actor_person} <{actor_person.email}>"
    elif origin is not None and origin.via == "cli":
        actor_label = "command line"
    else:
        actor_label = "system"
    event = AuditEvent.objects.create(
        actor=actor_person,
        actor_label=actor_label[:200],
        ip_address=origin.ip_address if origin else None,
        kind=kind,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=(object_label if object_label is not None else str(obj or ""))[:300],
        subject=subject,
        changes={key: _plain(value) for key, value in (changes or {}).items()},
        note=note[:500],
    )
    _announce([event])
    return event


def record_each(
    *,
    actor: Any,
    kind: str,
    objs: Iterable[models.Model],
    subject_of: Any = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> int:
    """`record` for many objects at once (one event each, one INSERT for all): a bulk act
    such as inviting everyone an import created. `subject_of(obj)` names each event's
    subject (the object itself when it is a person and none is given)."""
    origin = current_origin()
    actor_person = actor if getattr(actor, "pk", None) else None
    if actor_person is not None:
        actor_label = f"{actor_person} <{actor_person.email}>"
    elif origin is not None and origin.via == "cli":
        actor_label = "command line"
    else:
        actor_label = "system"
    plain = {key: _plain(value) for key, value in (changes or {}).items()}
    events = [
        AuditEvent(
            actor=actor_person,
            actor_label=actor_label[:200],
            ip_address=origin.ip_address if origin else None,
            kind=kind,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_label=str(obj)[:300],
            subject=subject_of(obj) if subject_of is not None else obj,  # type: ignore[misc]
            changes=plain,
            note=note[:500],
        )
        for obj in objs
    ]
    record_built(events)
    return len(events)


def record_built(events: list[AuditEvent]) -> list[AuditEvent]:
    """Write events built by the caller in one INSERT (a bulk act such as an import that
    fills the fields `record` would) and tell the listeners, as `record` does."""
    written = AuditEvent.objects.bulk_create(events, batch_size=1000)
    _announce(written)
    return written


# --- Listeners --------------------------------------------------------------------------------
# A layer above the platform (outgoing webhooks) learns of every write from the trail, so no
# feature has to call it: it registers a listener in its AppConfig.ready(). A listener runs
# inside the writer's transaction, so it must be cheap and query nothing: it defers its work
# with transaction.on_commit (a rolled-back write then announces nothing).

AuditListener = Callable[[Sequence[AuditEvent]], None]
_listeners: list[AuditListener] = []


def add_listener(listener: AuditListener) -> AuditListener:
    """Call `listener` with the events of every record, record_each and record_built."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _announce(events: Sequence[AuditEvent]) -> None:
    for listener in _listeners:
        listener(events)


# --- Anonymous acts ---------------------------------------------------------------------------


def record_anonymous(
    *, kind: str, object_type: str, object_label: str, on: date | None = None
) -> None:
    """Count one anonymous act of `kind` on the day `on` (today in the company's time zone
    when not given; pass a coarser date, such as the start of a window, when even the day
    would say too much). Nothing names an actor, an address, an object or a person, and
    nothing enters the trail now: the day's tally goes in after the day is over
    (`flush_anonymous`), as one event that cannot be placed among the others."""
    day = on or anonymity.company_today()
    label = (object_label or "")[:300]
    same = AnonymousTally.objects.filter(
        day=day, kind=kind, object_type=object_type, object_label=label
    )
    if not same.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                AnonymousTally.objects.create(
                    day=day, kind=kind, object_type=object_type, object_label=label, count=1
                )
        except IntegrityError:
            # Someone else started the day's tally at the same moment: add to theirs.
            same.update(count=F("count") + 1)
    anonymity.rewrite_shuffled(AnonymousTally.objects.filter(day=day))


def flush_anonymous(today: date) -> int:
    """Write every tally of a day before `today` into the trail, one event each, dated
    00:00 UTC of its day, with no actor and no address; delete the tallies. Run daily by
    `tandem send-reminders`; returns how many events it wrote. Safe to run again."""
    written = 0
    with transaction.atomic():
        due = list(
            AnonymousTally.objects.select_for_update()
            .filter(day__lt=today)
            .order_by("day", "kind", "object_type", "object_label")
        )
        for tally in due:
            AuditEvent.objects.create(
                at=datetime.combine(tally.day, time.min, tzinfo=UTC),
                actor=None,
                actor_label="anonymous",
                ip_address=None,
                kind=tally.kind,
                object_type=tally.object_type,
                object_id="",
                object_label=f"{tally.count} × {tally.object_label}"[:300],
                changes={"count": tally.count, "day": tally.day.isoformat()},
                note="Anonymous: counted per day, written to the log after the day ended.",
            )
            written += 1
        AnonymousTally.objects.filter(pk__in=[t.pk for t in due]).delete()
    return written
