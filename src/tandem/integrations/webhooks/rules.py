"""Who may see and do what with outgoing webhooks: IT admins set them up and read their log.

An endpoint's secret lets anyone forge events to the company's systems, and the log says
what happened to whom: both are for IT admins only, not HR and not managers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.integrations.webhooks.models import Delivery, Endpoint


@rule("webhook_endpoint.manage")
def _webhook_endpoint_manage(actor: Actor, obj: Any = None) -> bool:
    """Adding, changing, testing, rotating the secret of and deleting outgoing webhook
    endpoints, and redelivering their events: IT admins."""
    return actor.is_it_admin


@rule("webhook_delivery.view")
def _webhook_delivery_view(actor: Actor, obj: Any = None) -> bool:
    """The log of outgoing webhook deliveries: IT admins."""
    return actor.is_it_admin


@scope_for(Endpoint)
def scope_webhook_endpoints(actor: Actor, queryset: QuerySet[Endpoint]) -> QuerySet[Endpoint]:
    """Every outgoing webhook endpoint for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()


@scope_for(Delivery)
def scope_webhook_deliveries(actor: Actor, queryset: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """Every outgoing webhook delivery for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()
