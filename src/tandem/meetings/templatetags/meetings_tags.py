"""The 1:1s card on the home page."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.meetings import queries

register = template.Library()


@register.inclusion_tag("meetings/_home_card.html", takes_context=True)
def meetings_home_card(context: dict[str, Any]) -> dict[str, Any]:
    user = context["user"]
    return {"user": user, "actor": context.get("actor"), "meetings": queries.next_meetings(user)}
