"""Who may set up SAML sign-in: IT admins only. The identity providers decide who can sign
in to Tandem, so neither HR nor managers may change them (or read their attempts log)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.integrations.saml.models import IdentityProvider


@rule("saml_provider.manage")
def _saml_provider_manage(actor: Actor, obj: Any = None) -> bool:
    """Adding, changing and removing SAML identity providers: IT admins."""
    return actor.is_it_admin


@scope_for(IdentityProvider)
def scope_identity_providers(
    actor: Actor, queryset: QuerySet[IdentityProvider]
) -> QuerySet[IdentityProvider]:
    """Every SAML identity provider for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()
