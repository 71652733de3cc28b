"""Goals over the API: goals, key results, check-ins, the alignment tree and coverage.

Thin: parse, look up through the access scope, call the goal services, shape the answer.
Private goals are invisible to outsiders everywhere here (lists, search, detail, tree); a
goal the caller may not see is answered exactly like a missing one (404). Goals are never
deleted: they are closed with a score instead (history stays honest).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as FieldError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from tandem.access.rules import NotAllowed, actor_for, can, scope
from tandem.core import pagination
from tandem.core.api import ERRORS, ErrorOut
from tandem.goals import coverage as coverage_queries
from tandem.goals.models import CheckIn, Goal, GoalLevel, KeyResult, Milestone, Period
from tandem.goals.queries import goals as queries
from tandem.goals.queries import tree as queries_tree
from tandem.goals.schemas import (
    MAX_ID,
    CheckInIn,
    CheckInOut,
    CheckInPageOut,
    CoveragePeopleFilters,
    CoverageReportOut,
    GoalCloseIn,
    GoalFilters,
    GoalIn,
    GoalOut,
    GoalPageOut,
    GoalPatch,
    KeyResultIn,
    KeyResultOut,
    KeyResultPatch,
    TreeFiltersIn,
    TreePageOut,
    UnalignedPageOut,
)
from tandem.goals.services import checkins as checkin_services
from tandem.goals.services import goals as goal_services
from tandem.org import queries as org_queries
from tandem.org.models import Department, Person, PersonStatus

router = Router(tags=["goals"])

NOT_FOUND: dict[int, Any] = {404: ErrorOut, **ERRORS}


def _me(request: HttpRequest) -> Person:
    """The signed-in caller (every endpoint here requires authentication)."""
    actor = actor_for(request.user)
    if actor is None:
        raise NotAllowed("not signed in")
    return actor.person


def _bad_query(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


# --- Shaping answers ---------------------------------------------------------


def _person_ref(person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"id": person.pk, "display_name": person.display_name}


def _department_ref(department: Department | None) -> dict[str, Any] | None:
    return None if department is None else {"id": department.pk, "name": department.name}


def _period_out(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "name": period.name,
        "kind": period.kind,
        "start_date": period.start_date,
        "end_date": period.end_date,
        "is_closed": period.is_closed,
    }


def _key_result_out(key_result: KeyResult) -> dict[str, Any]:
    return {
        "id": key_result.pk,
        "goal_id": key_result.goal_id,
        "title": key_result.title,
        "kind": key_result.kind,
        "unit": key_result.unit,
        "start_value": key_result.start_value,
        "target_value": key_result.target_value,
        "stretch_value": key_result.stretch_value,
        "current_value": key_result.current_value,
        "weight": key_result.weight,
        "position": key_result.position,
        "progress": key_result.progress,
        "milestones": [
            {"id": m.pk, "title": m.title, "done": m.done_at is not None}
            for m in key_result.milestones.all()
        ],
    }


def _goal_out(goal: Goal, visible_parents: set[int]) -> dict[str, Any]:
    parent = goal.parent if goal.parent_id in visible_parents else None
    return {
        "id": goal.pk,
        "title": goal.title,
        "description": goal.description,
        "level": goal.level,
        "owner": _person_ref(goal.owner),
        "department": _department_ref(goal.department),
        "period": _period_out(goal.period),
        "parent": None if parent is None else {"id": parent.pk, "title": parent.title},
        "reaches_company_goal": goal.level == GoalLevel.COMPANY
        or (goal.root is not None and goal.root.level == GoalLevel.COMPANY),
        "visibility": goal.visibility,
        "state": goal.state,
        "health": goal.health,
        "progress": goal.progress,
        "manual_progress": goal.manual_progress,
        "score": goal.score,
        "reflection": goal.reflection,
        "churn": goal.churn,
        "last_checkin_at": goal.last_checkin_at,
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
        "key_results": [_key_result_out(kr) for kr in goal.key_results.all()],
    }


def _with_details(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    return goals.select_related("owner", "department", "period", "parent", "root").prefetch_related(
        Prefetch(
            "key_results",
            queryset=KeyResult.objects.order_by("position", "pk").prefetch_related(
                Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
            ),
        )
    )


def _goals_out(user: Any, goals: list[Goal]) -> list[dict[str, Any]]:
    """Goals shaped for the caller; parents are named only when the caller may see them
    (one query for the whole page)."""
    parent_ids = {g.parent_id for g in goals if g.parent_id is not None}
    visible = (
        set(scope(user, Goal.objects.filter(pk__in=parent_ids)).values_list("pk", flat=True))
        if parent_ids
        else set()
    )
    return [_goal_out(goal, visible) for goal in goals]


def _goal_answer(user: Any, goal_id: int) -> dict[str, Any]:
    goal = _with_details(queries.visible_goals(user).filter(pk=goal_id)).first()
    if goal is None:
        raise NotAllowed("goal.view denied")
    return _goals_out(user, [goal])[0]


# --- Looking things up ---------------------------------------------------------


def _goal(user: Any, goal_id: int) -> Goal:
    """A goal the user may see (404 otherwise), with what the services read."""
    goal = (
        queries.visible_goals(user)
        .select_related("owner", "period", "department", "parent")
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise NotAllowed("goal.view denied")
    return goal


def _key_result(user: Any, key_result_id: int) -> KeyResult:
    key_result = (
        KeyResult.objects.filter(
            pk=key_result_id, goal__in=queries.visible_goals(user).values("pk")
        )
        .select_related("goal", "goal__owner", "goal__period", "goal__department")
        .first()
    )
    if key_result is None:
        raise NotAllowed("goal.view denied")
    return key_result


def _ref_person(user: Any, person_id: int) -> Person:
    person = scope(user, Person.objects.filter(pk=person_id)).select_related("department").first()
    if person is None or person.status == PersonStatus.LEFT:
        raise FieldError({"owner": f"There is no colleague with id {person_id}."})
    return person


def _ref_period(period_id: int, field: str = "period") -> Period:
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        raise FieldError({field: f"There is no period with id {period_id}."})
    return period


def _ref_parent(user: Any, goal_id: int) -> Goal:
    parent = (
        queries.visible_goals(user).select_related("owner", "period").filter(pk=goal_id).first()
    )
    if parent is None:
        raise FieldError({"parent": f"There is no goal with id {goal_id} you can align to."})
    return parent


def _ref_department(department_id: int) -> Department:
    department = Department.objects.filter(pk=department_id).first()
    if department is None:
        raise FieldError({"department": f"There is no department with id {department_id}."})
    return department


def _current_period() -> Period:
    period = queries.current_period(timezone.localdate())
    if period is None:
        raise FieldError({"period": "There is no period for today yet; name one by its id."})
    return period


# --- Goals ---------------------------------------------------------


def _decode_id_cursor(cursor: str) -> int:
    if not cursor.isdigit() or not 0 < int(cursor) <= MAX_ID:
        raise _bad_query("cursor", "This page link is not valid; start again from the first page.")
    return int(cursor)


def _title_search(q: str) -> Q:
    condition = Q()
    for word in q.replace("\x00", " ").split()[:5]:
        condition &= Q(title__icontains=word)
    return condition


@router.get("/goals", response={200: GoalPageOut, **ERRORS}, summary="Goals you may see")
def list_goals(request: HttpRequest, filters: Query[GoalFilters]) -> dict[str, Any]:
    """Goals in id order, a keyset page at a time; private goals appear only to those who
    may see them, in search results too."""
    goals = queries.visible_goals(request.user)
    if filters.period is not None:
        goals = goals.filter(period_id=filters.period)
    if filters.owner is not None:
        goals = goals.filter(owner_id=filters.owner)
    if filters.level is not None:
        goals = goals.filter(level=filters.level)
    if filters.department is not None:
        department = Department.objects.filter(pk=filters.department).first()
        if department is None:
            raise _bad_query("department", f"There is no department with id {filters.department}.")
        goals = goals.filter(queries_tree.department_q(department))
    if filters.q.strip():
        goals = goals.filter(_title_search(filters.q))
    if filters.cursor:
        goals = goals.filter(pk__gt=_decode_id_cursor(filters.cursor))
    rows = list(_with_details(goals.order_by("pk"))[: filters.limit + 1])
    next_cursor = str(rows[filters.limit - 1].pk) if len(rows) > filters.limit else None
    return {"items": _goals_out(request.user, rows[: filters.limit]), "next_cursor": next_cursor}


@router.get("/goals/{int:goal_id}", response={200: GoalOut, **NOT_FOUND}, summary="One goal")
def get_goal(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    return _goal_answer(request.user, goal_id)


@router.post("/goals", response={201: GoalOut, **NOT_FOUND}, summary="Create a goal")
def create_goal(request: HttpRequest, payload: GoalIn) -> Status[dict[str, Any]]:
    """Owner defaults to you, period to the current one. Company goals: executives and HR
    admins; team goals: department heads and managers; individual goals: the person or
    one of their managers (anyone else: 404)."""
    user = request.user
    owner = _ref_person(user, payload.owner) if payload.owner else _me(request)
    period = _ref_period(payload.period) if payload.period else _current_period()
    parent = _ref_parent(user, payload.parent) if payload.parent else None
    department = _ref_department(payload.department) if payload.department else None
    goal = goal_services.create_goal(
        by=user,
        title=payload.title,
        level=payload.level,
        owner=owner,
        period=period,
        parent=parent,
        department=department,
        description=payload.description,
        visibility=payload.visibility,
        manual_progress=payload.manual_progress,
        key_results=[_key_result_spec(kr) for kr in payload.key_results],
    )
    return Status(201, _goal_answer(user, goal.pk))


@router.patch("/goals/{int:goal_id}", response={200: GoalOut, **NOT_FOUND}, summary="Change a goal")
def update_goal(request: HttpRequest, goal_id: int, payload: GoalPatch) -> dict[str, Any]:
    """Send only what changes; `parent: null` removes the alignment. Target and date
    changes after the period started count as churn; `reason` is kept in the history."""
    user = request.user
    goal = _goal(user, goal_id)
    sent = payload.model_dump(exclude_unset=True)
    reason = sent.pop("reason", "") or ""
    fields: dict[str, Any] = {}
    for name, value in sent.items():
        if name == "owner":
            if value is None:
                raise FieldError({"owner": "A goal needs an owner."})
            fields["owner"] = _ref_person(user, value)
        elif name == "period":
            if value is None:
                raise FieldError({"period": "A goal needs a period."})
            fields["period"] = _ref_period(value)
        elif name == "parent":
            fields["parent"] = _ref_parent(user, value) if value is not None else None
        elif name == "department":
            fields["department"] = _ref_department(value) if value is not None else None
        elif name in ("title", "visibility") and value is None:
            raise FieldError({name: "This field cannot be empty."})
        else:
            fields[name] = value
    goal_services.update_goal(goal=goal, by=user, reason=reason, **fields)
    return _goal_answer(user, goal.pk)


@router.post(
    "/goals/{int:goal_id}/close", response={200: GoalOut, **NOT_FOUND}, summary="Score and close"
)
def close_goal(request: HttpRequest, goal_id: int, payload: GoalCloseIn) -> dict[str, Any]:
    """Goals are closed, never deleted: a score on the company's scale and a reflection;
    `carry_over` continues an unfinished goal in the next period."""
    goal = _goal(request.user, goal_id)
    goal_services.close_goal(
        goal=goal,
        by=request.user,
        score=payload.score,
        reflection=payload.reflection,
        carry_over=payload.carry_over,
    )
    return _goal_answer(request.user, goal.pk)


# --- Key results ---------------------------------------------------------


def _key_result_spec(payload: KeyResultIn) -> dict[str, Any]:
    spec = payload.model_dump()
    if spec.get("current_value") is None:
        spec.pop("current_value", None)
    if not spec.get("milestones"):
        spec.pop("milestones", None)
    return spec


def _key_result_answer(key_result_id: int) -> dict[str, Any]:
    key_result = KeyResult.objects.prefetch_related("milestones").get(pk=key_result_id)
    return _key_result_out(key_result)


@router.get(
    "/goals/{int:goal_id}/key-results",
    response={200: list[KeyResultOut], **NOT_FOUND},
    summary="A goal's key results",
)
def list_key_results(request: HttpRequest, goal_id: int) -> list[dict[str, Any]]:
    goal = _goal(request.user, goal_id)
    key_results = goal.key_results.order_by("position", "pk").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
    )
    return [_key_result_out(kr) for kr in key_results]


@router.post(
    "/goals/{int:goal_id}/key-results",
    response={201: KeyResultOut, **NOT_FOUND},
    summary="Add a key result",
)
def create_key_result(
    request: HttpRequest, goal_id: int, payload: KeyResultIn
) -> Status[dict[str, Any]]:
    goal = _goal(request.user, goal_id)
    key_result = goal_services.add_key_result(
        goal=goal, by=request.user, **_key_result_spec(payload)
    )
    return Status(201, _key_result_answer(key_result.pk))


@router.patch(
    "/key-results/{int:key_result_id}",
    response={200: KeyResultOut, **NOT_FOUND},
    summary="Change a key result",
)
def update_key_result(
    request: HttpRequest, key_result_id: int, payload: KeyResultPatch
) -> dict[str, Any]:
    key_result = _key_result(request.user, key_result_id)
    sent = payload.model_dump(exclude_unset=True)
    reason = sent.pop("reason", "") or ""
    for name in ("title", "start_value", "target_value", "weight"):
        if name in sent and sent[name] is None:
            raise FieldError({name: "This field cannot be empty."})
    goal_services.update_key_result(key_result=key_result, by=request.user, reason=reason, **sent)
    return _key_result_answer(key_result.pk)


@router.delete(
    "/key-results/{int:key_result_id}",
    response={204: None, **NOT_FOUND},
    summary="Remove a key result",
)
def delete_key_result(request: HttpRequest, key_result_id: int) -> Status[None]:
    key_result = _key_result(request.user, key_result_id)
    goal_services.remove_key_result(key_result=key_result, by=request.user)
    return Status(204, None)


# --- Check-ins ---------------------------------------------------------


def _checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "goal_id": checkin.goal_id,
        "created_at": checkin.created_at,
        "author": _person_ref(checkin.author),
        "health": checkin.health,
        "confidence": checkin.confidence,
        "note": checkin.note,
        "progress": checkin.progress,
        "values": checkin.values if isinstance(checkin.values, list) else [],
    }


def _encode_checkin_cursor(checkin: CheckIn) -> str:
    return pagination.encode_cursor(checkin.created_at, checkin.pk)


def _decode_checkin_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        return pagination.decode_time_cursor(cursor)
    except pagination.BadCursor as error:
        raise _bad_query("cursor", str(error)) from None


@router.get(
    "/goals/{int:goal_id}/check-ins",
    response={200: CheckInPageOut, **NOT_FOUND},
    summary="A goal's check-ins, newest first",
)
def list_checkins(
    request: HttpRequest,
    goal_id: int,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(50, ge=1, le=200),
) -> dict[str, Any]:
    goal = _goal(request.user, goal_id)
    checkins = CheckIn.objects.filter(goal=goal).select_related("author")
    if cursor:
        at, pk = _decode_checkin_cursor(cursor)
        checkins = checkins.filter(created_at__lte=at).filter(Q(created_at__lt=at) | Q(pk__lt=pk))
    rows = list(checkins.order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = _encode_checkin_cursor(rows[limit - 1]) if len(rows) > limit else None
    return {"items": [_checkin_out(c) for c in rows[:limit]], "next_cursor": next_cursor}


@router.post(
    "/goals/{int:goal_id}/check-ins",
    response={201: CheckInOut, **NOT_FOUND},
    summary="Check in on a goal",
)
def create_checkin(
    request: HttpRequest, goal_id: int, payload: CheckInIn
) -> Status[dict[str, Any]]:
    """New values per key result id, a status, a confidence of 0–10 and a note."""
    goal = _goal(request.user, goal_id)
    checkin = checkin_services.post_checkin(
        goal=goal,
        by=request.user,
        health=payload.health,
        confidence=payload.confidence,
        note=payload.note,
        values=payload.values,
        milestones_done=payload.milestones_done,
    )
    checkin = CheckIn.objects.select_related("author").get(pk=checkin.pk)
    return Status(201, _checkin_out(checkin))


# --- The alignment tree ---------------------------------------------------------


def _tree_filters(filters: TreeFiltersIn) -> queries_tree.TreeFilters:
    if filters.period is not None:
        period = Period.objects.filter(pk=filters.period).first()
        if period is None:
            raise _bad_query("period", f"There is no period with id {filters.period}.")
    else:
        period = queries.current_period(timezone.localdate())
    department = None
    if filters.department is not None:
        department = Department.objects.filter(pk=filters.department).first()
        if department is None:
            raise _bad_query("department", f"There is no department with id {filters.department}.")
    return queries_tree.TreeFilters(period=period, department=department, health=filters.status)


def _tree_page_out(page: queries_tree.TreePage) -> dict[str, Any]:
    return {
        "items": [
            {
                "id": g.pk,
                "title": g.title,
                "level": g.level,
                "owner": None if g.owner.status == PersonStatus.LEFT else _person_ref(g.owner),
                "department": _department_ref(g.department),
                "period_id": g.period_id,
                "visibility": g.visibility,
                "state": g.state,
                "health": g.health,
                "progress": g.progress,
                "child_count": g.child_count,  # type: ignore[attr-defined]
                "hidden_children": g.child_count - g.visible_children,  # type: ignore[attr-defined]
                "rollup": g.rollup,  # type: ignore[attr-defined]
            }
            for g in page.nodes
        ],
        "next_cursor": page.next_cursor,
        "hidden": page.hidden,
        "filtered_out": page.filtered_out,
    }


@router.get(
    "/goals/tree",
    response={200: TreePageOut, **ERRORS},
    summary="The alignment tree's top: the period's company goals",
)
def goal_tree(request: HttpRequest, filters: Query[TreeFiltersIn]) -> dict[str, Any]:
    try:
        page = queries_tree.tree_roots(
            request.user, _tree_filters(filters), cursor=filters.cursor, limit=filters.limit
        )
    except queries_tree.BadCursor as bad:
        raise _bad_query("cursor", str(bad)) from None
    return _tree_page_out(page)


@router.get(
    "/goals/{int:goal_id}/children",
    response={200: TreePageOut, **NOT_FOUND},
    summary="The goals aligned to one goal (private ones counted, not shown)",
)
def goal_children(
    request: HttpRequest, goal_id: int, filters: Query[TreeFiltersIn]
) -> dict[str, Any]:
    goal = queries_tree.tree_goal(request.user, goal_id)
    if goal is None:
        raise NotAllowed("goal.view denied")
    try:
        page = queries_tree.tree_children(
            request.user,
            goal,
            _tree_filters(filters),
            cursor=filters.cursor,
            limit=filters.limit,
        )
    except queries_tree.BadCursor as bad:
        raise _bad_query("cursor", str(bad)) from None
    return _tree_page_out(page)


# --- Coverage ---------------------------------------------------------


def _coverage_out(figure: coverage_queries.Coverage) -> dict[str, Any]:
    return {
        "people": figure.people,
        "aligned": figure.aligned,
        "with_goals": figure.with_goals,
        "without_goals": figure.without_goals,
        "only_unaligned": figure.only_unaligned,
        "share": figure.share,
    }


def _coverage_period(period_id: int | None) -> Period:
    if period_id is not None:
        period = Period.objects.filter(pk=period_id).first()
        if period is None:
            raise _bad_query("period", f"There is no period with id {period_id}.")
        return period
    period = queries.current_period(timezone.localdate())
    if period is None:
        raise _bad_query("period", "There is no period for today yet; name one by its id.")
    return period


@router.get(
    "/goals/coverage",
    response={200: CoverageReportOut, **NOT_FOUND},
    summary="Alignment coverage: company, departments, your people",
)
def goal_coverage(
    request: HttpRequest,
    period: int | None = Query(None, ge=1, le=MAX_ID),
) -> dict[str, Any]:
    """The share of active people with a goal in the period that reaches a company goal.
    The company figure is for executives and HR admins, departments for HR (a partner's
    own departments) and executives, `team` for managers (their whole subtree)."""
    user = request.user
    actor = actor_for(user)
    sees_company = can(user, "org.insights")
    departments = coverage_queries.visible_departments(user)
    is_manager = actor is not None and actor.is_manager
    if not (sees_company or departments is not None or is_manager):
        raise NotAllowed("goal.coverage denied")
    chosen = _coverage_period(period)
    company: coverage_queries.Coverage | None = None
    rows: list[coverage_queries.DepartmentRow] | None = None
    if sees_company and departments is not None:
        company, rows = coverage_queries.company_and_departments(chosen, departments)
    elif sees_company:
        company = coverage_queries.company_coverage(chosen)
    elif departments is not None:
        rows = coverage_queries.departments_coverage(chosen, departments)
    return {
        "period": _period_out(chosen),
        "company": None if company is None else _coverage_out(company),
        "departments": None
        if rows is None
        else [
            {
                "department": _department_ref(row.department),
                "parent_id": row.department.parent_id,
                "coverage": _coverage_out(row.coverage),
            }
            for row in rows
        ],
        "team": _coverage_out(coverage_queries.manager_coverage(_me(request), chosen))
        if is_manager
        else None,
    }


@router.get(
    "/goals/coverage/people",
    response={200: UnalignedPageOut, **NOT_FOUND},
    summary="Your people with no goals or only unaligned goals",
)
def goal_coverage_people(
    request: HttpRequest, filters: Query[CoveragePeopleFilters]
) -> dict[str, Any]:
    """For managers: everyone in their subtree whose goals do not reach a company goal, in
    name order, a keyset page at a time."""
    actor = actor_for(request.user)
    if actor is None or not actor.is_manager:
        raise NotAllowed("goal.coverage denied")
    chosen = _coverage_period(filters.period)
    try:
        page = coverage_queries.unaligned_page(
            _me(request), chosen, cursor=filters.cursor, limit=filters.limit
        )
    except org_queries.BadCursor as bad:
        raise _bad_query("cursor", str(bad)) from None
    return {
        "items": [
            {"id": p.pk, "display_name": p.display_name, "has_goal": p.has_goal}  # type: ignore[attr-defined]
            for p in page.people
        ],
        "next_cursor": page.next_cursor,
    }
