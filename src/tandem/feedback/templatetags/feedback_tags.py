"""The feedback card on the home page."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.feedback import queries

register = template.Library()


@register.inclusion_tag("feedback/_home_card.html", takes_context=True)
def feedback_home_card(context: dict[str, Any]) -> dict[str, Any]:
    user = context["user"]
    return {"user": user, "actor": context.get("actor"), **queries.home_summary(user)}
