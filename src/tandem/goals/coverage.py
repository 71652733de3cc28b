"""Alignment coverage: how much of the company's work reaches a company goal.

The share of *active* people (status "active": people on leave and people who left are not
counted, in the numerator or the denominator) who hold at least one goal in the period
whose alignment reaches a company goal — the goal is a company goal itself, or the root of
its alignment path is one. Figures for the whole company, per department (sub-departments
included) and per manager (their whole reporting subtree, themselves excluded).

Everything is counted in SQL: a count of the people, and one pass over the period's goals
grouped by owner first (one row a person: do any of their goals reach a company goal?),
then counted — an index-only scan of goal_coverage_idx (period, owner, root) feeding a
streaming group, where COUNT(DISTINCT owner) sorted ~500,000 rows (and spilled to disk per
department). Per department, the same per-person rows counted by department, rolled up
through the department tree in Python (a loop over departments — hundreds — never over
people).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from tandem.access.rules import actor_for, can
from tandem.goals.models import DepartmentTally, Goal, GoalLevel, Period
from tandem.org import queries as org_queries
from tandem.org import tree
from tandem.org.models import Department, Person, PersonStatus

# A goal reaches a company goal when it is one, or when the root of its alignment path is
# one. A company goal's root is itself or a company goal above it (a company goal aligns
# only to a company goal, and an unaligned goal is its own root), so both cases read
# "root in (company goal ids)": a hashed lookup per goal against the few company goals, of
# any period (alignment may cross periods), answered from goal_coverage_idx alone.
ALIGNED = Q(root_id__in=Goal.objects.filter(level=GoalLevel.COMPANY).order_by().values("pk"))
# 1 when a goal reaches a company goal; MAX over a person's goals says if any of them does.
ALIGNED_FLAG = Case(When(ALIGNED, then=Value(1)), default=Value(0), output_field=IntegerField())


@dataclass(frozen=True)
class Coverage:
    """People counted, those with a goal reaching a company goal, and those with any goal."""

    people: int
    aligned: int
    with_goals: int

    @property
    def share(self) -> Decimal | None:
        if not self.people:
            return None
        return (Decimal(self.aligned) / Decimal(self.people)).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else int((share * 100).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def without_goals(self) -> int:
        return self.people - self.with_goals

    @property
    def only_unaligned(self) -> int:
        return self.with_goals - self.aligned


def _goals_of_person(period: Period) -> QuerySet[Goal]:
    return Goal.objects.filter(owner=OuterRef("pk"), period=period)


def _active(people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    base = Person.objects.all() if people is None else people
    return base.filter(status=PersonStatus.ACTIVE)


def coverage_of(people: QuerySet[Person], period: Period) -> Coverage:
    """Coverage among `people` (narrowed to active people here), in two queries: a count of
    the people, and one pass over the period's goals grouped by owner (one row a person with
    an `aligned` flag), then counted: SELECT COUNT(*), SUM(aligned) FROM (... GROUP BY
    owner). No COUNT(DISTINCT), no per-person subquery."""
    active = _active(people)
    counted = active.order_by().count()
    row = _goal_counts(active, period)
    return Coverage(
        people=counted, aligned=row["aligned_people"] or 0, with_goals=row["with_goals"]
    )


def _goal_counts(active: QuerySet[Person], period: Period) -> dict[str, Any]:
    """{"with_goals", "aligned_people"} among these (active) people, one query."""
    return (
        Goal.objects.filter(period=period, owner__in=active.order_by().values("pk"))
        .order_by()
        .values("owner_id")
        .annotate(aligned=Max(ALIGNED_FLAG))
        .aggregate(with_goals=Count("owner_id"), aligned_people=Sum("aligned"))
    )


def company_coverage(period: Period) -> Coverage:
    """The company figure: the sum of every department's own counts (the tally)."""
    return _company_from(_own_counts(period))


def manager_people(manager: Person) -> QuerySet[Person]:
    """Everyone in the manager's reporting subtree, at any depth, themselves excluded."""
    if not manager.path:
        return Person.objects.none()
    return Person.objects.filter(path__startswith=manager.path).exclude(pk=manager.pk)


