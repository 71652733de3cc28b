"""Reads of development plans: one's own and one's reports', a plan with its focus areas,
actions and check-ins, suggestions from the largest competency gaps, what the 1:1 and the
team hub show of a plan, and HR's coverage per department (counts only).

Every read starts from `tandem.access` (scope and rules); counts are aggregated in SQL in a
fixed number of queries whatever the size of the company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import actor_for, can, scope
from tandem.core.dates import due_phrase
from tandem.goals.queries import goals as goal_queries
from tandem.growth.models import (
    MAX_FOCUS_AREAS,
    Action,
    ActionStatus,
    Competency,
    FocusArea,
    Placement,
    Plan,
    PlanCheckin,
    PlanStatus,
)
from tandem.growth.queries import profile
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus

MAX_ID = 2**63 - 1
OPEN = (ActionStatus.TODO, ActionStatus.DOING)
LIST_LIMIT = 100


def overdue_q(today: date, prefix: str = "") -> Q:
    """Actions still open whose due date is before `today`."""
    return Q(**{f"{prefix}status__in": OPEN, f"{prefix}due_on__lt": today})


def plan_for(user: Any, plan_id: int) -> Plan:
    """The plan, when the viewer may read it; 404 otherwise (missing and denied alike)."""
    if not 0 < plan_id <= MAX_ID:
        raise Http404("No such plan.")
    plan = (
        scope(user, Plan.objects.filter(pk=plan_id))
        .select_related("person", "person__department", "person__manager")
        .first()
    )
    if plan is None or not can(user, "growth.plan.view", plan):
        raise Http404("No such plan.")
    return plan


def require_edit(user: Any, plan: Plan) -> None:
    """404 unless the viewer edits the plan (HR reading a plan never edits it)."""
    if not can(user, "growth.plan.edit", plan):
        raise Http404("No such plan.")


def with_counts(plan: Plan, *, today: date | None = None) -> Plan:
    """The plan with its counts of focus areas, open and overdue actions (one query)."""
    today = today or timezone.localdate()
    counted = _listed(Plan.objects.filter(pk=plan.pk), today).first()
    return counted or plan


def focus_area_for(user: Any, area_id: int) -> FocusArea:
    if not 0 < area_id <= MAX_ID:
        raise Http404("No such focus area.")
    area = FocusArea.objects.filter(pk=area_id).only("pk", "plan_id").first()
    if area is None:
        raise Http404("No such focus area.")
    area.plan = plan_for(user, area.plan_id)
    return area


def action_for(user: Any, action_id: int) -> Action:
    if not 0 < action_id <= MAX_ID:
        raise Http404("No such action.")
    action = Action.objects.filter(pk=action_id).select_related("focus_area", "owner").first()
    if action is None:
        raise Http404("No such action.")
    action.focus_area.plan = plan_for(user, action.focus_area.plan_id)
    return action


def person_for_new_plan(user: Any, person_id: int | None) -> Person:
    """Whose plan to start: one's own, or a report's (anyone below one); 404 otherwise."""
    if person_id is None or person_id == user.pk:
        return user
    if not 0 < person_id <= MAX_ID:
        raise Http404("No such person.")
    person = (
        Person.objects.exclude(status=PersonStatus.LEFT)
        .filter(pk=person_id)
        .select_related("department")
        .first()
    )
    if person is None or not can(user, "growth.plan.create", person):
        raise Http404("No such person.")
    return person


def _listed(queryset: QuerySet[Plan], today: date) -> QuerySet[Plan]:
    return (
        queryset.select_related("person")
        .annotate(
            areas=Count("focus_areas", distinct=True),
            open_actions=Count(
                "focus_areas__actions",
                filter=Q(focus_areas__actions__status__in=OPEN),
                distinct=True,
            ),
            overdue=Count(
                "focus_areas__actions",
                filter=overdue_q(today, "focus_areas__actions__"),
                distinct=True,
            ),
        )
        .order_by("-starts_on", "-pk")
    )


def _page(queryset: QuerySet[Plan], today: date, limit: int) -> list[Plan]:
    """The newest `limit` plans of `queryset`, counted: the page is chosen first from the
    plans alone, and only its plans are joined to their focus areas and actions. Counting
    every readable plan before the limit took 230 ms for an HR admin at 100,000 people
    (docs/benchmarks.md, issue 11); still one query."""
    newest = queryset.order_by("-starts_on", "-pk").values("pk")[:limit]
    return list(_listed(Plan.objects.filter(pk__in=newest), today))


def plans(
    user: Any,
    *,
    person_id: int | None = None,
    status: str | None = None,
    today: date | None = None,
    limit: int = LIST_LIMIT,
) -> list[Plan]:
    """The plans the viewer may read, newest first, optionally one person's or of a status;
    each with its counts of focus areas, open and overdue actions."""
    today = today or timezone.localdate()
    queryset = scope(user, Plan.objects.all())
    if person_id is not None:
        queryset = queryset.filter(person_id=person_id)
    if status is not None:
        queryset = queryset.filter(status=status)
    return _page(queryset, today, limit)


def my_plans(user: Any, *, today: date | None = None) -> list[Plan]:
    return plans(user, person_id=user.pk, today=today)


def reports_plans(user: Any, *, today: date | None = None) -> list[Plan]:
    """Plans of the viewer's direct reports that are not archived, newest first."""
    today = today or timezone.localdate()
    queryset = scope(user, Plan.objects.filter(person__manager_id=user.pk)).exclude(
        status=PlanStatus.ARCHIVED
    )
    return _page(queryset, today, LIST_LIMIT)


