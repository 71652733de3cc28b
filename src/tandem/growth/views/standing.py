"""Growth pages: "where do I stand" (/me/growth/), every employee's own."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from tandem.core.http import AuthedHttpRequest
from tandem.growth.queries.standing import standing
from tandem.growth.views.profile import expectation_html, profile_chart, profile_table


@login_required
@require_GET
def me(request: AuthedHttpRequest) -> HttpResponse:
    """Where I stand: my level and what it expects, my profile, goals, feedback, last review,
    plan, time at level and how promotions work here."""
    data = standing(request.user)
    return render(
        request,
        "growth/standing/me.html",
        {
            "s": data,
            "page": data.profile,
            "own": True,
            "rows": profile_table(data.profile.rows),
            "chart": profile_chart(data.profile.rows, whose="your"),
            "summary_html": expectation_html(data.level_summary),
            "scope_html": expectation_html(data.level_scope),
        },
    )


urlpatterns: list[URLPattern] = [
    path("me/growth/", me, name="me"),
]
