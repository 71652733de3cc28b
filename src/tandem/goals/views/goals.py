"""Goal pages: my goals, company goals, the goal page, forms to create, edit, close and
bulk-assign goals, and the periods page. Thin: parse, call a service or a query, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.access.rules import actor_for, can, require, scope
from tandem.core import charts
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.goals import coverage as coverage_queries
from tandem.goals import scoring
from tandem.goals.forms.goals import (
    BulkAssignForm,
    CloseForm,
    CommentForm,
    GoalEditForm,
    GoalForm,
    GoalPickFilterForm,
    KeyResultFields,
    KeyResultForm,
    PeriodForm,
    open_periods,
)
from tandem.goals.models import CheckIn, Goal, GoalLevel, KeyResultKind, Milestone, Period
from tandem.goals.queries import goals as queries
from tandem.goals.services import goals as services
from tandem.goals.services import periods as period_services
from tandem.org.models import Company, Person, PersonStatus
from tandem.program.models import Program


def _period_now(request: AuthedHttpRequest) -> Period | None:
    """The period asked for (?period=id), else the current one, else the latest that has
    started. A page never creates periods (a GET writes nothing): the daily run of `tandem
    send-reminders` keeps the current and the next period in place, and HR admins can
    create them on the Periods page."""
    raw = request.GET.get("period", "")
    if raw.isdigit():
        chosen = queries.period_for(int(raw))
        if chosen is not None:
            return chosen
    return queries.current_period() or queries.latest_period()


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _is_manager(user: Any) -> bool:
    actor = actor_for(user)
    return actor is not None and actor.is_manager


def _levels_for(user: Any) -> list[str]:
    levels: list[str] = []
    if can(user, "goal.create_company"):
        levels.append(GoalLevel.COMPANY)
    if can(user, "goal.create_team", getattr(user, "department", None)):
        levels.append(GoalLevel.TEAM)
    levels.append(GoalLevel.INDIVIDUAL)
    return levels


@login_required
def my_goals(request: AuthedHttpRequest) -> HttpResponse:
    period = _period_now(request)
    goals = list(queries.my_goals(request.user, period))
    company_goals = [] if goals else list(queries.company_goals(request.user, period)[:10])
    return render(
        request,
        "goals/my_goals.html",
        {
            "period": period,
            "goals": goals,
            "company_goals": company_goals,
            "periods": queries.periods()[:12],
            "weekly_url": _url_or_empty("goals:weekly"),
            "team_url": _url_or_empty("goals:team") if _is_manager(request.user) else "",
            "tree_url": _url_or_empty("goals:tree"),
        },
    )


@login_required
def company(request: AuthedHttpRequest) -> HttpResponse:
    period = _period_now(request)
    churn = queries.churn_by_department(period)
    sort = charts.bar_sort(request.GET.get("sort"))
    churn_chart, churn = _churn_chart(churn, sort)
    return render(
        request,
        "goals/company.html",
        {
            "company": Company.current(),
            "period": period,
            "goals": list(queries.company_goals(request.user, period)[:100]),
            "churn": churn,
            "churn_chart": churn_chart,
            "sort_links": charts.sort_links(request.GET, sort),
            "periods": queries.periods()[:12],
            "can_create": can(request.user, "goal.create_company"),
            "tree_url": _url_or_empty("goals:tree"),
            "coverage_url": (
                _url_or_empty("goals:coverage")
                if coverage_queries.can_see_coverage(request.user)
                else ""
            ),
        },
    )


def _churn_chart(
    rows: list[dict[str, Any]], sort: str
) -> tuple[charts.BarChart, list[dict[str, Any]]]:
    """Changes per goal by department as bars; the table's rows in the chart's order, each
    with its indentation under the parent department shown above it."""
    chart = charts.bar_chart(
        [
            charts.BarInput(
                key=str(row["department_id"]),
                label=row["department"],
                value=row["per_goal"],
                display=str(row["per_goal"]),
                path=row["path"],
            )
            for row in rows
        ],
        sort=sort,
        summary=_churn_summary(rows),
    )
    by_key = {str(row["department_id"]): row for row in rows}
    return chart, [{**by_key[bar.key], "depth": bar.depth} for bar in chart.bars]


def _churn_summary(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "No goals in this period, so no churn."
    worst = max(rows, key=lambda row: (row["per_goal"], row["department"]))
    changes = sum(row["churn"] for row in rows)
    return (
        f"Goal churn in {len(rows)} department{'s' if len(rows) != 1 else ''}: {changes} "
        f"change{'s' if changes != 1 else ''} after the start in all; the most per goal in "
        f"{worst['department']}, {worst['per_goal']} per goal."
    )


def _owner_from(request: AuthedHttpRequest) -> Person:
    raw = request.GET.get("owner") or request.POST.get("owner") or ""
    if raw.isdigit() and int(raw) != request.user.pk:
        person = (
            scope(request.user, Person.objects.filter(pk=int(raw)))
            .exclude(status=PersonStatus.LEFT)
            .first()
        )
        if person is None:
            raise Http404("No such person")
        return person
    return request.user


def _parent_from(request: AuthedHttpRequest) -> Goal | None:
    raw = request.GET.get("parent", "")
    if not raw.isdigit():
        return None
    return queries.visible_goals(request.user).filter(pk=int(raw)).first()


def _with_period_opened(request: AuthedHttpRequest) -> QueryDict:
    """The posted goal, with the current period when the form offered none: a company that
    has not had its first nightly run yet can still write its first goal (saving is a
    write, so it may open the period a page view never does)."""
    data = request.POST.copy()
    if not data.get("period") and not open_periods().exists():
        current, _following = period_services.ensure_periods()
        data["period"] = str(current.pk)
    return data


@login_required
def create(request: AuthedHttpRequest) -> HttpResponse:
    owner = _owner_from(request)
    levels = _levels_for(request.user) if owner.pk == request.user.pk else [GoalLevel.INDIVIDUAL]
    if owner.pk != request.user.pk:
        require(request.user, "goal.create_for", owner)
    keep = _parent_from(request)
    wanted = request.GET.get("level", "")
    initial: dict[str, Any] = {
        "level": wanted if wanted in levels else levels[-1],
        "period": queries.current_period() or _period_now(request),
        "department": request.user.department_id,
    }
    if keep is not None:
        initial["parent"] = keep.pk
    form = GoalForm(
        _with_period_opened(request) if request.method == "POST" else None,
        user=request.user,
        levels=levels,
        keep_parent=keep,
        initial=initial,
    )
    kr_form = KeyResultFields(request.POST or None, prefix="kr")
    if request.method == "POST" and form.is_valid() and kr_form.is_valid():
        data = form.cleaned_data
        key_results = [kr_form.spec()] if kr_form.cleaned_data["title"] else []
        try:
            goal = services.create_goal(
                by=request.user,
                title=data["title"],
                level=data["level"],
                owner=owner,
                period=data["period"],
                parent=data["parent"],
                department=data["department"],
                description=data["description"],
                visibility=data["visibility"],
                manual_progress=data["manual_progress"],
                key_results=key_results,
            )
        except ValidationError as error:
            _apply_goal_errors(form, kr_form, error)
        else:
            messages.success(request, f"Goal “{goal.title}” created.")
            return redirect("goals:detail", goal_id=goal.pk)
    return render(
        request,
        "goals/goal_form.html",
        {"form": form, "kr_form": kr_form, "owner": owner, "editing": None},
    )


def _apply_goal_errors(form: GoalForm, kr_form: KeyResultFields, error: ValidationError) -> None:
    goal_fields = set(form.fields)
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            for message in field_messages:
                if field in goal_fields and field != "title":
                    form.add_error(field, message)
                elif field in kr_form.fields:
                    kr_form.add_error(field, message)
                else:
                    form.add_error(field if field in goal_fields else None, message)
    else:
        show_errors(form, error)


def _goal_for_edit(request: AuthedHttpRequest, goal_id: int) -> Goal:
    goal = queries.goal_for(request.user, goal_id)
    require(request.user, "goal.edit", goal)
    return goal


@login_required
def detail(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = queries.goal_for(request.user, goal_id)
    children = queries.alignment_down(request.user, goal, cursor=request.GET.get("after"))
    if request.htmx and request.GET.get("after"):
        return render(request, "goals/goal_children.html", {"goal": goal, "children": children})
    key_results = list(
        goal.key_results.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))
        )
    )
    scale = Program.current().goal_scoring_scale
    can_edit = can(request.user, "goal.edit", goal)
    checkins = queries.checkins_for(goal)
    return render(
        request,
        "goals/goal_detail.html",
        {
            "goal": goal,
            "key_results": key_results,
            "chain": queries.alignment_up(request.user, goal),
            "children": children,
            "checkins": checkins,
            "progress_chart": _progress_chart(goal, checkins),
            "timeline": queries.timeline(request.user, goal),
            "comments": queries.comments_for(request.user, goal),
            "comment_form": CommentForm(),
            "can_edit": can_edit,
            "is_open": goal.state == "active" and not goal.period.is_closed,
            "score": scoring.display(goal.score, scale),
            "checkin_url": _reverse_goal("goals:checkin", goal) if can_edit else "",
        },
    )


def _progress_chart(goal: Goal, checkins: list[CheckIn]) -> charts.LineChart:
    """The trend of the check-ins shown (the newest 20), dated in the viewer's time zone,
    against the straight pace from the period's first day to its last."""
    return charts.progress_line(
        [(timezone.localdate(c.created_at), c.progress) for c in checkins],
        start=goal.period.start_date,
        end=goal.period.end_date,
        what="Progress",
    )


