"""Chat webhooks over the API: IT admins list and add them, test one, read the log. Thin."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as FieldError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from tandem.access.rules import require
from tandem.core.api import ERRORS, ErrorOut
from tandem.integrations import queries, services
from tandem.integrations.models import ChatWebhook
from tandem.integrations.schemas import (
    ChatDeliveryPageOut,
    ChatDeliveryState,
    ChatTestOut,
    ChatWebhookIn,
    ChatWebhookOut,
)
from tandem.org.models import Department

router = Router(tags=["integrations"])


def webhook_out(webhook: ChatWebhook) -> dict[str, Any]:
    return {
        "id": webhook.pk,
        "provider": webhook.provider,
        "name": webhook.name,
        "url_ending": webhook.url_hint,
        "department_id": webhook.department_id,
        "enabled": webhook.enabled,
        "created_at": webhook.created_at,
    }


@router.get(
    "/integrations/chat/webhooks",
    response={200: list[ChatWebhookOut], 404: ErrorOut, **ERRORS},
    summary="Chat webhooks (IT admins)",
)
def list_chat_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "chat_webhook.manage")
    return [webhook_out(w) for w in queries.webhooks(request.user)]


@router.post(
    "/integrations/chat/webhooks",
    response={201: ChatWebhookOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="Add a chat webhook (IT admins)",
)
def create_chat_webhook(request: HttpRequest, payload: ChatWebhookIn) -> Status[dict[str, Any]]:
    require(request.user, "chat_webhook.manage")
    department = None
    if payload.department_id is not None:
        department = Department.objects.filter(pk=payload.department_id).first()
        if department is None:
            raise FieldError(
                {"department_id": f"There is no department with id {payload.department_id}."}
            )
    webhook = services.create_webhook(
        provider=payload.provider.value,
        name=payload.name,
        url=payload.url,
        department=department,
        enabled=payload.enabled,
        by=request.user,
    )
    return Status(201, webhook_out(webhook))


@router.post(
    "/integrations/chat/webhooks/{webhook_id}/test",
    response={200: ChatTestOut, 404: ErrorOut, **ERRORS},
    summary="Send a test message to a chat webhook now (IT admins)",
)
def test_chat_webhook(request: HttpRequest, webhook_id: int) -> dict[str, Any]:
    webhook = queries.webhook_for(request.user, webhook_id)
    answer = services.test_webhook(webhook=webhook, by=request.user)
    return {"delivered": answer.delivered, "message": answer.message}


class DeliveryFilters(Schema):
    webhook: int | None = Field(None, ge=1, description="Only this webhook's deliveries")
    status: ChatDeliveryState | None = Field(None, description="Only deliveries in this status")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


@router.get(
    "/integrations/chat/deliveries",
    response={200: ChatDeliveryPageOut, 404: ErrorOut, **ERRORS},
    summary="Recent chat deliveries, newest first (IT admins)",
)
def list_chat_deliveries(request: HttpRequest, filters: Query[DeliveryFilters]) -> dict[str, Any]:
    require(request.user, "chat_delivery.view")
    status = filters.status.value if filters.status else None
    try:
        page = queries.deliveries_page(
            request.user,
            webhook_id=filters.webhook,
            status=status,
            cursor=filters.cursor,
            limit=filters.limit,
        )
    except queries.BadCursor as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    return {
        "items": [
            {
                "id": d.pk,
                "webhook_id": d.webhook_id,
                "kind": d.kind,
                "title": d.title,
                "status": d.status,
                "attempts": d.attempts,
                "last_answer": d.last_answer,
                "created_at": d.created_at,
                "finished_at": d.finished_at,
            }
            for d in page.items
        ],
        "next_cursor": page.next_cursor,
        "counts": queries.status_counts(request.user, webhook_id=filters.webhook),
    }
