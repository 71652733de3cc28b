"""Writing to the audit trail. Called from every service, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models

from tandem.audit.context import current_origin
from tandem.audit.models import AuditEvent


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
    anonymous: bool = False,
    on: date | None = None,
) -> AuditEvent:
    """Append one event to the trail.

    `anonymous=True` records only that something of `kind` happened on the date `on`
    (00:00 UTC; today when not given — pass a coarser date, such as the start of a window,
    when even the day would say too much): no actor, no address, no exact time, and no
    object, subject or changes, for writes whose author must stay unknown (anonymous upward
    feedback, issue 4)."""
    if anonymous:
        if obj is not None or subject is not None or changes or note:
            raise ValueError("An anonymous audit event names no object, subject, changes or note.")
        day = on or datetime.now(UTC).date()
        return AuditEvent.objects.create(
            at=datetime.combine(day, time.min, tzinfo=UTC),
            actor=None,
            actor_label="anonymous",
            ip_address=None,
            kind=kind,
            object_type=object_type or "",
            object_id="",
            object_label=(object_label or "")[:300],
        )
    if on is not None:
        raise ValueError("`on` is only for anonymous events; the others keep the exact time.")
    origin = current_origin()
    actor_person = actor if getattr(actor, "pk", None) else None
    if actor_person is not None:
        actor_label = f"{actor_person} <{actor_person.email}>"
    elif origin is not None and origin.via == "cli":
        actor_label = "command line"
    else:
        actor_label = "system"
    return AuditEvent.objects.create(
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
