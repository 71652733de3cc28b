"""The API shapes of outgoing webhooks. The signing secret goes out once (when an endpoint
is made or its secret rotated) and is never returned again."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ninja import Schema
from pydantic import Field

from tandem.core.api import InSchema
from tandem.integrations.webhooks import events


class WebhookDeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookEndpointIn(InSchema):
    name: str = Field(max_length=100, description="What IT calls it, e.g. HRIS sync")
    url: str = Field(
        max_length=2000, description="https:// on a public address (checked when saved)"
    )
    event_types: list[str] = Field(
        max_length=len(events.KEYS),
        description=f"The events to send, among: {', '.join(events.KEYS)}",
    )
    private_data: bool = Field(
        False, description="May receive private data: object titles and what changed"
    )
    enabled: bool = True


class WebhookEndpointOut(Schema):
    id: int
    name: str
    url: str
    event_types: list[str]
    private_data: bool
    enabled: bool
    disabled_reason: str = Field(description="Why Tandem switched it off, or empty")
    failing_since: datetime | None
    last_success_at: datetime | None
    created_at: datetime


class WebhookSecretOut(Schema):
    endpoint: WebhookEndpointOut
    secret: str = Field(description="The signing secret (whsec_…), shown only this once")


class WebhookTestOut(Schema):
    delivered: bool
    status_code: int | None = Field(description="The endpoint's HTTP answer, if any")
    message: str = Field(description="What came of the test event, in plain words")


class WebhookDeliveryOut(Schema):
    id: int
    event_id: str = Field(description="The webhook-id header: the same on every retry")
    event_type: str
    status: str
    attempts: int
    last_status_code: int | None
    last_answer: str
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None


class WebhookDeliveryPageOut(Schema):
    items: list[WebhookDeliveryOut]
    next_cursor: str | None
    counts: dict[str, int] = Field(description="The endpoint's deliveries per status")


class RedeliverOut(Schema):
    id: int
    status: str
