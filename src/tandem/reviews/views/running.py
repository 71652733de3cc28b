"""Running a cycle: my reviews, the cycles I follow, a cycle's progress, the overdue list
and the one-click reminder. Thin: `queries.progress` reads, `services.reminders` writes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import can
from tandem.core import charts
from tandem.core.http import AuthedHttpRequest
from tandem.reviews.models import Relationship
from tandem.reviews.phases import current_phase, phases_of, refusal
from tandem.reviews.queries import progress as queries
from tandem.reviews.services import reminders as reminder_service


@login_required
@require_GET
def mine(request: AuthedHttpRequest) -> HttpResponse:
    """The reviews I write — to do now, coming up, and a paged, read-only history — and
    the ones about me."""
    cursor_error = ""
    try:
        after = queries.history_cursor(request.GET.get("history"))
    except queries.BadCursor as bad:
        cursor_error, after = str(bad), None
    reviews = queries.my_reviews(request.user, history_after=after)
    context = {
        "reviews": reviews,
        "cursor_error": cursor_error,
        "is_later_page": after is not None,
        "next_query": urlencode({"history": reviews.history_next}) if reviews.history_next else "",
    }
    return render(request, "reviews/running/mine.html", context)


@login_required
@require_GET
def cycles(request: AuthedHttpRequest) -> HttpResponse:
    """The launched cycles I take part in or follow, with links to their progress."""
    rows = []
    for cycle in queries.cycles_to_follow(request.user).prefetch_related("phases")[:100]:
        rows.append(
            {
                "cycle": cycle,
                "current": current_phase(cycle),
                "can_follow": can(request.user, "cycle.progress", cycle),
            }
        )
    return render(request, "reviews/running/cycles.html", {"rows": rows})


def _page_links(request: AuthedHttpRequest, cursor: str | None, **keep: str) -> dict[str, str]:
    base = {k: v for k, v in keep.items() if v}
    return {
        "next_query": urlencode({**base, "cursor": cursor}) if cursor else "",
        "first_query": urlencode(base),
    }


@login_required
@require_GET
def cycle(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """A cycle's progress: by phase, by department, by manager (paged), deadlines, exports
    and the one-click reminder. HR sees what they cover; a manager their subtree."""
    found = queries.cycle_for(request.user, cycle_id)
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        managers = queries.by_manager(request.user, found, cursor=cursor)
    except queries.BadCursor as bad:
        cursor_error, cursor = str(bad), None
        managers = queries.by_manager(request.user, found)
    progress, departments = queries.completion_and_departments(request.user, found)
    remindable = {p.kind for p in queries.remindable_phases(found)}
    context: dict[str, Any] = {
        "cycle": found,
        "progress": progress,
        "phases": sorted(phases_of(found).values(), key=lambda p: (p.opens_on, p.pk)),
        "departments": departments,
        "managers": managers,
        "cursor_error": cursor_error,
        "is_later_page": bool(cursor),
        "remindable": remindable,
        "can_export_results": can(request.user, "cycle.export_results", found),
        "can_manage": can(request.user, "reviews.manage", found),
        **_page_links(request, managers.next_cursor),
    }
    if context["can_manage"]:
        context.update(_calibration_context(found))
    context.update(_completion_charts(request, progress, departments))
    return render(request, "reviews/running/cycle.html", context)


def _calibration_context(cycle: Any) -> dict[str, Any]:
    """For HR: whether "share all now" would be refused (then the page says why instead of
    offering it), how many submitted reviews an open calibration session holds back, and
    the way to the cycle's calibration sessions."""
    return {
        "release_refusal": refusal(cycle, "review.release") or "",
        "held_back": queries.held_back_by_calibration(cycle),
        "calibration_url": _calibration_url(cycle),
    }


def _calibration_url(cycle: Any) -> str:
    # The calibration app (a layer above) owns the page; reviews only names its URL.
    return reverse("calibration:cycle", kwargs={"cycle_id": cycle.pk})


DEPARTMENT_SORTS = ("name", "value")


