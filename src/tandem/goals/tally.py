"""The per-(period, department) tally behind the company goals and coverage pages.

Counting a period's goals per owner department (churn) or per active person (coverage)
reads every goal of the period joined to its owner: 150–600 ms at 100,000 people, however
the query is written (docs/benchmarks.md, issue 11). So the counts are kept in
`DepartmentTally`, one row per (period, owner's department), and the pages read a few
hundred rows.

Kept current by recounting, never by adding and subtracting: every write that can change a
figure names the (periods, departments) it touched and `refresh` recounts exactly those
rows with the same grouped query a full rebuild runs, in the writer's transaction. A
department's recount reads only its own people's goals in the period. Writes:

- goal services: create, bulk-assign, carry over, owner or period change, alignment (the
  aligned subtree's periods and departments), churn (`_common.record_change`);
- org services, through `tandem.goals.tasks` queued on commit: a person changing
  department or status (the old and new department), a people import (a full rebuild);
- the demo loader (a full rebuild at its end), and `tandem rebuild_goal_tally`.

Refreshes of a period are serialised by a row lock on the period (FOR NO KEY UPDATE: goal
inserts, which take a key-share lock on their period, are not blocked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When

from tandem.goals.coverage import ALIGNED_FLAG
from tandem.goals.models import DepartmentTally, Goal, Period
from tandem.org.models import PersonStatus

NO_DEPARTMENT = 0

_ACTIVE = Case(
    When(owner__status=PersonStatus.ACTIVE, then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def _key(department_id: int | None) -> int:
    return NO_DEPARTMENT if department_id is None else int(department_id)


def recount(
    periods: Iterable[int] | None = None, departments: Iterable[int | None] | None = None
) -> list[DepartmentTally]:
    """The tally rows as the goals and people stand now (unsaved), for the given periods
    and departments (None: all): the period's goals grouped by person first (one row a
    person: goals, churn, active?, any goal reaching a company goal?), then per department
    — a GROUP BY over a subquery, written here around the ORM's inner query."""
    goals = Goal.objects.all()
    if periods is not None:
        goals = goals.filter(period_id__in=sorted(set(periods)))
    if departments is not None:
        keys = {_key(d) for d in departments}
        condition = Q(owner__department_id__in=sorted(keys - {NO_DEPARTMENT}))
        if NO_DEPARTMENT in keys:
            condition |= Q(owner__department_id__isnull=True)
        goals = goals.filter(condition)
    per_person = (
        goals.order_by()
        .values("period_id", "owner_id", dept=F("owner__department_id"), active=_ACTIVE)
        .annotate(n=Count("pk"), churned=Sum("churn"), reaches=Max(ALIGNED_FLAG))
    )
    inner, params = per_person.query.sql_with_params()
    # The inner query is the ORM's, its values bound apart: nothing user-typed is pasted.
    sql = (
        "SELECT pp.period_id, pp.dept, SUM(pp.n), SUM(pp.churned), SUM(pp.active), "  # noqa: S608
        f"SUM(pp.active * pp.reaches) FROM ({inner}) pp GROUP BY pp.period_id, pp.dept"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return [
        DepartmentTally(
            period_id=int(period_id),
            department_id=_key(dept),
            goals=int(n or 0),
            churn=int(churn or 0),
            with_goals=int(active or 0),
            aligned=int(aligned or 0),
        )
        for period_id, dept, n, churn, active, aligned in found
    ]


def refresh(
    *, periods: Iterable[int | None] | None = None, departments: Iterable[int | None] | None = None
) -> None:
    """Recount the tally rows of `periods` × `departments` (None: every one)."""
    period_ids = None if periods is None else sorted({int(p) for p in periods if p})
    keys = None if departments is None else sorted({_key(d) for d in departments})
    if period_ids == [] or keys == []:
        return
    with transaction.atomic():
        locked = Period.objects.select_for_update(no_key=True).order_by("pk")
        if period_ids is not None:
            locked = locked.filter(pk__in=period_ids)
        list(locked.values_list("pk", flat=True))
        stale = DepartmentTally.objects.all()
        if period_ids is not None:
            stale = stale.filter(period_id__in=period_ids)
        if keys is not None:
            stale = stale.filter(department_id__in=keys)
        stale.delete()
        DepartmentTally.objects.bulk_create(recount(period_ids, keys), batch_size=1000)


def refresh_goals(goal_ids: Iterable[int] | QuerySet[Goal, Any]) -> None:
    """Recount what the given goals count in: their periods and owners' departments."""
    chosen = goal_ids if isinstance(goal_ids, QuerySet) else list(goal_ids)
    pairs = set(
        Goal.objects.filter(pk__in=chosen)
        .order_by()
        .values_list("period_id", "owner__department_id")
        .distinct()
    )
    refresh(periods={p for p, _ in pairs}, departments={d for _, d in pairs})


def refresh_goal(goal: Goal, *, owner_department_id: int | None) -> None:
    refresh(periods=[goal.period_id], departments=[owner_department_id])


def rebuild() -> int:
    """The whole tally from scratch; returns the number of rows."""
    refresh()
    return DepartmentTally.objects.count()
