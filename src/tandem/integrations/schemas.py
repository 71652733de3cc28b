"""The API shapes of chat webhooks. The address goes in, never out: answers carry only
its last four characters."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ninja import Schema
from pydantic import Field

from tandem.core.api import Choice, InSchema


class ChatProvider(StrEnum):
    SLACK = "slack"
    TEAMS = "teams"


class ChatDeliveryState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class ChatWebhookIn(InSchema):
    provider: Choice[ChatProvider] = Field(description="slack or teams")
    name: str = Field(max_length=100, description="The channel's name people see, e.g. #eng")
    url: str = Field(
        max_length=2000,
        description="The incoming webhook's URL; stored encrypted, never returned",
    )
    department_id: int | None = Field(
        None, ge=1, description="Serve this department and those under it; null: everyone"
    )
    enabled: bool = True


class ChatWebhookOut(Schema):
    id: int
    provider: str
    name: str
    url_ending: str = Field(description="The last four characters of the address")
    department_id: int | None
    enabled: bool
    created_at: datetime


class ChatTestOut(Schema):
    delivered: bool
    message: str = Field(description="What came of the test message, in plain words")


class ChatDeliveryOut(Schema):
    id: int
    webhook_id: int
    kind: str
    title: str
    status: str
    attempts: int
    last_answer: str
    created_at: datetime
    finished_at: datetime | None


class ChatDeliveryPageOut(Schema):
    items: list[ChatDeliveryOut]
    next_cursor: str | None
    counts: dict[str, int] = Field(description="Deliveries per status (under the filters' webhook)")
