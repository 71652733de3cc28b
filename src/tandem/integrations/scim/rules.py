"""Who may manage SCIM provisioning: IT admins, who issue and revoke its tokens.

The SCIM endpoint itself is not for people: it answers only SCIM tokens, never a session
or a personal API token, and acts as the system (like the HRIS import run from the command
line) through org's services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.integrations.scim.models import ScimToken


@rule("scim_token.manage")
def _scim_token_manage(actor: Actor, obj: Any = None) -> bool:
    """Issuing, listing and revoking SCIM tokens: IT admins."""
    return actor.is_it_admin


@scope_for(ScimToken)
def scope_scim_tokens(actor: Actor, queryset: QuerySet[ScimToken]) -> QuerySet[ScimToken]:
    """Every SCIM token for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()
