"""The sidebar and the viewer's roles, for the base layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from tandem.access.rules import actor_for
from tandem.notifications.inbox import inbox_already_worked_out
from tandem.site.navigation import NavGroup, sidebar_for, sidebar_html, with_badges

# The sidebar is folded to icons when this cookie says so; the server reads it, so a page
# never opens wide and then folds (static/tandem/shell.js writes it).
NAV_COOKIE = "tandem_nav"


@dataclass(frozen=True)
class Sidebar:
    """The sidebar's markup, rendered only when a template prints it (htmx fragments never
    do) and then from navigation's cache."""

    groups: tuple[NavGroup, ...]
    counts_known: bool
    folded: bool

    def __html__(self) -> str:
        return sidebar_html(self.groups, self.counts_known, self.folded)

    def __str__(self) -> str:
        return self.__html__()


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    if actor is None:
        return {"nav_groups": (), "actor": None, "nav_folded": False}
    groups = sidebar_for(actor, request.path)
    # A page that listed the inbox (home, the inbox) draws the badges itself; any other page
    # asks for them after it has shown (views.nav_counts).
    inbox = inbox_already_worked_out(request)
    if inbox is not None:
        groups = with_badges(groups, inbox)
    folded = request.COOKIES.get(NAV_COOKIE) == "folded"
    return {
        "nav_groups": groups,
        "nav_folded": folded,
        "nav_sidebar": Sidebar(groups, inbox is not None, folded),
        "actor": actor,
    }
