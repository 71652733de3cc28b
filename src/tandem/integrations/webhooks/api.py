"""Outgoing webhooks over the API: IT admins manage endpoints, send a test event, rotate the
secret, read the delivery log and redeliver. Thin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from tandem.access.rules import require
from tandem.core.api import ERRORS, ErrorOut
from tandem.integrations.webhooks import queries, services
from tandem.integrations.webhooks.models import Delivery, Endpoint
from tandem.integrations.webhooks.schemas import (
    RedeliverOut,
    WebhookDeliveryPageOut,
    WebhookDeliveryState,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookSecretOut,
    WebhookTestOut,
)

router = Router(tags=["integrations"])


def endpoint_out(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "private_data": endpoint.private_data,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "failing_since": endpoint.failing_since,
        "last_success_at": endpoint.last_success_at,
        "created_at": endpoint.created_at,
    }


def delivery_out(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "event_id": d.message_id,
        "event_type": d.event_type,
        "status": d.status,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "last_answer": d.last_answer,
        "next_attempt_at": d.next_attempt_at,
        "created_at": d.created_at,
        "finished_at": d.finished_at,
    }


@router.get(
    "/integrations/webhooks/endpoints",
    response={200: list[WebhookEndpointOut], 404: ErrorOut, **ERRORS},
    summary="Outgoing webhook endpoints (IT admins)",
)
def list_webhook_endpoints(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "webhook_endpoint.manage")
    return [endpoint_out(e) for e in queries.endpoints(request.user)]


@router.post(
    "/integrations/webhooks/endpoints",
    response={201: WebhookSecretOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="Add an outgoing webhook endpoint; answers its signing secret, once (IT admins)",
)
def create_webhook_endpoint(
    request: HttpRequest, payload: WebhookEndpointIn
) -> Status[dict[str, Any]]:
    require(request.user, "webhook_endpoint.manage")
    endpoint, secret = services.create_endpoint(
        name=payload.name,
        url=payload.url,
        event_types=payload.event_types,
        private_data=payload.private_data,
        enabled=payload.enabled,
        by=request.user,
    )
    return Status(201, {"endpoint": endpoint_out(endpoint), "secret": secret})


@router.get(
    "/integrations/webhooks/endpoints/{endpoint_id}",
    response={200: WebhookEndpointOut, 404: ErrorOut, **ERRORS},
    summary="One outgoing webhook endpoint (IT admins)",
)
def get_webhook_endpoint(request: HttpRequest, endpoint_id: int) -> dict[str, Any]:
    return endpoint_out(queries.endpoint_for(request.user, endpoint_id))


@router.put(
    "/integrations/webhooks/endpoints/{endpoint_id}",
    response={200: WebhookEndpointOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="Change an outgoing webhook endpoint (IT admins)",
)
def update_webhook_endpoint(
    request: HttpRequest, endpoint_id: int, payload: WebhookEndpointIn
) -> dict[str, Any]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    services.update_endpoint(
        endpoint=endpoint,
        name=payload.name,
        url=payload.url,
        event_types=payload.event_types,
        private_data=payload.private_data,
        enabled=payload.enabled,
        by=request.user,
    )
    return endpoint_out(endpoint)


@router.delete(
    "/integrations/webhooks/endpoints/{endpoint_id}",
    response={204: None, 404: ErrorOut, **ERRORS},
    summary="Delete an outgoing webhook endpoint and its log (IT admins)",
)
def delete_webhook_endpoint(request: HttpRequest, endpoint_id: int) -> Status[None]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    services.delete_endpoint(endpoint=endpoint, by=request.user)
    return Status(204, None)


@router.post(
    "/integrations/webhooks/endpoints/{endpoint_id}/rotate-secret",
    response={200: WebhookSecretOut, 404: ErrorOut, **ERRORS},
    summary="A new signing secret, answered once; the old one signs too for 24 h (IT admins)",
)
def rotate_webhook_secret(request: HttpRequest, endpoint_id: int) -> dict[str, Any]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    secret = services.rotate_secret(endpoint=endpoint, by=request.user)
    return {"endpoint": endpoint_out(endpoint), "secret": secret}


@router.post(
    "/integrations/webhooks/endpoints/{endpoint_id}/test",
    response={200: WebhookTestOut, 404: ErrorOut, **ERRORS},
    summary="Send a test event to an endpoint now (IT admins)",
)
def test_webhook_endpoint(request: HttpRequest, endpoint_id: int) -> dict[str, Any]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    answer = services.send_test_event(endpoint=endpoint, by=request.user)
    return {
        "delivered": answer.delivered,
        "status_code": answer.status_code,
        "message": answer.message,
    }


class WebhookDeliveryFilters(Schema):
    status: WebhookDeliveryState | None = Field(None, description="Only deliveries in this status")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the previous page")
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=queries.MAX_PAGE_SIZE)


@router.get(
    "/integrations/webhooks/endpoints/{endpoint_id}/deliveries",
    response={200: WebhookDeliveryPageOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="An endpoint's deliveries, newest first, with response codes (IT admins)",
)
def list_webhook_deliveries(
    request: HttpRequest, endpoint_id: int, filters: Query[WebhookDeliveryFilters]
) -> dict[str, Any]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    require(request.user, "webhook_delivery.view", endpoint)
    status = filters.status.value if filters.status else None
    try:
        page = queries.deliveries_page(
            request.user,
            endpoint=endpoint,
            status=status,
            cursor=filters.cursor,
            limit=filters.limit,
        )
    except queries.BadCursor as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    return {
        "items": [delivery_out(d) for d in page.items],
        "next_cursor": page.next_cursor,
        "counts": queries.status_counts(request.user, endpoint=endpoint),
    }


@router.post(
    "/integrations/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response={202: RedeliverOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="Send a delivery again, with the same webhook-id (IT admins)",
)
def redeliver_webhook(
    request: HttpRequest, endpoint_id: int, delivery_id: int
) -> Status[dict[str, Any]]:
    endpoint = queries.endpoint_for(request.user, endpoint_id)
    delivery = queries.delivery_for(request.user, endpoint, delivery_id)
    services.redeliver(delivery=delivery, by=request.user)
    return Status(202, {"id": delivery.pk, "status": "pending"})