def reports_without_plan(user: Any) -> list[Person]:
    """Direct reports without a draft or active plan: whom a manager might start one for."""
    having = Plan.objects.filter(status__in=(PlanStatus.DRAFT, PlanStatus.ACTIVE)).values(
        "person_id"
    )
    return list(
        Person.objects.filter(manager_id=user.pk)
        .exclude(status=PersonStatus.LEFT)
        .exclude(pk__in=having)
        .order_by("sort_name", "pk")[:LIST_LIMIT]
    )


@dataclass
class PlanDetail:
    plan: Plan
    focus_areas: list[FocusArea]
    checkins: list[PlanCheckin]
    can_edit: bool
    suggestions: list[profile.CompetencyRow] = field(default_factory=list)
    competencies: list[Competency] = field(default_factory=list)
    goals: list[Any] = field(default_factory=list)
    owners: list[Person] = field(default_factory=list)
    today: date | None = None

    @property
    def room_for_more(self) -> bool:
        return len(self.focus_areas) < MAX_FOCUS_AREAS


def suggestions(user: Any, plan: Plan, *, taken: set[int] | None = None) -> list[Any]:
    """The competencies with the largest gaps (`profile.largest_gaps`), largest first,
    without those already focus areas of the plan."""
    if taken is None:
        taken = set(
            FocusArea.objects.filter(plan=plan)
            .exclude(competency=None)
            .values_list("competency_id", flat=True)
        )
    return [
        row for row in profile.largest_gaps(user, plan.person) if row.competency_id not in taken
    ]


def owners_for(person: Person) -> list[Person]:
    """The person and their managers up the line, nearest first."""
    above = [pk for pk in tree.ids_in(person.path) if pk != person.pk]
    found = {p.pk: p for p in Person.objects.filter(pk__in=above)}
    return [person, *(found[pk] for pk in reversed(above) if pk in found)]


