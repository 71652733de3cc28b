"""Notifications over the API: your own only, newest first; mark one read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from tandem.core.api import ERRORS, ErrorOut
from tandem.notifications import queries, services
from tandem.notifications.kinds import kind_label
from tandem.notifications.models import Notification
from tandem.notifications.schemas import NotificationOut, NotificationPageOut

router = Router(tags=["notifications"])


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only notifications not read yet")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


def notification_out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": kind_label(notification.kind),
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **ERRORS},
    summary="Your notifications, newest first",
)
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> dict[str, Any]:
    try:
        page = queries.notifications_page(
            request.user, cursor=filters.cursor, limit=filters.limit, unread_only=filters.unread
        )
    except queries.BadCursor as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    return {
        "items": [notification_out(n) for n in page.items],
        "next_cursor": page.next_cursor,
        "unread_count": queries.unread_count(request.user),
    }


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, 404: ErrorOut, **ERRORS},
    summary="Mark one of your notifications read",
)
def read_notification(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    notification = queries.notification_for(request.user, notification_id)
    return notification_out(services.mark_read(notification=notification, by=request.user))
