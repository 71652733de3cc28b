"""Growth pages: development plans. One's own plans and one's reports', a plan with its
focus areas, actions, check-ins and suggestions from the largest gaps, the forms that
change it, and HR's coverage per department. Thin: parse, call, render."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.rules import can
from tandem.core.http import AuthedHttpRequest
from tandem.growth.forms_plans import (
    WHO_READS,
    ActionForm,
    ActionStatusForm,
    CheckinForm,
    FocusAreaForm,
    PlanForm,
)
from tandem.growth.models import Plan, PlanStatus
from tandem.growth.queries import plans as queries
from tandem.growth.services import plans as services

PLAN_LENGTH_DAYS = 182


def action_prefix(area_id: int) -> str:
    """Each focus area's action form has its own field names and ids on the plan page."""
    return f"area{area_id}"


def _plain(error: ValidationError) -> str:
    return " ".join(" ".join(problems) for problems in error.message_dict.values())


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    """My plans, and my direct reports' plans when I manage people."""
    today = timezone.localdate()
    return render(
        request,
        "growth/plans/index.html",
        {
            "mine": queries.my_plans(request.user, today=today),
            "reports": queries.reports_plans(request.user, today=today),
            "without_plan": queries.reports_without_plan(request.user),
            "may_see_coverage": can(request.user, "growth.plans.coverage"),
        },
    )


def _person_id(request: AuthedHttpRequest) -> int | None:
    raw = request.GET.get("person") or request.POST.get("person")
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404("No such person.") from None