def _reverse_goal(name: str, goal: Goal) -> str:
    try:
        return reverse(name, args=[goal.pk])
    except NoReverseMatch:
        return ""


@login_required
def edit(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_edit(request, goal_id)
    initial = {
        "title": goal.title,
        "description": goal.description,
        "department": goal.department_id,
        "period": goal.period_id,
        "parent": goal.parent_id,
        "visibility": goal.visibility,
        "manual_progress": (
            f"{(goal.manual_progress * 100).normalize():f}"
            if goal.manual_progress is not None
            else ""
        ),
        "owner_email": goal.owner.email,
        "health": goal.health,
    }
    form = GoalEditForm(request.POST or None, user=request.user, goal=goal, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            key: data[key]
            for key in ("title", "description", "period", "visibility", "manual_progress", "health")
        }
        fields["owner"] = data["owner_email"]
        fields["parent"] = data["parent"]
        if goal.level == GoalLevel.TEAM:
            fields["department"] = data["department"]
        try:
            services.update_goal(goal=goal, by=request.user, reason=data["reason"], **fields)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Goal saved.")
            return redirect("goals:detail", goal_id=goal.pk)
    return render(
        request, "goals/goal_form.html", {"form": form, "editing": goal, "owner": goal.owner}
    )


@login_required
def key_results(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_edit(request, goal_id)
    rows = list(
        goal.key_results.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "id"))
        )
    )
    by_id = {kr.pk: kr for kr in rows}
    action = request.POST.get("action", "")
    raw_id = request.POST.get("key_result", "")
    target = by_id.get(int(raw_id)) if raw_id.isdigit() else None
    if request.method == "POST" and raw_id and target is None:
        raise Http404("No such key result")
    error_for: int | None = None
    form = KeyResultForm(
        request.POST if action in ("add", "update") else None,
        prefix=f"kr{target.pk}" if target and action == "update" else "new",
    )
    if request.method == "POST":
        try:
            if action == "add" and form.is_valid():
                services.add_key_result(
                    goal=goal, by=request.user, reason=form.cleaned_data["reason"], **form.spec()
                )
                messages.success(request, "Key result added.")
                return redirect("goals:key_results", goal_id=goal.pk)
            if action == "update" and target is not None and form.is_valid():
                spec = form.spec()
                spec.pop("milestones", None)
                spec.pop("kind", None)
                services.update_key_result(
                    key_result=target, by=request.user, reason=form.cleaned_data["reason"], **spec
                )
                messages.success(request, "Key result saved.")
                return redirect("goals:key_results", goal_id=goal.pk)
            if action == "remove" and target is not None:
                services.remove_key_result(
                    key_result=target, by=request.user, reason=request.POST.get("reason", "")[:500]
                )
                messages.success(request, "Key result removed.")
                return redirect("goals:key_results", goal_id=goal.pk)
            if action == "add_milestone" and target is not None:
                services.add_milestone(
                    key_result=target,
                    by=request.user,
                    title=request.POST.get("milestone_title", ""),
                )
                return redirect("goals:key_results", goal_id=goal.pk)
            if action == "remove_milestone" and target is not None:
                raw = request.POST.get("milestone", "")
                step = next((m for m in target.milestones.all() if str(m.pk) == raw), None)
                if step is None:
                    raise Http404("No such milestone")
                services.remove_milestone(milestone=step, by=request.user)
                return redirect("goals:key_results", goal_id=goal.pk)
            if action not in ("add", "update"):
                messages.error(request, "Choose what to do with the key result.")
        except ValidationError as error:
            show_errors(form, error)
            if target is not None:
                error_for = target.pk
            if action not in ("add", "update"):
                for message in error.messages:
                    messages.error(request, message)
    edit_forms = []
    for kr in rows:
        if action == "update" and target is not None and kr.pk == target.pk:
            edit_forms.append((kr, form))
            continue
        edit_forms.append(
            (
                kr,
                KeyResultForm(
                    prefix=f"kr{kr.pk}",
                    initial={
                        "title": kr.title,
                        "kind": kr.kind,
                        "unit": kr.unit,
                        "start_value": f"{kr.start_value.normalize():f}",
                        "target_value": f"{kr.target_value.normalize():f}",
                        "stretch_value": f"{kr.stretch_value.normalize():f}"
                        if kr.stretch_value is not None
                        else "",
                        "current_value": f"{kr.current_value.normalize():f}",
                        "weight": f"{kr.weight.normalize():f}",
                    },
                ),
            )
        )
    status = 200
    if request.method == "POST":
        status = 400
    return render(
        request,
        "goals/goal_key_results.html",
        {
            "goal": goal,
            "edit_forms": edit_forms,
            "add_form": form if action == "add" else KeyResultForm(prefix="new"),
            "error_for": error_for,
            "is_open": goal.state == "active" and not goal.period.is_closed,
            "milestones_kind": KeyResultKind.MILESTONES,
        },
        status=status,
    )


