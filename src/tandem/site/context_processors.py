"""Role-aware navigation for the base layout."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from tandem.access.rules import actor_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    actor = actor_for(getattr(request, "user", None))
    if actor is None:
        return {"nav_items": [], "actor": None}
    items = [
        ("Home", reverse("home")),
        ("Inbox", reverse("notifications:inbox")),
        ("Goals", reverse("goals:mine")),
        ("People", reverse("org:directory")),
        ("Org chart", reverse("org:chart")),
        ("Company", reverse("org:company")),
        ("Program", reverse("program:detail")),
        *(("Feedback", reverse("feedback:mine")), ("Praise", reverse("feedback:praise_feed"))),
        ("1:1s", reverse("meetings:index")),
        ("Reviews", reverse("reviews:mine")),
    ]
    if actor.is_manager:
        items.append(("My team", reverse("org:team")))
    if actor.is_hr:
        items.append(("HR", reverse("org:hr_people")))
    if actor.is_hr_admin:
        items.append(("Review cycles", reverse("reviews:admin")))
        items.append(("Audit log", reverse("audit:log")))
    if actor.is_it_admin:
        items.append(("IT admin", reverse("access:it_tokens")))
    current = request.path
    # The longest matching link is the current one ("/reviews/admin/" over "/reviews/").
    matching = [
        url for _, url in items if current == url or (url != "/" and current.startswith(url))
    ]
    active = max(matching, key=len, default=None)
    nav = [{"label": label, "url": url, "active": url == active} for label, url in items]
    return {"nav_items": nav, "actor": actor}