@login_required
def new(request: AuthedHttpRequest) -> HttpResponse:
    """Start a plan for myself, or (`?person=<id>`) for someone below me."""
    person = queries.person_for_new_plan(request.user, _person_id(request))
    today = timezone.localdate()
    initial = {
        "starts_on": today,
        "ends_on": today + timedelta(days=PLAN_LENGTH_DAYS),
        "status": PlanStatus.DRAFT,
    }
    form = PlanForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                plan = services.create_plan(request.user, person, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Plan started. Add up to five focus areas.")
                return redirect("growth:plan", plan_id=plan.pk)
    return render(
        request,
        "growth/plans/form.html",
        {"form": form, "person": person, "plan": None, "who_reads": WHO_READS},
        status=status,
    )


def _plan_page(
    request: AuthedHttpRequest, plan: Plan, *, status: int = 200, **forms: Any
) -> HttpResponse:
    detail = queries.plan_detail(request.user, plan)
    context: dict[str, Any] = {"detail": detail, "plan": plan, "who_reads": WHO_READS}
    if detail.can_edit:
        context["area_form"] = forms.get("area_form") or FocusAreaForm(
            competencies=detail.competencies, goals=detail.goals
        )
        failed = forms.get("action_form")
        for area in detail.focus_areas:
            area.action_form = (  # type: ignore[attr-defined]
                failed
                if failed is not None and failed.prefix == action_prefix(area.pk)
                else ActionForm(
                    user=request.user, owners=detail.owners, prefix=action_prefix(area.pk)
                )
            )
        context["checkin_form"] = forms.get("checkin_form") or CheckinForm()
    return render(request, "growth/plans/plan.html", context, status=status)


@login_required
def detail(request: AuthedHttpRequest, plan_id: int) -> HttpResponse:
    """A plan: focus areas with their actions, check-ins, and (for those who edit it) the
    suggestions from the largest competency gaps."""
    return _plan_page(request, queries.plan_for(request.user, plan_id))


@login_required
def edit(request: AuthedHttpRequest, plan_id: int) -> HttpResponse:
    """A plan's title, dates and status."""
    plan = queries.plan_for(request.user, plan_id)
    if not can(request.user, "growth.plan.edit", plan):
        raise Http404("No such plan.")
    form = PlanForm(
        request.POST or None,
        initial={
            "title": plan.title,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "status": plan.status,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_plan(request.user, plan, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Plan saved.")
                return redirect("growth:plan", plan_id=plan.pk)
    return render(
        request,
        "growth/plans/form.html",
        {"form": form, "person": plan.person, "plan": plan, "who_reads": WHO_READS},
        status=status,
    )


def _editable(request: AuthedHttpRequest, plan_id: int) -> Plan:
    plan = queries.plan_for(request.user, plan_id)
    if not can(request.user, "growth.plan.edit", plan):
        raise Http404("No such plan.")
    return plan


@login_required
@require_POST
def add_focus_area(request: AuthedHttpRequest, plan_id: int) -> HttpResponse:
    """Add a focus area from the form, or (`competency` posted alone) a suggested one."""
    plan = _editable(request, plan_id)
    suggested = request.POST.get("suggested")
    if suggested:
        suggested_id = int(suggested) if suggested.isdigit() else 0
        try:
            if not 0 < suggested_id <= queries.MAX_ID:
                raise ValidationError({"competency": "No such competency."})
            services.add_focus_area(request.user, plan, competency_id=suggested_id)
        except ValidationError as error:
            messages.error(request, _plain(error))
        else:
            messages.success(request, "Focus area added.")
        return redirect("growth:plan", plan_id=plan.pk)
    detail = queries.plan_detail(request.user, plan)
    form = FocusAreaForm(request.POST, competencies=detail.competencies, goals=detail.goals)
    if form.is_valid():
        competency_id, goal_id = form.linked()
        try:
            services.add_focus_area(
                request.user,
                plan,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                competency_id=competency_id,
                goal_id=goal_id,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Focus area added.")
            return redirect("growth:plan", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, area_form=form)


@login_required
@require_POST
def remove_focus_area(request: AuthedHttpRequest, area_id: int) -> HttpResponse:
    area = queries.focus_area_for(request.user, area_id)
    if not can(request.user, "growth.plan.edit", area.plan):
        raise Http404("No such focus area.")
    services.remove_focus_area(request.user, area)
    messages.success(request, "Focus area removed.")
    return redirect("growth:plan", plan_id=area.plan.pk)


@login_required
@require_POST
def add_action(request: AuthedHttpRequest, area_id: int) -> HttpResponse:
    area = queries.focus_area_for(request.user, area_id)
    plan = area.plan
    if not can(request.user, "growth.plan.edit", plan):
        raise Http404("No such focus area.")
    form = ActionForm(
        request.POST,
        user=request.user,
        owners=queries.owners_for(plan.person),
        prefix=action_prefix(area.pk),
    )
    if form.is_valid():
        try:
            services.add_action(
                request.user,
                area,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                owner_id=form.owner_id(),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Action added.")
            return redirect("growth:plan", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, action_form=form)


@login_required
@require_POST
def action_status(request: AuthedHttpRequest, action_id: int) -> HttpResponse:
    action = queries.action_for(request.user, action_id)
    plan = action.focus_area.plan
    if not can(request.user, "growth.plan.edit", plan):
        raise Http404("No such action.")
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.set_action_status(request.user, action, form.cleaned_data["status"])
        messages.success(request, "Action updated.")
    else:
        messages.error(request, "Choose the action's status.")
    return redirect("growth:plan", plan_id=plan.pk)


@login_required
@require_POST
def add_checkin(request: AuthedHttpRequest, plan_id: int) -> HttpResponse:
    plan = _editable(request, plan_id)
    form = CheckinForm(request.POST)
    if form.is_valid():
        try:
            services.add_checkin(request.user, plan, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Check-in added.")
            return redirect("growth:plan", plan_id=plan.pk)
    return _plan_page(request, plan, status=400, checkin_form=form)


@login_required
def coverage(request: AuthedHttpRequest) -> HttpResponse:
    """HR's plan coverage per department: counts only, never plan text."""
    company, rows = queries.coverage(request.user)
    return render(request, "growth/plans/coverage.html", {"company": company, "rows": rows})


urlpatterns: list[URLPattern] = [
    path("growth/plans/", index, name="plans"),
    path("growth/plans/new/", new, name="plan_new"),
    path("growth/plans/coverage/", coverage, name="plans_coverage"),
    path("growth/plans/<int:plan_id>/", detail, name="plan"),
    path("growth/plans/<int:plan_id>/edit/", edit, name="plan_edit"),
    path("growth/plans/<int:plan_id>/focus-areas/", add_focus_area, name="plan_focus_add"),
    path("growth/plans/<int:plan_id>/checkins/", add_checkin, name="plan_checkin_add"),
    path("growth/focus-areas/<int:area_id>/remove/", remove_focus_area, name="plan_focus_remove"),
    path("growth/focus-areas/<int:area_id>/actions/", add_action, name="plan_action_add"),
    path("growth/plan-actions/<int:action_id>/status/", action_status, name="plan_action_status"),
]
