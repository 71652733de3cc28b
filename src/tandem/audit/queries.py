"""Reading the audit trail: HR admins only, filtered, keyset-paginated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.access.rules import require, scope
from tandem.audit.models import AuditEvent
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.org.models import Person

PAGE_SIZE = 50


__all__ = ["BadCursor"]


@dataclass
class Change:
    field: str
    old: Any
    new: Any
    pair: bool  # False when the record holds one value, not an old → new pair


@dataclass
class EventRow:
    event: AuditEvent
    changes: list[Change]


@dataclass
class EventPage:
    rows: list[EventRow]
    next_cursor: str | None


CURSOR_PURPOSE = "audit-log"
BAD_CURSOR = "This page link is not valid (changed or made up); open the log from its first page."


def encode_cursor(event: AuditEvent) -> str:
    """Sealed, not readable: the time and id of an event would let HR place the anonymous
    events (docs/anonymity.md) among the others, and a made-up cursor would probe ids."""
    return pagination.encode_sealed_cursor(event.at, event.pk, purpose=CURSOR_PURPOSE)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    return pagination.decode_sealed_time_cursor(cursor, purpose=CURSOR_PURPOSE, message=BAD_CURSOR)


def kinds(user: Any) -> list[str]:
    """Every kind of event on record, for the filter's select."""
    require(user, "audit.view")
    return list(AuditEvent.objects.order_by("kind").values_list("kind", flat=True).distinct())


def _matching_people(user: Any, text: str) -> QuerySet[Person]:
    people = scope(user, Person.objects.all())
    for word in text.lower().split()[:5]:
        people = people.filter(search_text__contains=word)
    return people.values("pk")  # type: ignore[return-value]


def _day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the viewer's time zone (activated per request)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def events(
    user: Any,
    *,
    person: str = "",
    actor: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    kind: str = "",
) -> QuerySet[AuditEvent]:
    require(user, "audit.view")
    qs = AuditEvent.objects.all()
    if person.strip():
        qs = qs.filter(subject__in=_matching_people(user, person))
    if actor.strip():
        label = actor.strip().lower()
        qs = qs.filter(
            Q(actor__in=_matching_people(user, actor))
            | Q(actor__isnull=True, actor_label__iexact=label)
        )
    if date_from:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _changes(event: AuditEvent) -> list[Change]:
    result = []
    for field, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            result.append(Change(field=field, old=value[0], new=value[1], pair=True))
        else:
            result.append(Change(field=field, old=None, new=value, pair=False))
    return result


def events_page(
    qs: QuerySet[AuditEvent], *, cursor: str | None, limit: int = PAGE_SIZE
) -> EventPage:
    """Newest first, keyset-paginated on (at, id): a page deep in the past costs what the
    first page costs."""
    if cursor:
        at, pk = decode_cursor(cursor)
        qs = qs.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    found = list(qs.select_related("subject").order_by("-at", "-pk")[: limit + 1])
    next_cursor = encode_cursor(found[limit - 1]) if len(found) > limit else None
    return EventPage(
        rows=[EventRow(event=e, changes=_changes(e)) for e in found[:limit]],
        next_cursor=next_cursor,
    )
