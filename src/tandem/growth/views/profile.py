"""Growth pages: a person's competency profile (the person, their managers, HR admins)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from tandem.coach.markdown import render_markdown
from tandem.core import charts
from tandem.core.http import AuthedHttpRequest
from tandem.growth.queries import profile as queries
from tandem.growth.queries.profile import CompetencyRow


def expectation_html(text: str) -> SafeString:
    # One renderer for everything HR writes in Markdown (the coach's: sanitised).
    return render_markdown(text or "")


def profile_chart(rows: list[CompetencyRow], *, whose: str) -> charts.BarChart:
    """The manager's latest rating per competency, on the scale's length."""
    rated = [row for row in rows if row.manager is not None]
    maximum = max((row.scale_points or 0 for row in rated), default=0) or None
    below = [row.name for row in rated if row.gap and row.gap > 0]
    if not rated:
        summary = f"No manager rating of {whose} competencies yet."
    elif below:
        summary = (
            f"Manager ratings of {whose} {len(rated)} rated competencies; below what the level "
            f"expects: {', '.join(below)}."
        )
    else:
        summary = (
            f"Manager ratings of {whose} {len(rated)} rated competencies; none below what the "
            "level expects."
        )
    return charts.bar_chart(
        [
            charts.BarInput(
                key=row.key,
                label=row.name,
                value=row.manager or 0,
                display=f"{row.manager:g} of {row.scale_points}",
            )
            for row in rated
        ],
        sort="given",
        maximum=maximum,
        summary=summary,
    )


def gap_words(row: CompetencyRow) -> str:
    if row.gap is None:
        return "Not rated yet"
    if row.gap > 0:
        return f"{row.gap:g} below what the level expects"
    if row.gap < 0:
        return f"{-row.gap:g} above what the level expects"
    return "Where the level expects"


def profile_table(rows: list[CompetencyRow]) -> list[tuple[CompetencyRow, str, SafeString]]:
    """Each row with its gap in words and its expectation as safe HTML."""
    return [(row, gap_words(row), expectation_html(row.expected)) for row in rows]


def profile_context(request: AuthedHttpRequest, person: Any) -> dict[str, Any]:
    page = queries.profile_page(request.user, person)
    own = person.pk == request.user.pk
    return {
        "page": page,
        "own": own,
        "rows": profile_table(page.rows),
        "chart": profile_chart(page.rows, whose="your" if own else f"{person.display_name}'s"),
    }


@login_required
@require_GET
def person_profile(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    """A person's competency profile: expectations, latest ratings and gaps."""
    person = queries.person_for(request.user, person_id)
    return render(request, "growth/profile/profile.html", profile_context(request, person))


urlpatterns: list[URLPattern] = [
    path("growth/people/<int:person_id>/profile/", person_profile, name="person_profile"),
]
