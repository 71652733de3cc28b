"""The API shapes of SAML identity providers (read-only: IT sets them up on /it/saml/,
where the metadata file is uploaded)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class SamlProviderOut(Schema):
    id: int
    name: str
    entity_id: str = Field(description="The identity provider's SAML entity id (issuer)")
    metadata_url: str = Field(description="Where Tandem fetched the metadata; empty: uploaded")
    email_attribute: str = Field(description="The attribute with the work e-mail; empty: NameID")
    allowed_domains: list[str] = Field(description="E-mail domains it may sign in; empty: any")
    enabled: bool
    created_at: datetime


class SamlServiceProviderOut(Schema):
    entity_id: str = Field(description="Tandem's entity id (the audience), its metadata URL")
    acs_url: str = Field(description="The assertion consumer service (HTTP-POST)")
    providers: list[SamlProviderOut]
