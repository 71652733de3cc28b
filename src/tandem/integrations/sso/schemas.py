"""The API shapes of single sign-on. The client secret goes nowhere near the API: answers
carry only its last four characters."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class OidcProviderOut(Schema):
    id: int
    name: str
    issuer: str
    client_id: str
    secret_ending: str
    scopes: list[str]
    email_claim: str
    allowed_domains: list[str]
    enabled: bool
    created_at: datetime


class SsoPolicyOut(Schema):
    require_sso: bool
    break_glass_email: str | None
    just_in_time: bool
