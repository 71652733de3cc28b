"""The JSON shapes of SCIM token management in Tandem's API (not the SCIM protocol, which
speaks RFC 7643 at /scim/v2/)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class ScimTokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="Which identity provider uses it.")


class ScimTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None = Field(description="To the minute.")


class ScimTokenCreatedOut(ScimTokenOut):
    token: str = Field(description="The secret: shown in this answer only, never again.")
