"""The sidebar and the viewer's roles, for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.access.rules import actor_for
from tandem.site.navigation import BADGED_LINKS, sidebar_for

# The sidebar is folded to icons when this cookie says so; the server reads it, so a page
# never opens wide and then folds (static/tandem/shell.js writes it).
NAV_COOKIE = "tandem_nav"


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    if actor is None:
        return {"nav_groups": [], "actor": None, "nav_folded": False, "badged_links": ()}
    return {
        "nav_groups": sidebar_for(actor, request.path),
        "actor": actor,
        "nav_folded": request.COOKIES.get(NAV_COOKIE) == "folded",
        "badged_links": BADGED_LINKS,
    }
