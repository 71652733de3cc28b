"""Reads about chat webhooks and their deliveries: IT admins', through the access scope;
and, for anyone, which channels carry their own notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.access.rules import scope
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.integrations.models import ChatDelivery, ChatWebhook, DeliveryStatus

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1

__all__ = ["BadCursor"]


def serves(webhook: ChatWebhook, department_path: str | None) -> bool:
    """Whether `webhook` carries the notifications of someone in the department at
    `department_path` (everyone's, or its department's and every one under it)."""
    if webhook.department is None:
        return True
    return bool(department_path and webhook.department.path) and str(department_path).startswith(
        webhook.department.path
    )


def enabled_webhooks() -> list[ChatWebhook]:
    """Every webhook switched on, with its department (a handful: one per channel)."""
    return list(ChatWebhook.objects.filter(enabled=True).select_related("department"))


def webhooks_serving(person: Any, webhooks: list[ChatWebhook] | None = None) -> list[ChatWebhook]:
    department = getattr(person, "department", None)
    path = department.path if department is not None else None
    return [w for w in (enabled_webhooks() if webhooks is None else webhooks) if serves(w, path)]


def channels_serving(person: Any) -> list[str]:
    """The chat channels that would carry `person`'s notifications ("Slack #eng-managers"),
    for their own settings page: names only, never the addresses."""
    return [str(w) for w in webhooks_serving(person)]


def webhooks(user: Any) -> list[ChatWebhook]:
    """The webhooks the viewer manages (IT admins: all), by name."""
    return list(
        scope(user, ChatWebhook.objects.select_related("department")).order_by("name", "pk")
    )


def webhook_for(user: Any, pk: int) -> ChatWebhook:
    """The webhook with this id, or 404 (outside the viewer's scope is answered the same)."""
    if not 0 < pk <= MAX_ID:
        raise Http404("No such webhook.")
    found = scope(user, ChatWebhook.objects.select_related("department")).filter(pk=pk).first()
    if found is None:
        raise Http404("No such webhook.")
    return found


@dataclass
class DeliveryPage:
    items: list[ChatDelivery]
    next_cursor: str | None


def _deliveries(user: Any, *, webhook_id: int | None, status: str | None) -> QuerySet[ChatDelivery]:
    rows = scope(user, ChatDelivery.objects.all())
    if webhook_id is not None:
        rows = rows.filter(webhook_id=webhook_id)
    if status:
        rows = rows.filter(status=status)
    return rows


def deliveries_page(
    user: Any,
    *,
    webhook_id: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> DeliveryPage:
    """Recent deliveries, newest first, keyset-paginated on (created_at, id)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = _deliveries(user, webhook_id=webhook_id, status=status).select_related("webhook")
    if cursor:
        created, pk = pagination.decode_time_cursor(cursor)
        rows = rows.filter(created_at__lte=created).filter(Q(created_at__lt=created) | Q(pk__lt=pk))
    items = list(rows.order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = (
        pagination.encode_cursor(items[limit - 1].created_at, items[limit - 1].pk)
        if len(items) > limit
        else None
    )
    return DeliveryPage(items=items[:limit], next_cursor=next_cursor)


def status_counts(user: Any, *, webhook_id: int | None = None) -> dict[str, int]:
    """How many deliveries are in each status (one grouped query)."""
    found = dict(
        _deliveries(user, webhook_id=webhook_id, status=None)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    return {value: found.get(value, 0) for value in DeliveryStatus.values}


def for_notifications(notification_ids: list[int]) -> list[int]:
    """The ids of deliveries still waiting for these notifications (for the posting task)."""
    return list(
        ChatDelivery.objects.filter(
            notification_id__in=notification_ids, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )
