"""The "Your goals" card on the home page and how key-result values read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from tandem.goals import amounts
from tandem.goals.queries import goals as queries

register = template.Library()


@register.inclusion_tag("goals/goal_home_card.html", takes_context=True)
def goals_home_card(context: dict[str, Any]) -> dict[str, Any]:
    return queries.home_card(context["user"])


@register.filter
def kr_number(value: Decimal | None) -> str:
    """A key result's value as plain digits: "2,400,000", "1.5"."""
    return "" if value is None else amounts.number(value)


@register.filter
def kr_amount(value: Decimal | None, unit: str = "") -> str:
    """A key result's value in its unit: "5 ms", "29%", "2,400,000 USD"."""
    return "" if value is None else amounts.amount(value, unit)


@register.filter
def kr_unit(key_result: Any) -> str:
    """A key result's unit; a percentage without one is in "%"."""
    return amounts.unit_of(key_result.kind, key_result.unit)
