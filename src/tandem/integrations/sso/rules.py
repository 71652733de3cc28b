"""Who may see and do what with single sign-on: IT admins set up the identity providers and
the SSO policy. Anyone (signed in or not) may *use* an enabled provider to sign in: that is
the sign-in page, not a right."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.integrations.sso.models import OidcProvider


@rule("sso.manage")
def _sso_manage(actor: Actor, obj: Any = None) -> bool:
    """Adding, changing, testing and deleting SSO providers, and the SSO policy: IT admins."""
    return actor.is_it_admin


@scope_for(OidcProvider)
def scope_oidc_providers(
    actor: Actor, queryset: QuerySet[OidcProvider], **_: Any
) -> QuerySet[OidcProvider]:
    """Every SSO provider for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()
