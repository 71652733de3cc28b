"""The home page, one per role, and the sidebar's counts of things waiting."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.rules import actor_for
from tandem.notifications.inbox import inbox_for_request
from tandem.site import queries
from tandem.site.navigation import badges_for, sidebar_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", queries.home_context(request))


@login_required
@require_GET
def nav_counts(request: HttpRequest) -> HttpResponse:
    """The sidebar's badges, for a page that did not work out the inbox itself: fetched
    after the page has shown (htmx, out-of-band swaps), so no page waits for every
    feature's inbox provider."""
    actor = actor_for(request.user)
    assert actor is not None  # signed in
    groups = sidebar_for(actor, request.path)
    badges = badges_for(groups, inbox_for_request(request))
    return render(request, "site/_nav_counts.html", {"badges": badges})


@login_required
@require_GET
def design(request: HttpRequest) -> HttpResponse:
    """The design system's components on one page, for developers (docs/design.md): shown
    when DEBUG is on, and to IT admins on a running installation; a 404 to anyone else."""
    actor = actor_for(request.user)
    if not (settings.DEBUG or (actor is not None and actor.is_it_admin)):
        raise Http404("No such page.")
    return render(request, "site/design.html", {"swatches": SWATCHES})


# The colour pairs the design page shows: class (tandem.css, "Design page"), text token,
# background token, what the pair is for.
SWATCHES = (
    ("sw-ink", "--ink", "--card", "Text"),
    ("sw-muted", "--muted", "--card", "Secondary text"),
    ("sw-accent", "--accent", "--card", "Links, primary buttons"),
    ("sw-ok", "--ok", "--ok-soft", "Done, on track"),
    ("sw-warn", "--warn", "--warn-soft", "At risk, waiting"),
    ("sw-bad", "--bad", "--bad-soft", "Errors, off track, overdue"),
    ("sw-neutral", "--ink", "--neutral-soft", "Neutral pills"),
    ("sw-highlight", "--ink", "--accent-soft", "Current page, highlights"),
)
