"""Single sign-on over the API: IT admins read the providers and the policy (for audits and
configuration-as-code checks). Changes are made on the IT page. Thin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.core.api import ERRORS, ErrorOut
from tandem.integrations.sso import queries
from tandem.integrations.sso.schemas import OidcProviderOut, SsoPolicyOut

router = Router(tags=["integrations"])


@router.get(
    "/integrations/sso/providers",
    response={200: list[OidcProviderOut], 404: ErrorOut, **ERRORS},
    summary="OIDC single sign-on providers (IT admins)",
)
def list_sso_providers(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "sso.manage")
    return [
        {
            "id": p.pk,
            "name": p.name,
            "issuer": p.issuer,
            "client_id": p.client_id,
            "secret_ending": p.secret_hint,
            "scopes": p.scope_list,
            "email_claim": p.email_claim,
            "allowed_domains": p.domains,
            "enabled": p.enabled,
            "created_at": p.created_at,
        }
        for p in queries.providers(request.user)
    ]


@router.get(
    "/integrations/sso/policy",
    response={200: SsoPolicyOut, 404: ErrorOut, **ERRORS},
    summary="The single sign-on policy (IT admins)",
)
def get_sso_policy(request: HttpRequest) -> dict[str, Any]:
    require(request.user, "sso.manage")
    policy = queries.policy()
    return {
        "require_sso": policy.require_sso,
        "break_glass_email": policy.break_glass.email if policy.break_glass else None,
        "just_in_time": policy.just_in_time,
    }
