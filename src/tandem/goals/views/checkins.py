"""Pages for check-ins: a goal's check-in form, the weekly check-in section, my team's goals.

Thin: parse with a form, call a service, render. Anything the viewer may not see or do is
a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tandem.access.rules import can, require
from tandem.core.http import AuthedHttpRequest
from tandem.goals.forms.checkins import CheckInForm, WeeklyForm
from tandem.goals.models import Milestone
from tandem.goals.queries import checkins as queries
from tandem.goals.queries.goals import goal_for
from tandem.goals.services.checkins import post_checkin, refuse_if_closed, save_weekly_checkin


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    """Post a check-in on a goal: its owner, or a manager above them."""
    goal = goal_for(request.user, goal_id)
    if not can(request.user, "goal.edit", goal):
        raise Http404("No such goal")
    key_results = list(goal.key_results.all())
    milestones = list(
        Milestone.objects.filter(key_result__goal=goal).order_by("key_result", "position", "id")
    )
    closed_reason = ""
    try:
        refuse_if_closed(goal)
    except ValidationError as error:
        closed_reason = " ".join(error.messages)
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        goal=goal,
        key_results=key_results,
        milestones=milestones,
    )
    if request.method == "POST" and form.is_valid():
        try:
            post_checkin(goal=goal, by=request.user, **form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Check-in saved.")
            return redirect("goals:detail", goal_id=goal.pk)
    return render(
        request,
        "goals/checkin.html",
        {
            "goal": goal,
            "form": form,
            "closed_reason": closed_reason,
            "recent": queries.latest_checkins(goal),
            "progress_percent": queries.as_percent(goal.progress),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def weekly(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in person's weekly check-in. htmx gets the section alone (it is loaded into
    "My goals"); a plain request gets it as a page of its own."""
    person = request.user
    require(person, "goal.weekly_view", person)
    week_start = queries.week_start_of(timezone.localdate())
    week = queries.week_for(person, person, week_start)
    form = WeeklyForm(
        request.POST if request.method == "POST" else None,
        goals=week.goals,
        priorities=week.priorities,
        last_week=week.last_week,
        carried_ids=week.carried_ids,
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        arguments, rows = form.service_arguments()
        if form.is_valid():  # a goal chosen for a row with no title adds an error
            try:
                save_weekly_checkin(person=person, by=person, week_start=week_start, **arguments)
            except ValidationError as error:
                form.add_service_errors(error, rows)
            else:
                if not request.htmx:
                    messages.success(request, "Your weekly check-in is saved.")
                    return redirect("goals:weekly")
                saved = True
                week = queries.week_for(person, person, week_start)
                form = WeeklyForm(
                    goals=week.goals,
                    priorities=week.priorities,
                    last_week=week.last_week,
                    carried_ids=week.carried_ids,
                )
    context = {"week": week, "form": form, "saved": saved}
    template = "goals/weekly_section.html" if request.htmx else "goals/weekly.html"
    return render(request, template, context)


@login_required
def team(request: AuthedHttpRequest) -> HttpResponse:
    """My team's goals: each report's goals this period with progress, health and last
    check-in; goals 3+ weeks without a check-in flagged. Managers only."""
    require(request.user, "team.view")
    can_see_all = queries.manages_managers(request.user)
    whole_org = can_see_all and request.GET.get("scope") == "all"
    period_id = request.GET.get("period", "")
    period = queries.team_period(int(period_id) if period_id.isdigit() else None)
    cursor = request.GET.get("cursor") or None
    cursor_error = ""
    try:
        page = queries.team_goals(request.user, period=period, whole_org=whole_org, cursor=cursor)
    except queries.BadCursor as bad:
        cursor_error = str(bad)
        page = queries.team_goals(request.user, period=period, whole_org=whole_org)
    base = {"scope": "all"} if whole_org else {}
    if period is not None:
        base["period"] = str(period.pk)
    params = "&".join(f"{k}={v}" for k, v in base.items())
    next_query = f"{params}&cursor={page.next_cursor}" if page.next_cursor else ""
    return render(
        request,
        "goals/team.html",
        {
            "page": page,
            "period": period,
            "periods": queries.recent_periods(),
            "whole_org": whole_org,
            "can_see_all": can_see_all,
            "next_query": next_query.lstrip("&"),
            "first_query": params,
            "is_later_page": bool(cursor) and not cursor_error,
            "cursor_error": cursor_error,
            "company_url": reverse("goals:company"),
        },
    )