def plan_detail(
    user: Any, plan: Plan, *, today: date | None = None, with_choices: bool = True
) -> PlanDetail:
    """A plan with everything its page shows, in a fixed number of queries. Those who edit
    it also get the suggestions from the largest gaps and what a focus area can link to."""
    today = today or timezone.localdate()
    areas = list(
        FocusArea.objects.filter(plan=plan)
        .select_related("competency", "goal")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner").order_by("position", "pk"),
            )
        )
        .order_by("position", "pk")
    )
    checkins = list(
        PlanCheckin.objects.filter(plan=plan)
        .select_related("author")
        .order_by("-created_at", "-pk")[:50]
    )
    for area in areas:
        for item in area.actions.all():
            item.is_overdue = (  # type: ignore[attr-defined]
                item.status in OPEN and item.due_on is not None and item.due_on < today
            )
    detail = PlanDetail(
        plan=plan,
        focus_areas=areas,
        checkins=checkins,
        can_edit=can(user, "growth.plan.edit", plan),
        today=today,
    )
    if detail.can_edit and with_choices:
        taken = {a.competency_id for a in areas if a.competency_id}
        detail.suggestions = suggestions(user, plan, taken=taken)
        detail.competencies = competencies_for(plan.person)
        detail.goals = list(goal_queries.goals_for(user, person=plan.person)[:50])
        detail.owners = owners_for(plan.person)
    return detail


def competencies_for(person: Person) -> list[Competency]:
    """The competencies of the person's track (none when they are not placed)."""
    placement = Placement.objects.filter(person_id=person.pk).values("track_id").first()
    if placement is None:
        return []
    return list(Competency.objects.filter(track_id=placement["track_id"]).order_by("position"))


# --- What other pages show of a plan ---------------------------------------------------------


@dataclass(frozen=True)
class PlanFigures:
    """What the team hub shows of a person's plan: whether one is active, and how many of
    its actions are overdue."""

    plan_id: int | None = None
    open_actions: int = 0
    overdue: int = 0

    @property
    def active(self) -> bool:
        return self.plan_id is not None


def team_plan_figures(ids: list[int], *, today: date) -> dict[int, PlanFigures]:
    """{person id: PlanFigures} for the people's active plans: one grouped query whatever
    the number of people. Counts only (the hub shows no plan text)."""
    rows = (
        Plan.objects.filter(person_id__in=ids, status=PlanStatus.ACTIVE)
        .order_by()
        .values("person_id")
        .annotate(
            plan_id=Max("pk"),
            open_actions=Count(
                "focus_areas__actions", filter=Q(focus_areas__actions__status__in=OPEN)
            ),
            overdue=Count(
                "focus_areas__actions", filter=overdue_q(today, "focus_areas__actions__")
            ),
        )
        .values_list("person_id", "plan_id", "open_actions", "overdue")
    )
    return {
        person_id: PlanFigures(plan_id, open_actions, overdue)
        for person_id, plan_id, open_actions, overdue in rows
    }