# A manager with more active people than this under them (an executive, the CEO) is
# counted as the company (the tally) minus the few active people outside their subtree:
# the subtree's own pass over its goals took ~450 ms for 95,000 people.
LARGE_SUBTREE = 20_000


def manager_coverage(manager: Person, period: Period) -> Coverage:
    active = _active(manager_people(manager))
    counted = active.order_by().count()
    if counted <= LARGE_SUBTREE:
        row = _goal_counts(active, period)
        return Coverage(
            people=counted, aligned=row["aligned_people"] or 0, with_goals=row["with_goals"]
        )
    tallied = DepartmentTally.objects.filter(period=period).aggregate(
        with_goals=Sum("with_goals"), aligned=Sum("aligned")
    )
    outside = _active().filter(~Q(path__startswith=manager.path) | Q(pk=manager.pk))
    out = _goal_counts(outside, period)
    return Coverage(
        people=counted,
        aligned=(tallied["aligned"] or 0) - (out["aligned_people"] or 0),
        with_goals=(tallied["with_goals"] or 0) - out["with_goals"],
    )


def department_people(department: Department) -> QuerySet[Person]:
    return Person.objects.filter(department__path__startswith=department.path)


def department_coverage(department: Department, period: Period) -> Coverage:
    return coverage_of(department_people(department), period)


def live_people_by_department(period: Period) -> list[tuple[int | None, int, int]]:
    """(department id or None, active people with a goal, those with a goal reaching a
    company goal) for each department's own people: the period's goals grouped by person first
    (the ORM writes that query), then the per-person rows counted by department — a GROUP
    BY over a subquery, which the ORM cannot express, so the outer query is written here
    (portable SQL: COUNT, SUM, GROUP BY). People without a department form the None row."""
    per_person = (
        Goal.objects.filter(period=period, owner__status=PersonStatus.ACTIVE)
        .order_by()
        .values("owner_id", dept=F("owner__department_id"))
        .annotate(aligned=Max(ALIGNED_FLAG))
    )
    inner, params = per_person.query.sql_with_params()
    # The inner query is the ORM's, its values bound apart: nothing user-typed is pasted.
    sql = f"SELECT pp.dept, COUNT(*), SUM(pp.aligned) FROM ({inner}) pp GROUP BY 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (None if d is None else int(d), int(w), int(a or 0)) for d, w, a in cursor.fetchall()
        ]


def _tallied_people_by_department(period: Period) -> list[tuple[int | None, int, int]]:
    """What `live_people_by_department` counts, read from the tally kept by the goal and
    org services (`tandem.goals.tally`): one index range of a few hundred rows."""
    return [
        (department_id or None, with_goals, aligned)
        for department_id, with_goals, aligned in DepartmentTally.objects.filter(
            period=period, with_goals__gt=0
        ).values_list("department_id", "with_goals", "aligned")
    ]


@dataclass(frozen=True)
class DepartmentRow:
    department: Department
    coverage: Coverage


def _own_counts(period: Period) -> dict[int | None, Coverage]:
    """Each department's own active people (None: people without a department), with the
    two goal counts: two grouped queries, one pass over the people and one over the goals."""
    # COUNT(*), not COUNT(id): an index-only scan of person_dept_status_idx (10 ms at
    # 100,000 people) where COUNT(id) read every row of the table (45–58 ms).
    headcount: dict[int | None, int] = dict(
        _active()
        .order_by()
        .values("department_id")
        .annotate(n=Count("*"))
        .values_list("department_id", "n")
    )
    own = {key: Coverage(people=n, aligned=0, with_goals=0) for key, n in headcount.items()}
    for department_id, with_goals, aligned in _tallied_people_by_department(period):
        people = own[department_id].people if department_id in own else 0
        own[department_id] = Coverage(people=people, aligned=aligned, with_goals=with_goals)
    return own


def _company_from(own: dict[int | None, Coverage]) -> Coverage:
    return Coverage(
        people=sum(c.people for c in own.values()),
        aligned=sum(c.aligned for c in own.values()),
        with_goals=sum(c.with_goals for c in own.values()),
    )