@login_required
@require_POST
def comment(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = queries.goal_for(request.user, goal_id)
    require(request.user, "goal.comment", goal)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(goal=goal, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Comment posted.")
            return redirect(reverse("goals:detail", args=[goal.pk]) + "#comments")
    elif form.has_error("body", "null_characters_not_allowed"):
        messages.error(request, "Comment: " + " ".join(str(e) for e in form.errors["body"]))
    else:
        messages.error(request, "Comment: write something first (up to 5000 characters).")
    return redirect(reverse("goals:detail", args=[goal.pk]) + "#comment-form")


@login_required
def close(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    goal = _goal_for_edit(request, goal_id)
    scale = Program.current().goal_scoring_scale
    form = CloseForm(request.POST or None)
    if goal.state == "closed":
        messages.info(request, "This goal is already closed and scored.")
        return redirect("goals:detail", goal_id=goal.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_goal(
                goal=goal,
                by=request.user,
                score=data["score"],
                reflection=data["reflection"],
                carry_over=data["carry_over"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            copy = goal.carried_to.first()
            if copy is not None:
                messages.success(request, f"Goal closed and carried into {copy.period.name}.")
                return redirect("goals:detail", goal_id=copy.pk)
            messages.success(request, "Goal closed and scored.")
            return redirect("goals:detail", goal_id=goal.pk)
    return render(
        request,
        "goals/goal_close.html",
        {
            "goal": goal,
            "form": form,
            "scale_hint": scoring.hint(scale),
            "next_period": queries.next_period(goal.period),
        },
    )


@login_required
def bulk_assign(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "goal.bulk_assign")
    form = BulkAssignForm(
        request.POST or None,
        user=request.user,
        initial={"period": queries.current_period() or _period_now(request)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key_results = [form.spec()] if data["title"] else []
        people = list(form.people().only("pk", "path", "department_id", "status")[:5001])
        try:
            goals = services.bulk_assign(
                by=request.user,
                people=people,
                title=data["goal_title"],
                period=data["period"],
                description=data["description"],
                parent=data["parent"],
                key_results=key_results,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_messages in error.message_dict.items():
                    name = {"title": "goal_title", "people": "who"}.get(field, field)
                    for message in field_messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                show_errors(form, error)
        else:
            messages.success(
                request,
                f"“{data['goal_title']}” given to {len(goals)} "
                f"{'person' if len(goals) == 1 else 'people'}.",
            )
            return redirect("goals:mine")
    kr_names = (*services.KEY_RESULT_FIELDS, "milestones")
    return render(
        request,
        "goals/goal_bulk_assign.html",
        {"form": form, "kr_fields": [form[name] for name in kr_names]},
    )


@login_required
def periods(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "period.manage")
    form = PeriodForm(request.POST if request.POST.get("action") == "create" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create" and form.is_valid():
                data = form.cleaned_data
                period_services.create_period(
                    by=request.user,
                    name=data["name"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
                messages.success(request, f"Period “{data['name']}” added.")
                return redirect("goals:periods")
            if action == "close":
                raw = request.POST.get("period", "")
                period = queries.period_for(int(raw)) if raw.isdigit() else None
                if period is None:
                    raise Http404("No such period")
                period_services.close_period(period=period, by=request.user)
                messages.success(
                    request,
                    f"{period.name} is closed: check-ins on its goals are refused from now on.",
                )
                return redirect("goals:periods")
            if action == "ensure":
                period_services.ensure_periods()
                return redirect("goals:periods")
        except ValidationError as error:
            show_errors(form, error)
            if action != "create":
                for message in error.messages:
                    messages.error(request, message)
    program = Program.current()
    return render(
        request,
        "goals/goal_periods.html",
        {"form": form, "periods": queries.periods_with_counts()[:100], "program": program},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def pick(request: AuthedHttpRequest) -> HttpResponse:
    """The options of the "Supports" picker (goals/widgets.py): goals the user may align a
    goal of the given level to, matching the typed title words, grouped by level. Whatever
    is typed, the answer is a list or a friendly note, never an error."""
    filters = GoalPickFilterForm(request.GET)
    q = request.GET.get("q", "")
    goals: list[Goal] = []
    if not filters.is_valid():
        note = "This picker cannot search that way."
    elif len("".join(q[:100].split()[:4])) < 2:
        note = "Type at least two letters of a goal's title."
    else:
        data = filters.cleaned_data
        goals = queries.goals_to_pick(
            request.user,
            q=q,
            level=data["level"] or GoalLevel.INDIVIDUAL,
            not_under=data["not_under"],
        )
        note = "No goal found. Try a word of its title."
    groups = [
        (label, [goal for goal in goals if goal.level == level])
        for level, label in ((GoalLevel.COMPANY, "Company"), (GoalLevel.TEAM, "Team"),
                             (GoalLevel.INDIVIDUAL, "Individual"))
    ]  # fmt: skip
    groups = [(label, rows) for label, rows in groups if rows]
    return render(request, "goals/_pick_options.html", {"groups": groups, "note": note})