def talking_points(
    user: Any, report: Person, *, today: date | None = None
) -> list[tuple[str, str, str]]:
    """(topic, text, url) for the report's active plan's open actions, overdue first, when
    the viewer may read the plan: what a 1:1 shows among its talking points. With no active
    plan, a draft waiting to be agreed is the talking point (a plan is agreed in a 1:1)."""
    today = today or timezone.localdate()
    plan = (
        scope(
            user,
            Plan.objects.filter(
                person_id=report.pk, status__in=(PlanStatus.ACTIVE, PlanStatus.DRAFT)
            ),
        )
        .order_by("status", "-starts_on", "-pk")  # "active" sorts before "draft"
        .first()
    )
    if plan is None:
        return []
    plan.person = report
    if not can(user, "growth.plan.view", plan):
        return []
    url = reverse("growth:plan", args=[plan.pk])
    if plan.status == PlanStatus.DRAFT:
        name = f"“{plan.title}”" if plan.title else "the development plan"
        return [("Development plan", f"Agree {name}: it is still a draft", url)]
    actions = (
        Action.objects.filter(focus_area__plan=plan, status__in=OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")[:5]
    )
    points = []
    for action in actions:
        when = f" — {due_phrase(action.due_on, today=today)}" if action.due_on else ""
        topic = (
            "Overdue plan action"
            if action.due_on is not None and action.due_on < today
            else "Development plan"
        )
        points.append((topic, f"{action.owner.display_name}: {action.text}{when}", url))
    points.sort(key=lambda point: point[0] != "Overdue plan action")
    return points


# --- HR's coverage --------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    people: int = 0
    with_plan: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        if not self.people:
            return None
        return round(100 * self.with_plan / self.people)


@dataclass(frozen=True)
class CoverageRow:
    department: Department
    depth: int
    coverage: Coverage


def coverage_departments(user: Any) -> QuerySet[Department] | None:
    """The departments whose coverage the viewer sees: all for HR admins, an HR partner's
    departments and everything below them; None for anyone else."""
    actor = actor_for(user)
    if actor is None or not can(user, "growth.plans.coverage"):
        return None
    if actor.is_hr_admin:
        return Department.objects.all()
    condition = Q(pk__in=[])
    for path in actor.partner_department_paths:
        condition |= Q(path__startswith=path)
    return Department.objects.filter(condition)


def _own_counts(today: date) -> dict[int | None, list[int]]:
    """{department id: [active people, of them with an active plan, overdue actions]} for
    each department's own people: two grouped queries.

    People with an active plan and their plans' overdue actions are counted in one pass
    over the active plans, the overdue actions counted per plan first (from the partial
    index of open actions by due date) and joined to the plans: joining every overdue
    action to its plan and person, apart from the plans' own count, took 230 ms of SQL at
    100,000 people (docs/benchmarks.md, issue 11)."""
    active = Person.objects.filter(status=PersonStatus.ACTIVE)
    own: dict[int | None, list[int]] = {
        department_id: [n, 0, 0]
        for department_id, n in active.order_by()
        .values("department_id")
        .annotate(n=Count("*"))
        .values_list("department_id", "n")
    }
    for department_id, with_plan, overdue in _plan_counts(today):
        counts = own.setdefault(department_id, [0, 0, 0])
        counts[1], counts[2] = with_plan, overdue
    return own


def _plan_counts(today: date) -> list[tuple[int | None, int, int]]:
    """(department id, people with an active plan, overdue actions of active plans) of the
    active people, by department."""
    plans = (
        Plan.objects.filter(status=PlanStatus.ACTIVE, person__status=PersonStatus.ACTIVE)
        .order_by()
        .values(plan_pk=F("pk"), who=F("person_id"), dept=F("person__department_id"))
    )
    overdue = (
        Action.objects.filter(overdue_q(today))
        .order_by()
        .values(of_plan=F("focus_area__plan_id"))
        .annotate(n=Count("*"))
    )
    plans_sql, plans_params = plans.query.sql_with_params()
    overdue_sql, overdue_params = overdue.query.sql_with_params()
    # Both inner queries are the ORM's, their values bound apart: nothing typed is pasted.
    sql = (
        "SELECT p.dept, COUNT(DISTINCT p.who), COALESCE(SUM(o.n), 0) "  # noqa: S608
        f"FROM ({plans_sql}) p LEFT JOIN ({overdue_sql}) o ON o.of_plan = p.plan_pk "
        "GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*plans_params, *overdue_params))
        return [
            (None if d is None else int(d), int(w), int(n or 0)) for d, w, n in cursor.fetchall()
        ]


def coverage(user: Any, *, today: date | None = None) -> tuple[Coverage | None, list[CoverageRow]]:
    """The company figure (HR admins only) and one row per department the viewer sees, each
    counting its whole subtree of departments: active people, those with an active plan,
    overdue actions of active plans. Counted in SQL by department, rolled up the department
    tree in Python (a loop over departments, never over people)."""
    shown = coverage_departments(user)
    if shown is None:
        raise Http404("Not found.")
    today = today or timezone.localdate()
    own = _own_counts(today)
    paths = dict(Department.objects.values_list("pk", "path"))
    totals: dict[int, list[int]] = {}
    for department_id, counts in own.items():
        if department_id is None:
            continue
        for ancestor in tree.ids_in(paths.get(department_id, "")):
            total = totals.setdefault(ancestor, [0, 0, 0])
            for i in range(3):
                total[i] += counts[i]
    rows = [
        CoverageRow(
            department,
            tree.depth_of(department.path),
            Coverage(*totals.get(department.pk, [0, 0, 0])),
        )
        for department in shown.order_by("path")
    ]
    company = None
    actor = actor_for(user)
    if actor is not None and actor.is_hr_admin:
        company = Coverage(*(sum(c[i] for c in own.values()) for i in range(3)))
    return company, rows
