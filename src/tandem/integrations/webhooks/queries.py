"""Reads about outgoing webhooks: IT admins' pages, through the access scope; and, for the
background work, which endpoints want an event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tandem.access.rules import scope
from tandem.core import pagination
from tandem.core.pagination import BadCursor
from tandem.integrations.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_ID = 2**63 - 1

__all__ = ["BadCursor"]


def enabled_endpoints() -> list[Endpoint]:
    """Every endpoint switched on (a handful)."""
    return list(Endpoint.objects.filter(enabled=True))


def subscribers(endpoints: list[Endpoint], event_type: str) -> list[Endpoint]:
    return [e for e in endpoints if event_type in (e.event_types or [])]


def endpoints(user: Any) -> list[Endpoint]:
    """The endpoints the viewer manages (IT admins: all), by name."""
    return list(scope(user, Endpoint.objects.all()).order_by("name", "pk"))


def endpoint_for(user: Any, pk: int) -> Endpoint:
    """The endpoint with this id, or 404 (outside the viewer's scope is answered the same)."""
    if not 0 < pk <= MAX_ID:
        raise Http404("No such endpoint.")
    found = scope(user, Endpoint.objects.all()).filter(pk=pk).first()
    if found is None:
        raise Http404("No such endpoint.")
    return found


def delivery_for(user: Any, endpoint: Endpoint, pk: int) -> Delivery:
    """One delivery of `endpoint`, or 404."""
    if not 0 < pk <= MAX_ID:
        raise Http404("No such delivery.")
    found = (
        scope(user, Delivery.objects.select_related("message", "endpoint"))
        .filter(pk=pk, endpoint=endpoint)
        .first()
    )
    if found is None:
        raise Http404("No such delivery.")
    return found


@dataclass
class DeliveryPage:
    items: list[Delivery]
    next_cursor: str | None


def _deliveries(user: Any, *, endpoint: Endpoint, status: str | None) -> QuerySet[Delivery]:
    rows = scope(user, Delivery.objects.filter(endpoint=endpoint))
    if status:
        rows = rows.filter(status=status)
    return rows


def deliveries_page(
    user: Any,
    *,
    endpoint: Endpoint,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> DeliveryPage:
    """An endpoint's recent deliveries, newest first, keyset-paginated on (created_at, id)."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = _deliveries(user, endpoint=endpoint, status=status)
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


def status_counts(user: Any, *, endpoint: Endpoint) -> dict[str, int]:
    """How many of the endpoint's deliveries are in each status (one grouped query)."""
    found = dict(
        _deliveries(user, endpoint=endpoint, status=None)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .order_by()
    )
    return {value: found.get(value, 0) for value in DeliveryStatus.values}


def attempts_of(delivery: Delivery) -> list[Attempt]:
    """A delivery's attempts, newest first (bounded by the retry schedule)."""
    return list(Attempt.objects.filter(delivery=delivery).order_by("-at", "-pk")[:50])


def waiting_ids(message_ids: list[str]) -> list[int]:
    """The ids of deliveries still waiting for these messages (for the delivery tasks)."""
    return list(
        Delivery.objects.filter(
            message_id__in=message_ids, status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )
