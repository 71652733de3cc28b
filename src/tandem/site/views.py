"""The home page, one per role, and the sidebar's counts of things waiting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.rules import actor_for, preview_user, require
from tandem.core.http import AuthedHttpRequest
from tandem.feedback import views as feedback_views
from tandem.notifications.inbox import inbox_for_request
from tandem.program import views as program_views
from tandem.site import queries, services, view_as
from tandem.site.forms import ViewAsForm
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


# --- "View as": HR admins preview what someone sees (site/view_as.py) ----------------------


@login_required
@require_http_methods(["GET", "POST"])
def view_as_index(request: AuthedHttpRequest) -> HttpResponse:
    """Pick whose view (a role's sample person, or a person) and which page. The choice is
    posted, so a name typed never lands in an address; the preview itself is a GET."""
    require(request.user, "people.view_as")
    form = ViewAsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["chosen"]
        return redirect("site:view_as_page", chosen.pk, form.cleaned_data["page"])
    status = 400 if request.method == "POST" else 200
    return render(request, "site/view_as/index.html", {"form": form}, status=status)


def _render_page(request: AuthedHttpRequest, user: Any, page: str) -> HttpResponse:
    kind, _, rest = page.partition("-")
    if page == "home":
        return view_as.render_as(request, user, view=home, path=reverse("home"))
    if page == "program":
        return view_as.render_as(
            request, user, view=program_views.detail, path=reverse("program:detail")
        )
    if kind == "feedback":
        query = f"visibility={rest}" + (f"&to={user.manager_id}" if user.manager_id else "")
        return view_as.render_as(
            request, user, view=feedback_views.give, path=reverse("feedback:give"), query=query
        )
    return view_as.render_as(
        request, user, view=view_as.review_form_view, path=request.path, kwargs={"phase": rest}
    )


@login_required
@require_GET
def view_as_page(request: AuthedHttpRequest, person_id: int, page: str) -> HttpResponse:
    """One page as the person sees it — their top bar, menu and page — minus what HR may
    not read; read-only, bannered, audited (site/view_as.py)."""
    person, roles, manages_anyone = queries.person_to_preview(request.user, person_id)
    if page not in view_as.PAGE_KEYS:
        raise Http404("No such page.")
    user = preview_user(person, request.user, roles=roles, is_manager=manages_anyone)
    try:
        inner = _render_page(request, user, page)
    except Http404:
        inner = HttpResponse(status=404)
    urls = view_as.page_urls(person)
    banner = render_to_string(
        "site/view_as/_banner.html",
        {
            "person": person,
            "role": view_as.role_label(user),
            "page": view_as.PAGE_KEYS[page],
            "pages": [{**vars(p), "url": urls[p.key]} for p in view_as.PAGES],
            "shown": inner.status_code == 200,
        },
    )
    if inner.status_code == 200:
        html = view_as.read_only(
            inner.content.decode(),
            action=urls[page],
            links=view_as.preview_links(person, urls),
            banner=banner,
        )
    else:
        html = render_to_string(
            "site/view_as/unavailable.html", {"banner": banner}, request=request
        )
    if view_as.needs_record(request.user.pk, person.pk, page):
        services.record_preview(by=request.user, person=person, page=page)
        view_as.remember_record(request.user.pk, person.pk, page)
    return HttpResponse(html)
