"""The "Your goals" card on the home page."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.goals.queries import goals as queries

register = template.Library()


@register.inclusion_tag("goals/goal_home_card.html", takes_context=True)
def goals_home_card(context: dict[str, Any]) -> dict[str, Any]:
    return queries.home_card(context["user"])
