"""SCIM tokens over Tandem's API: IT admins list, issue and revoke them. Thin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from tandem.access.rules import require
from tandem.core.api import ERRORS, ErrorOut
from tandem.integrations.scim import queries, services
from tandem.integrations.scim.models import ScimToken
from tandem.integrations.scim.schemas import ScimTokenCreatedOut, ScimTokenIn, ScimTokenOut

router = Router(tags=["integrations"])


def token_out(token: ScimToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


@router.get(
    "/integrations/scim/tokens",
    response={200: list[ScimTokenOut], 404: ErrorOut, **ERRORS},
    summary="Live SCIM tokens with their last use (IT admins)",
)
def list_scim_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "scim_token.manage")
    return [token_out(t) for t in queries.tokens(request.user)]


@router.post(
    "/integrations/scim/tokens",
    response={201: ScimTokenCreatedOut, 404: ErrorOut, 422: ErrorOut, **ERRORS},
    summary="Issue a SCIM token; the answer holds the secret, shown once (IT admins)",
)
def create_scim_token(request: HttpRequest, payload: ScimTokenIn) -> Status[dict[str, Any]]:
    require(request.user, "scim_token.manage")
    token, raw = services.create_scim_token(name=payload.name, by=request.user)
    return Status(201, {**token_out(token), "token": raw})


@router.post(
    "/integrations/scim/tokens/{token_id}/revoke",
    response={200: ScimTokenOut, 404: ErrorOut, **ERRORS},
    summary="Revoke a SCIM token at once (IT admins)",
)
def revoke_scim_token(request: HttpRequest, token_id: int) -> dict[str, Any]:
    token = queries.token_for(request.user, token_id)
    return token_out(services.revoke_scim_token(token=token, by=request.user))
