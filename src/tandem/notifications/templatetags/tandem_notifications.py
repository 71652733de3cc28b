"""The notification bell in the page header: a link with the unread count.

One bounded COUNT per page at most: the count is kept on the request, so a view that has
already counted (the notifications page) or a second use of the tag costs nothing more."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from tandem.notifications import queries

register = template.Library()

_ATTR = "_tandem_unread_count"


def remember_unread_count(request: HttpRequest, count: int) -> None:
    setattr(request, _ATTR, count)


def unread_count_for(request: HttpRequest) -> int:
    count = getattr(request, _ATTR, None)
    if count is None:
        count = queries.unread_count(request.user)
        remember_unread_count(request, count)
    return count


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"show": False}
    count = unread_count_for(request)
    return {"show": True, "count": count, "capped": count >= queries.BELL_CAP}
