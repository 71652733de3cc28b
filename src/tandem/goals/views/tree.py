"""The alignment tree and alignment coverage pages. Thin: parse, ask queries, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from tandem.access.rules import actor_for, can
from tandem.core import charts
from tandem.core.http import AuthedHttpRequest
from tandem.goals import coverage as coverage_queries
from tandem.goals.forms.tree import CoverageFilterForm, TreeFilterForm
from tandem.goals.models import Period
from tandem.goals.queries import tree as queries_tree
from tandem.goals.queries.goals import current_period
from tandem.org import queries as org_queries
from tandem.org.models import Company


def _period(chosen: Period | None) -> Period | None:
    return chosen or current_period(timezone.localdate())


def _tree_filters(
    data: QueryDict, *, default_period: bool = True
) -> tuple[TreeFilterForm, queries_tree.TreeFilters]:
    """The filters from the query string; nonsense values are reported by the form and
    ignored. Below the top level the period plays no part (children of any period count),
    so an expand does not look it up."""
    form = TreeFilterForm(data or None)
    cleaned: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    chosen = cleaned.get("period")
    filters = queries_tree.TreeFilters(
        period=_period(chosen) if default_period else chosen,
        department=cleaned.get("department"),
        health=cleaned.get("status") or None,
    )
    return form, filters


def _filter_query(filters: queries_tree.TreeFilters, *, with_period: bool = True) -> str:
    """The filters as a query string, carried by every "expand" and "show more" link
    (expands leave the period out: it only chooses the top level)."""
    params = QueryDict(mutable=True)
    if with_period and filters.period is not None:
        params["period"] = str(filters.period.pk)
    if filters.department is not None:
        params["department"] = str(filters.department.pk)
    if filters.health:
        params["status"] = filters.health
    return params.urlencode()


@login_required
def tree(request: AuthedHttpRequest) -> HttpResponse:
    """Mission → company goals → team goals → individual goals; each level opens on demand."""
    form, filters = _tree_filters(request.GET)
    error = None
    try:
        page = queries_tree.tree_roots(request.user, filters, cursor=request.GET.get("after"))
    except queries_tree.BadCursor as bad:
        error = str(bad)
        page = queries_tree.tree_roots(request.user, filters)
    unaligned = queries_tree.unaligned_count(request.user, filters)
    context = {
        "form": form,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "children_query": _filter_query(filters, with_period=False),
        "page": page,
        "cursor_error": error,
        "company": Company.current(),
        "unaligned": unaligned,
        "unaligned_label": queries_tree.unaligned_label(unaligned),
        "can_see_coverage": _coverage_roles(request.user) != (False, None, False),
    }
    return render(request, "goals/tree.html", context)


@login_required
def tree_children(request: AuthedHttpRequest, goal_id: int) -> HttpResponse:
    """The next level under one goal (htmx), or the next page of it ("show more")."""
    goal = queries_tree.tree_goal(request.user, goal_id)
    if goal is None:
        raise Http404("No such goal.")
    _form, filters = _tree_filters(request.GET, default_period=False)
    cursor = request.GET.get("after") or None
    try:
        page = queries_tree.tree_children(request.user, goal, filters, cursor=cursor)
    except queries_tree.BadCursor:
        raise Http404("No such page.") from None
    return render(
        request,
        "goals/tree_children.html",
        {
            "parent": goal,
            "page": page,
            "children_query": _filter_query(filters, with_period=False),
            "is_later_page": bool(cursor),
        },
    )


def _coverage_roles(user: Any) -> tuple[bool, Any, bool]:
    """(company figure?, departments shown or None, own subtree?) for this viewer."""
    actor = actor_for(user)
    if actor is None:
        return False, None, False
    return (
        can(user, "org.insights"),
        coverage_queries.visible_departments(user),
        actor.is_manager,
    )


@login_required
def coverage(request: AuthedHttpRequest) -> HttpResponse:
    """Alignment coverage: the company figure (executives, HR admins), departments (HR and
    executives), and a manager's own subtree with the people to help align."""
    sees_company, departments, is_manager = _coverage_roles(request.user)
    if not (sees_company or departments is not None or is_manager):
        raise Http404("No such page.")
    form = CoverageFilterForm(request.GET or None)
    cleaned: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    period = _period(cleaned.get("period"))
    context: dict[str, Any] = {"form": form, "period": period, "is_manager": is_manager}
    if period is not None:
        if sees_company and departments is not None:
            context["company_figure"], context["department_rows"] = (
                coverage_queries.company_and_departments(period, departments)
            )
        elif sees_company:
            context["company_figure"] = coverage_queries.company_coverage(period)
        elif departments is not None:
            context["department_rows"] = coverage_queries.departments_coverage(period, departments)
        if is_manager:
            context["team_figure"] = coverage_queries.manager_coverage(request.user, period)
            cursor = cleaned.get("cursor") or None
            try:
                page = coverage_queries.unaligned_page(request.user, period, cursor=cursor)
            except org_queries.BadCursor as bad:
                context["cursor_error"] = str(bad)
                cursor = None
                page = coverage_queries.unaligned_page(request.user, period, cursor=None)
            context["page"] = page
            context["is_later_page"] = bool(cursor)
            params = QueryDict(mutable=True)
            params["period"] = str(period.pk)
            context["first_query"] = params.urlencode()
            if page.next_cursor:
                params["cursor"] = page.next_cursor
                context["next_query"] = params.urlencode()
    if context.get("department_rows") is not None:
        sort = charts.bar_sort(request.GET.get("sort"))
        context["coverage_chart"], context["department_rows"] = _coverage_chart(
            context["department_rows"], sort
        )
        params = request.GET.copy()
        params.pop("cursor", None)
        context["sort_links"] = charts.sort_links(params, sort)
    return render(request, "goals/coverage.html", context)


def _coverage_chart(
    rows: list[coverage_queries.DepartmentRow], sort: str
) -> tuple[charts.BarChart, list[tuple[coverage_queries.DepartmentRow, int]]]:
    """Coverage per department as bars, and the table's rows in the chart's order with
    their indentation. A department with no active people draws no bar and says so."""
    chart = charts.bar_chart(
        [
            charts.BarInput(
                key=str(row.department.pk),
                label=row.department.name,
                value=row.coverage.percent or 0,
                display=(
                    "no one yet" if row.coverage.percent is None else f"{row.coverage.percent}%"
                ),
                path=row.department.path,
            )
            for row in rows
        ],
        sort=sort,
        maximum=100,
        summary=_coverage_summary(rows),
    )
    by_key = {str(row.department.pk): row for row in rows}
    return chart, [(by_key[bar.key], bar.depth) for bar in chart.bars]


def _coverage_summary(rows: list[coverage_queries.DepartmentRow]) -> str:
    counted = [row for row in rows if row.coverage.percent is not None]
    if not counted:
        return "No department has active people to count yet."
    low = min(counted, key=lambda row: (row.coverage.percent or 0, row.department.name))
    high = max(counted, key=lambda row: (row.coverage.percent or 0, row.department.name))
    return (
        f"Alignment coverage by department, {len(counted)} with people: highest "
        f"{high.department.name} at {high.coverage.percent}%, lowest {low.department.name} "
        f"at {low.coverage.percent}%."
    )