def _department_rows(
    own: dict[int | None, Coverage], departments: QuerySet[Department] | None
) -> list[DepartmentRow]:
    paths = dict(Department.objects.values_list("pk", "path"))
    totals: dict[int, list[int]] = {}
    for department_id, own_counts in own.items():
        if department_id is None:
            continue
        for ancestor in tree.ids_in(paths.get(department_id, "")):
            counts = totals.setdefault(ancestor, [0, 0, 0])
            counts[0] += own_counts.people
            counts[1] += own_counts.aligned
            counts[2] += own_counts.with_goals
    shown = Department.objects.all() if departments is None else departments
    rows = []
    for department in shown.order_by("path"):
        people, aligned, with_goals = totals.get(department.pk, [0, 0, 0])
        rows.append(
            DepartmentRow(
                department=department,
                coverage=Coverage(people=people, aligned=aligned, with_goals=with_goals),
            )
        )
    return rows


def departments_coverage(
    period: Period, departments: QuerySet[Department] | None = None
) -> list[DepartmentRow]:
    """Coverage for each department (sub-departments included), in tree order.

    One GROUP BY over active people by department, then each department's counts are added
    to every department above it through the department paths. `departments` limits the
    rows shown (an HR partner's departments); the counts always include every sub-department.
    """
    return _department_rows(_own_counts(period), departments)


def company_and_departments(
    period: Period, departments: QuerySet[Department] | None = None
) -> tuple[Coverage, list[DepartmentRow]]:
    """The company figure and the department rows from the same two grouped passes (the
    company is the sum of every department's own people, and of those without one): a
    viewer who sees both no longer pays a second pass over the period's goals."""
    own = _own_counts(period)
    return _company_from(own), _department_rows(own, departments)


def visible_departments(user: Any) -> QuerySet[Department] | None:
    """Departments whose coverage the user may see: every one for HR admins and executives,
    an HR partner's departments and everything below them; None for anyone else."""
    actor = actor_for(user)
    if actor is None:
        return None
    if actor.is_hr_admin or actor.is_executive:
        return Department.objects.all()
    if actor.is_hr_partner:
        condition = Q(pk__in=[])
        for path in actor.partner_department_paths:
            condition |= Q(path__startswith=path)
        return Department.objects.filter(condition)
    return None


def unaligned_people(manager: Person, period: Period) -> QuerySet[Person]:
    """The manager's active people with no goal in the period, or only goals that do not
    reach a company goal; `has_goal` tells which. Ordered for keyset pages (name, id)."""
    people = _active(manager_people(manager)).annotate(has_goal=Exists(_goals_of_person(period)))
    # The company-goal ids as a list (one small query): "no goal of this person in the
    # period with root in (ids)" is then one probe of goal_coverage_idx (period, owner,
    # root) per person read in page order. With the ids as a subquery PostgreSQL pulled it
    # up into a join, misjudged it (16 company goals carry 348,000 goals) and hashed or
    # re-scanned every aligned goal of the company (0.4–6 s) to list one page of people.
    company_ids = list(
        Goal.objects.filter(level=GoalLevel.COMPANY).order_by().values_list("pk", flat=True)
    )
    if company_ids:
        people = people.exclude(Exists(_goals_of_person(period).filter(root_id__in=company_ids)))
    return people.order_by("sort_name", "pk")


def unaligned_page(
    manager: Person, period: Period, *, cursor: str | None, limit: int = org_queries.PAGE_SIZE
) -> org_queries.PeoplePage:
    """One keyset page of `unaligned_people` (raises org.queries.BadCursor on a bad cursor)."""
    return org_queries.people_page(unaligned_people(manager, period), cursor=cursor, limit=limit)


def can_see_coverage(user: Any) -> bool:
    """Whether the coverage page opens for the user: the company figure (`org.insights`),
    some departments (HR, executives) or a manager's own organisation. Every link to the
    page asks this, so no one is shown a link to a page that answers "not found"."""
    actor = actor_for(user)
    if actor is None:
        return False
    return actor.is_manager or can(user, "org.insights") or visible_departments(user) is not None
