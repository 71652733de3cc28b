"""Reads about notifications: always the viewer's own, through the access scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Expression, Q, QuerySet
from django.http import Http404

from tandem.access.rules import can, scope
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.notifications.kinds import KINDS, Delivery
from tandem.notifications.models import Notification, NotificationSetting

PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1
# The bell counts up to this many and then says "99+": the count stays one bounded query
# even for someone with thousands of unread notifications.
BELL_CAP = 100


__all__ = ["BadCursor"]


def encode_cursor(notification: Notification) -> str:
    return pagination.encode_cursor(notification.created_at, notification.pk)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    return pagination.decode_time_cursor(cursor)


@dataclass
class NotificationPage:
    items: list[Notification]
    next_cursor: str | None


def own_notifications(user: Any) -> QuerySet[Notification]:
    return scope(user, Notification.objects.all())


def notifications_page(
    user: Any, *, cursor: str | None = None, limit: int = PAGE_SIZE, unread_only: bool = False
) -> NotificationPage:
    """The viewer's notifications, newest first, keyset-paginated on (created_at, id): a
    later page costs what the first costs, through the (person, created_at) index."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = own_notifications(user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    if cursor:
        created, pk = decode_cursor(cursor)
        rows = rows.filter(created_at__lte=created).filter(Q(created_at__lt=created) | Q(pk__lt=pk))
    items = list(rows.order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = encode_cursor(items[limit - 1]) if len(items) > limit else None
    return NotificationPage(items=items[:limit], next_cursor=next_cursor)


def notification_for(user: Any, pk: int) -> Notification:
    """The viewer's notification with this id, or 404 (someone else's is answered the same)."""
    if not 0 < pk <= MAX_ID:
        raise Http404("No such notification.")
    notification = own_notifications(user).filter(pk=pk).first()
    if notification is None or not can(user, "notification.view", notification):
        raise Http404("No such notification.")
    return notification


def unread_count(user: Any, *, cap: int = BELL_CAP) -> int:
    """Unread notifications, counted up to `cap` (one query on the partial unread index)."""
    return own_notifications(user).filter(read_at__isnull=True)[:cap].count()


def delivery_choices(user: Any) -> dict[str, str]:
    """Every kind with the viewer's delivery for it (their choice, or the kind's default)."""
    chosen = dict(scope(user, NotificationSetting.objects.all()).values_list("kind", "delivery"))
    return {kind: chosen.get(kind) or spec.default for kind, spec in KINDS.items()}


def has_digest_kinds(choices: dict[str, str]) -> bool:
    return Delivery.DIGEST in choices.values()


def with_dedupe_key(key: str | Expression) -> QuerySet[Notification]:
    """Notifications sent under a dedupe key: `key` is the key, or an expression that builds
    it from an outer query's row, for `Exists(with_dedupe_key(…))`."""
    return Notification.objects.filter(dedupe_key=key)


def delivery_counts(kind: str, people: QuerySet[Any]) -> dict[str, int]:
    """How `people` (a queryset of persons) hear about `kind`: {delivery: how many}, each
    person's own choice or the kind's default. Two queries, whatever the number of people:
    for the "who gets e-mails" line of a confirmation page before a bulk send."""
    total = people.count()
    chosen = dict(
        NotificationSetting.objects.filter(kind=kind, person__in=people.values("pk"))
        .values("delivery")
        .annotate(n=Count("pk"))
        .values_list("delivery", "n")
        .order_by()
    )
    counts = {delivery: chosen.get(delivery, 0) for delivery in Delivery.values}
    counts[KINDS[kind].default] += total - sum(chosen.values())
    return counts


def for_chat(notification_ids: list[int]) -> list[Notification]:
    """The notifications among `notification_ids` their person chose to hear of in chat,
    with the person and their department: for the background task that posts them (a
    system read: the task acts for nobody in particular)."""
    return list(
        Notification.objects.filter(pk__in=notification_ids, delivery=Delivery.CHAT)
        .select_related("person", "person__department")
        .order_by("pk")
    )