def _completion_charts(
    request: AuthedHttpRequest, progress: queries.Progress, departments: list[queries.GroupFigure]
) -> dict[str, Any]:
    """Completion by phase (done, in progress, not started) and by department (done, not
    done) as stacked bars, each bar its own 100%. A phase whose counts are hidden (anonymous
    upward reviews while open) draws no bar: the table says why."""
    shown = [f for f in progress.phases if not f.counts_hidden and f.total]
    phase_chart = charts.bar_chart(
        [
            charts.BarInput(
                key=f.key,
                label=f.label,
                parts=(f.done, f.in_progress, f.not_started),
                display=f"{f.percent}%",
            )
            for f in shown
        ],
        sort="given",
        series=("Done", "In progress", "Not started"),
        normalize=True,
        summary=_completion_summary(
            "Completion by phase", [(f.label, f.done, f.total) for f in shown]
        ),
    )
    sort = request.GET.get("sort")
    sort = sort if sort in DEPARTMENT_SORTS else "name"
    counted = [row for row in departments if row.total]
    department_chart = charts.bar_chart(
        [
            charts.BarInput(
                key=str(row.key),
                label=row.name,
                parts=(row.done, row.total - row.done),
                display=f"{row.percent}%",
            )
            for row in counted
        ],
        sort=sort,
        series=("Done", "Not done yet"),
        series_classes=("series-0", "series-2"),  # the phases' colours for done and not started
        normalize=True,
        summary=_completion_summary(
            "Completion by department", [(r.name, r.done, r.total) for r in counted]
        ),
    )
    order = {bar.key: index for index, bar in enumerate(department_chart.bars)}
    params = request.GET.copy()
    params.pop("cursor", None)
    return {
        "phase_chart": phase_chart,
        "department_chart": department_chart,
        "departments": sorted(departments, key=lambda r: order.get(str(r.key), len(order))),
        "department_sort_links": charts.sort_links(params, sort, keys=DEPARTMENT_SORTS),
    }


def _completion_summary(what: str, rows: list[tuple[str, int, int]]) -> str:
    if not rows:
        return f"{what}: nothing to count yet."
    done = sum(d for _, d, _ in rows)
    total = sum(t for _, _, t in rows)
    lowest = min(rows, key=lambda r: (r[1] / r[2], r[0]))
    return (
        f"{what}: {done} of {total} reviews done in all; the least done is {lowest[0]}, "
        f"{lowest[1]} of {lowest[2]}."
    )


class OverdueFilter(forms.Form):
    relationship = forms.ChoiceField(
        choices=[("", "Every kind of review"), *Relationship.choices],
        required=False,
        label="Kind of review",
    )


@login_required
@require_GET
def overdue(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """Open reviews whose phase closed, by reviewer, with how many days late (paged)."""
    found = queries.cycle_for(request.user, cycle_id)
    form = OverdueFilter(request.GET)
    relationship = form.cleaned_data["relationship"] if form.is_valid() else ""
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        page = queries.overdue_reviews(
            request.user, found, cursor=cursor, relationship=relationship or None
        )
    except queries.BadCursor as bad:
        cursor_error, cursor = str(bad), None
        page = queries.overdue_reviews(request.user, found, relationship=relationship or None)
    context = {
        "cycle": found,
        "page": page,
        "form": form,
        "cursor_error": cursor_error,
        "is_later_page": bool(cursor),
        **_page_links(request, page.next_cursor, relationship=relationship),
    }
    return render(request, "reviews/running/overdue.html", context)


class RemindForm(forms.Form):
    phase = forms.ChoiceField(
        choices=[
            ("", "Every open phase"),
            *((str(k), str(k)) for k in queries.REMINDABLE_PHASES),
        ],
        required=False,
        label="Phase",
    )


@login_required
@require_POST
def remind(request: AuthedHttpRequest, cycle_id: int) -> HttpResponse:
    """One click: everyone with something open (in the phase chosen) gets one reminder,
    sent in the background."""
    found = queries.cycle_for(request.user, cycle_id)
    form = RemindForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Phase: choose one of the cycle's phases.")
        return redirect("reviews:cycle", cycle_id=found.pk)
    phase = form.cleaned_data["phase"] or None
    try:
        reminder_service.queue_reminders(found, by=request.user, phase=phase)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Reminders are on their way: everyone with something open gets one message "
            "listing what waits for them.",
        )
    return redirect("reviews:cycle", cycle_id=found.pk)
