"""Who may see and do what with integrations: IT admins set them up and read their logs.

Chat webhooks are secrets that let anyone post to a company channel, and their delivery log
names who was notified of what: both are for IT admins only, not HR and not managers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tandem.access.rules import Actor, rule, scope_for
from tandem.integrations.models import ChatDelivery, ChatWebhook


@rule("chat_webhook.manage")
def _chat_webhook_manage(actor: Actor, obj: Any = None) -> bool:
    """Adding, changing, testing and deleting chat webhooks: IT admins."""
    return actor.is_it_admin


@rule("chat_delivery.view")
def _chat_delivery_view(actor: Actor, obj: Any = None) -> bool:
    """The log of chat deliveries: IT admins."""
    return actor.is_it_admin


@rule("it_overview.view")
def _it_overview_view(actor: Actor, obj: Any = None) -> bool:
    """The IT page, the state of every integration (counts and times, no people data):
    IT admins."""
    return actor.is_it_admin


@scope_for(ChatWebhook)
def scope_chat_webhooks(actor: Actor, queryset: QuerySet[ChatWebhook]) -> QuerySet[ChatWebhook]:
    """Every chat webhook for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()


@scope_for(ChatDelivery)
def scope_chat_deliveries(actor: Actor, queryset: QuerySet[ChatDelivery]) -> QuerySet[ChatDelivery]:
    """Every chat delivery for IT admins; none for anyone else."""
    return queryset if actor.is_it_admin else queryset.none()
