"""SAML sign-in over the API: IT admins read Tandem's SP addresses and the identity
providers (set up on /it/saml/). Thin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.core.api import ERRORS, ErrorOut
from tandem.integrations.saml import queries, sp
from tandem.integrations.saml.models import IdentityProvider
from tandem.integrations.saml.schemas import SamlProviderOut, SamlServiceProviderOut

router = Router(tags=["integrations"])


def provider_out(provider: IdentityProvider) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "name": provider.name,
        "entity_id": provider.entity_id,
        "metadata_url": provider.metadata_url,
        "email_attribute": provider.email_attribute,
        "allowed_domains": provider.domains,
        "enabled": provider.enabled,
        "created_at": provider.created_at,
    }


@router.get(
    "/integrations/saml",
    response={200: SamlServiceProviderOut, 404: ErrorOut, **ERRORS},
    summary="SAML sign-in: Tandem's addresses and the identity providers (IT admins)",
)
def get_saml_setup(request: HttpRequest) -> dict[str, Any]:
    require(request.user, "saml_provider.manage")
    return {
        "entity_id": sp.entity_id(),
        "acs_url": sp.acs_url(),
        "providers": [provider_out(p) for p in queries.providers(request.user)],
    }


@router.get(
    "/integrations/saml/providers/{provider_id}",
    response={200: SamlProviderOut, 404: ErrorOut, **ERRORS},
    summary="One SAML identity provider (IT admins)",
)
def get_saml_provider(request: HttpRequest, provider_id: int) -> dict[str, Any]:
    return provider_out(queries.provider_for(request.user, provider_id))
