"""The sidebar and the viewer's roles, for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.access.rules import actor_for
from tandem.notifications.inbox import inbox_already_worked_out
from tandem.site.navigation import sidebar_for, with_badges

# The sidebar is folded to icons when this cookie says so; the server reads it, so a page
# never opens wide and then folds (static/tandem/shell.js writes it).
NAV_COOKIE = "tandem_nav"


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    if actor is None:
        return {"nav_groups": [], "actor": None, "nav_folded": False, "nav_counts_known": False}
    groups = sidebar_for(actor, request.path)
    # A page that listed the inbox (home, the inbox) draws the badges itself; any other page
    # asks for them after it has shown (views.nav_counts).
    inbox = inbox_already_worked_out(request)
    return {
        "nav_groups": with_badges(groups, inbox) if inbox is not None else groups,
        "nav_counts_known": inbox is not None,
        "actor": actor,
        "nav_folded": request.COOKIES.get(NAV_COOKIE) == "folded",
    }
