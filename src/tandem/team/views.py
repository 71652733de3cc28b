"""The team hub's pages: parse, ask `queries`, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tandem.access.rules import require
from tandem.coach.queries import playbooks as playbook_queries
from tandem.core.http import AuthedHttpRequest
from tandem.team import queries


@login_required
def hub(request: AuthedHttpRequest) -> HttpResponse:
    """My team: each direct report (or, with `?view=all`, everyone below me, 50 at a time)
    with their figures and flags: the most flagged first across the whole team, or with
    `?sort=name` in name order."""
    require(request.user, "team.view")
    subtree = request.GET.get("view") == "all"
    cursor = request.GET.get("cursor") or None
    sort = "name" if request.GET.get("sort") == "name" else "flags"
    error = None
    try:
        page = queries.hub_page(
            request.user, manager=request.user, subtree=subtree, cursor=cursor, sort=sort
        )
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.hub_page(request.user, manager=request.user, subtree=subtree, sort=sort)
    return render(
        request,
        "team/hub.html",
        {
            "page": page,
            "cursor_error": error,
            "is_later_page": bool(cursor) and error is None,
            "view_query": ("view=all&" if subtree else "")
            + ("sort=name&" if sort == "name" else ""),
            "sort_query": "sort=name&" if sort == "name" else "",
            # A new manager's next playbook (coach/queries/playbooks.py says who is new).
            "playbook_suggestion": playbook_queries.hub_suggestion(request.user),
        },
    )


@login_required
def person(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    """One person's hub page for their manager chain and HR: the same figures in detail and
    the last 90 days."""
    subject = queries.person_for(request.user, person_id)
    detail = queries.person_detail(request.user, subject)
    return render(request, "team/person.html", {"person": subject, "detail": detail})
