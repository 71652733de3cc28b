"""The per-(period, department) tally behind the company goals and coverage pages.

Counting a period's goals per owner department (churn) or per active person (coverage)
reads every goal of the period joined to its owner: 150–600 ms at 100,000 people, however
the query is written (docs/benchmarks.md, issue 11). So the counts are kept in
`DepartmentTally`, one row per (period, owner's department), and the pages read a few
hundred rows.

Kept current in the writer's transaction, from the goals themselves, never from what a
service believes it changed: a goal write that touches a few owners' goals runs inside
`counting(owners, periods)`, which reads what those owners add to the tally before and
after the write (one indexed query each) and applies the difference; a write that
touches many (an alignment moving a large subtree, people changing department) has
`refresh` recount the (periods, departments) rows concerned with the same grouped query a
full rebuild runs. Writes:

- goal services: create, bulk-assign, carry over, owner or period change, churn
  (`_common.record_change`) by `counting`; alignment by `counting` for a subtree of at
  most `MANY_OWNERS` owners, else by recounting its periods and departments;
- org services, through `tandem.goals.tasks` queued on commit: a person changing
  department or status (the old and new department), a people import (a full rebuild);
- the demo loader (a full rebuild at its end), and `tandem rebuild-goal-tally`.

Refreshes of a period are serialised by a row lock on the period (FOR NO KEY UPDATE: goal
inserts, which take a key-share lock on their period, are not blocked).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Sum, Value, When

from tandem.goals.coverage import ALIGNED_FLAG
from tandem.goals.models import DepartmentTally, Goal, Period
from tandem.org.models import PersonStatus

NO_DEPARTMENT = 0
# Above this many owners, an alignment recounts departments instead of `counting`.
MANY_OWNERS = 500

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
        _lock(period_ids)
        stale = DepartmentTally.objects.all()
        if period_ids is not None:
            stale = stale.filter(period_id__in=period_ids)
        if keys is not None:
            stale = stale.filter(department_id__in=keys)
        stale.delete()
        DepartmentTally.objects.bulk_create(recount(period_ids, keys), batch_size=1000)


Key = tuple[int, int]  # (period id, department key)
Counts = tuple[int, int, int, int]  # goals, churn, active owners with goals, aligned


def _owners_counts(owner_ids: list[int], period_ids: list[int]) -> dict[Key, Counts]:
    """What these owners add to each (period, department) row now: their goals grouped
    per person on goal_owner_period_idx, summed per department here (a few rows)."""
    rows = (
        Goal.objects.filter(owner_id__in=owner_ids, period_id__in=period_ids)
        .order_by()
        .values("period_id", "owner_id", dept=F("owner__department_id"), active=_ACTIVE)
        .annotate(n=Count("pk"), churned=Sum("churn"), reaches=Max(ALIGNED_FLAG))
    )
    found: dict[Key, Counts] = {}
    for row in rows:
        key = (row["period_id"], _key(row["dept"]))
        goals, churn, with_goals, aligned = found.get(key, (0, 0, 0, 0))
        active = int(row["active"])
        found[key] = (
            goals + row["n"],
            churn + int(row["churned"] or 0),
            with_goals + active,
            aligned + active * int(row["reaches"] or 0),
        )
    return found


def _lock(period_ids: list[int] | None) -> None:
    locked = Period.objects.select_for_update(no_key=True).order_by("pk")
    if period_ids is not None:
        locked = locked.filter(pk__in=period_ids)
    list(locked.values_list("pk", flat=True))


_COUNTING: ContextVar[tuple[set[int], set[int]] | None] = ContextVar(
    "goal_tally_counting", default=None
)


@contextmanager
def counting(*, owners: Iterable[int | None], periods: Iterable[int | None]) -> Iterator[None]:
    """Around a goal write that touches only these owners' goals in these periods: what
    the owners add to the tally is read before and after (one indexed query each) and
    the difference applied to their departments' rows. A few milliseconds, where
    recounting a department of 10,000 people takes 60–150 ms. Nothing is applied when
    the write raises."""
    owner_ids = sorted({int(o) for o in owners if o})
    period_ids = sorted({int(p) for p in periods if p})
    outer = _COUNTING.get()
    if (
        not owner_ids
        or not period_ids
        or (outer is not None and set(owner_ids) <= outer[0] and set(period_ids) <= outer[1])
    ):
        # Nothing to count, or inside a `counting` that already covers it (a churn
        # change recorded within an owner change): the outer one sees this write.
        yield
        return
    with transaction.atomic():
        _lock(period_ids)
        before = _owners_counts(owner_ids, period_ids)
        token = _COUNTING.set((set(owner_ids), set(period_ids)))
        try:
            yield
        finally:
            _COUNTING.reset(token)
        after = _owners_counts(owner_ids, period_ids)
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, (0, 0, 0, 0)), after.get(key, (0, 0, 0, 0))
            if old != new:
                _add(key, tuple(n - o for n, o in zip(new, old, strict=True)))


def _add(key: Key, delta: tuple[int, ...]) -> None:
    period_id, department_id = key
    goals, churn, with_goals, aligned = delta
    row = DepartmentTally.objects.filter(period_id=period_id, department_id=department_id)
    updated = row.update(
        goals=F("goals") + goals,
        churn=F("churn") + churn,
        with_goals=F("with_goals") + with_goals,
        aligned=F("aligned") + aligned,
    )
    if not updated:
        DepartmentTally.objects.create(
            period_id=period_id,
            department_id=department_id,
            goals=goals,
            churn=churn,
            with_goals=with_goals,
            aligned=aligned,
        )
    else:
        row.filter(goals__lte=0).delete()  # a department left without goals: no row


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


def rebuild() -> int:
    """The whole tally from scratch; returns the number of rows."""
    refresh()
    return DepartmentTally.objects.count()
