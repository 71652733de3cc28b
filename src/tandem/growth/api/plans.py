"""Growth API: development plans, their focus areas, actions and check-ins. Thin: the
rules, queries and services decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND
from tandem.growth.models import FocusArea, Plan
from tandem.growth.queries import plans as queries
from tandem.growth.schemas_plans import (
    PlanActionIn,
    PlanActionOut,
    PlanActionPatch,
    PlanCheckinIn,
    PlanCheckinOut,
    PlanDetailOut,
    PlanFocusAreaIn,
    PlanFocusAreaOut,
    PlanIn,
    PlanOut,
    PlanPatch,
)
from tandem.growth.services import plans as services

router = Router(tags=["growth"])


def _person(person: Any) -> dict[str, Any]:
    return {"id": person.pk, "name": person.display_name}


def _plan_out(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "person": _person(plan.person),
        "title": plan.title,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "status": plan.status,
        "focus_areas": getattr(plan, "areas", 0),
        "open_actions": getattr(plan, "open_actions", 0),
        "overdue_actions": getattr(plan, "overdue", 0),
    }


def _action_out(action: Any) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "text": action.text,
        "owner": _person(action.owner),
        "due_on": action.due_on,
        "status": action.status,
        "done_at": action.done_at,
    }


def _area_out(area: FocusArea) -> dict[str, Any]:
    return {
        "id": area.pk,
        "title": area.title,
        "competency_id": area.competency_id,
        "goal_id": area.goal_id,
        "notes": area.notes,
        "actions": [_action_out(a) for a in area.actions.all()],
    }


def _detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = queries.plan_for(request.user, plan_id)
    counted = queries.with_counts(plan)
    detail = queries.plan_detail(request.user, plan, with_choices=False)
    return {
        **_plan_out(counted),
        "areas": [_area_out(a) for a in detail.focus_areas],
        "checkins": [
            {"id": c.pk, "author": _person(c.author), "text": c.text, "created_at": c.created_at}
            for c in detail.checkins
        ],
    }


@router.get(
    "/growth/plans",
    response={200: list[PlanOut], **ERRORS},
    summary="Development plans the caller may read, newest first",
)
def list_growth_plans(request: HttpRequest, person_id: int | None = None) -> list[dict[str, Any]]:
    """Your own plans, those of everyone below you, and (when the program makes plans
    visible to HR) those HR may read. `person_id` narrows to one person's."""
    if person_id is not None and not 0 < person_id <= MAX_ID:
        return []
    return [_plan_out(p) for p in queries.plans(request.user, person_id=person_id)]


@router.post(
    "/growth/plans",
    response={201: PlanDetailOut, **NOT_FOUND, **ERRORS},
    summary="Start a development plan (for yourself or someone below you)",
)
def create_growth_plan(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    person = queries.person_for_new_plan(request.user, payload.person_id)
    plan = services.create_plan(
        request.user,
        person,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        status=payload.status,
    )
    return Status(201, _detail(request, plan.pk))


@router.get(
    "/growth/plans/{plan_id}",
    response={200: PlanDetailOut, **NOT_FOUND, **ERRORS},
    summary="A development plan with its focus areas, actions and check-ins",
)
def get_growth_plan(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    return _detail(request, plan_id)


def _editable(request: HttpRequest, plan_id: int) -> Plan:
    plan = queries.plan_for(request.user, plan_id)
    queries.require_edit(request.user, plan)
    return plan


@router.patch(
    "/growth/plans/{plan_id}",
    response={200: PlanDetailOut, **NOT_FOUND, **ERRORS},
    summary="Change a plan's title, dates or status",
)
def update_growth_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> dict[str, Any]:
    plan = _editable(request, plan_id)
    sent = payload.model_dump(exclude_unset=True)
    for name in ("starts_on", "ends_on", "status"):
        if name in sent and sent[name] is None:
            sent.pop(name)
    if sent.get("title") is None:
        sent.pop("title", None)
    services.update_plan(request.user, plan, **sent)
    return _detail(request, plan.pk)


@router.post(
    "/growth/plans/{plan_id}/focus-areas",
    response={201: PlanFocusAreaOut, **NOT_FOUND, **ERRORS},
    summary="Add a focus area (a competency of the person's track or one of their goals)",
)
def add_growth_focus_area(
    request: HttpRequest, plan_id: int, payload: PlanFocusAreaIn
) -> Status[dict[str, Any]]:
    plan = _editable(request, plan_id)
    area = services.add_focus_area(
        request.user,
        plan,
        title=payload.title,
        notes=payload.notes,
        competency_id=payload.competency_id,
        goal_id=payload.goal_id,
    )
    return Status(201, _area_out(area))


@router.post(
    "/growth/focus-areas/{area_id}/actions",
    response={201: PlanActionOut, **NOT_FOUND, **ERRORS},
    summary="Add an action to a focus area",
)
def add_growth_action(
    request: HttpRequest, area_id: int, payload: PlanActionIn
) -> Status[dict[str, Any]]:
    area = queries.focus_area_for(request.user, area_id)
    queries.require_edit(request.user, area.plan)
    action = services.add_action(
        request.user,
        area,
        kind=payload.kind,
        text=payload.text,
        owner_id=payload.owner_id or area.plan.person_id,
        due_on=payload.due_on,
    )
    return Status(201, _action_out(action))


@router.patch(
    "/growth/plan-actions/{action_id}",
    response={200: PlanActionOut, **NOT_FOUND, **ERRORS},
    summary="Change an action's status (done sets done_at)",
)
def update_growth_action(
    request: HttpRequest, action_id: int, payload: PlanActionPatch
) -> dict[str, Any]:
    action = queries.action_for(request.user, action_id)
    queries.require_edit(request.user, action.focus_area.plan)
    changed = services.set_action_status(request.user, action, payload.status)
    changed.owner = action.owner
    return _action_out(changed)


@router.post(
    "/growth/plans/{plan_id}/checkins",
    response={201: PlanCheckinOut, **NOT_FOUND, **ERRORS},
    summary="Add a check-in to a plan",
)
def add_growth_checkin(
    request: HttpRequest, plan_id: int, payload: PlanCheckinIn
) -> Status[dict[str, Any]]:
    plan = _editable(request, plan_id)
    checkin = services.add_checkin(request.user, plan, text=payload.text)
    return Status(
        201,
        {
            "id": checkin.pk,
            "author": _person(request.user),
            "text": checkin.text,
            "created_at": checkin.created_at,
        },
    )
