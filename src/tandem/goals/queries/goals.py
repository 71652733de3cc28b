"""Reading goals, always through the access scope of the person asking.

`goal_for` answers a goal the user may not see exactly like a missing one (404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tandem.access.rules import can, scope
from tandem.core.sql import count_rows
from tandem.goals.models import (
    CheckIn,
    DepartmentTally,
    Goal,
    GoalChange,
    GoalComment,
    GoalLevel,
    GoalState,
    Period,
    PeriodKind,
)
from tandem.org.models import Department, Person

CHILDREN_PAGE_SIZE = 25


def visible_goals(user: Any) -> QuerySet[Goal]:
    return scope(user, Goal.objects.all())


def aligned_children() -> QuerySet[Any]:
    """The goals aligned to the outer query's goal, grouped on it: the rows `count_of` and
    `rollup_of` turn into correlated subqueries over the parent index."""
    return Goal.objects.filter(parent=OuterRef("pk")).order_by().values("parent")


def count_of(rows: QuerySet[Any]) -> Coalesce:
    """How many `rows` there are (a correlated subquery), 0 for none."""
    return count_rows(rows)


def rollup_of(children: QuerySet[Any]) -> Subquery:
    """The average progress of `children` (a correlated subquery), None when there are none."""
    return Subquery(
        children.annotate(a=Avg("progress")).values("a"),
        output_field=DecimalField(max_digits=5, decimal_places=4),
    )


def with_rollup(queryset: QuerySet[Goal]) -> QuerySet[Goal]:
    """Annotate each goal with its aligned children's average progress and how many there
    are, in SQL. Every child counts, private ones included: a roll-up is a number, and
    only titles and owners are hidden from those who may not see them."""
    children = aligned_children()
    return queryset.annotate(rollup=rollup_of(children), children_count=count_of(children))


def goal_for(user: Any, goal_id: int) -> Goal:
    goal = (
        with_rollup(visible_goals(user))
        .select_related("owner", "period", "department", "parent", "carried_from")
        .filter(pk=goal_id)
        .first()
    )
    if goal is None:
        raise Http404("No such goal")
    return goal


def current_period(today: date | None = None) -> Period | None:
    """The period containing `today`: a program period (quarter, half, year) before a custom
    one, the shortest first."""
    today = today or timezone.localdate()
    candidates = list(Period.objects.filter(start_date__lte=today, end_date__gte=today))
    if not candidates:
        return None
    candidates.sort(
        key=lambda p: (p.kind == PeriodKind.CUSTOM, (p.end_date - p.start_date).days, p.pk)
    )
    return candidates[0]


def periods() -> QuerySet[Period]:
    """Periods, newest first, for the period menus (no per-period figures: counting the
    goals of every period joined all 706,000 goals of the 100k benchmark, 0.6–0.9 s)."""
    return Period.objects.order_by("-start_date", "name")


def periods_with_counts() -> QuerySet[Period]:
    """Periods with their number of goals (`goal_count`), for the HR admins' periods page:
    one correlated count per period, an index-only scan of that period's goals."""
    goals = Goal.objects.filter(period=OuterRef("pk")).order_by().values("period")
    return periods().annotate(goal_count=count_of(goals))


def period_for(period_id: int | None) -> Period | None:
    if period_id is None:
        return None
    return Period.objects.filter(pk=period_id).first()


def next_period(period: Period) -> Period | None:
    """The period that follows `period`: same kind first, then any that starts after."""
    after = Period.objects.filter(start_date__gt=period.end_date, closed_at__isnull=True)
    return (
        after.filter(kind=period.kind).order_by("start_date").first()
        or after.order_by("start_date").first()
    )


def all_goals_overlapping(start: date, end: date) -> QuerySet[Goal]:
    """Every goal in a period that overlaps start..end, whoever owns it: no access scope, for
    the system's own reads (a review cycle's goal scores, the demo's evidence)."""
    return Goal.objects.filter(period__start_date__lte=end, period__end_date__gte=start)


def goals_for(
    user: Any,
    *,
    person: Person | None = None,
    period: Period | None = None,
    level: str | None = None,
) -> QuerySet[Goal]:
    """Goals `user` may see, optionally those owned by `person`, in `period`, of `level`."""
    queryset = visible_goals(user)
    if person is not None:
        queryset = queryset.filter(owner=person)
    if period is not None:
        queryset = queryset.filter(period=period)
    if level is not None:
        queryset = queryset.filter(level=level)
    return queryset.select_related("owner", "period", "parent").order_by("level", "title", "id")


def latest_period(today: date | None = None) -> Period | None:
    """The period that started last (by today), else the first one to come: what goal pages
    show when no period contains today (the daily run has not created it yet)."""
    today = today or timezone.localdate()
    started = Period.objects.filter(start_date__lte=today).order_by("-start_date", "pk").first()
    return started or Period.objects.order_by("start_date", "pk").first()


def my_goals(user: Any, period: Period | None) -> QuerySet[Goal]:
    if period is None:
        return Goal.objects.none()
    return with_rollup(goals_for(user, person=user, period=period)).annotate(
        kr_count=Count("key_results", distinct=True)
    )


def company_goals(user: Any, period: Period | None) -> QuerySet[Goal]:
    if period is None:
        return Goal.objects.none()
    return with_rollup(goals_for(user, period=period, level=GoalLevel.COMPANY))


def alignable_parents(user: Any, *, level: str, period: Period | None = None) -> QuerySet[Goal]:
    """Goals a goal of `level` may align to: visible, active, of a wider or equal scope."""
    levels = {
        GoalLevel.COMPANY: [GoalLevel.COMPANY],
        GoalLevel.TEAM: [GoalLevel.COMPANY, GoalLevel.TEAM],
        GoalLevel.INDIVIDUAL: [GoalLevel.COMPANY, GoalLevel.TEAM, GoalLevel.INDIVIDUAL],
    }[GoalLevel(level)]
    queryset = visible_goals(user).filter(level__in=levels, state=GoalState.ACTIVE)
    if period is not None:
        # The same period, or a longer one around it (a yearly company goal for a quarter).
        queryset = queryset.filter(
            period__start_date__lte=period.start_date, period__end_date__gte=period.end_date
        )
    return queryset.select_related("owner").order_by("level", "title", "id")


def parent_menu(user: Any, *, level: str, chain_ids: list[int], limit: int) -> list[Goal]:
    """The short "Supports" menu for a new goal of `level`: the company and team goals of
    the open periods, and the goals of `chain_ids` (the user's managers), by level and
    title, at most `limit`, with only the fields the menu shows (level, title, owner's
    name; the others are deferred). Three bounded queries at any size: the company and team goals
    are read in order from `goal_menu_idx` and the walk stops at `limit`; the chain's
    goals come from the owner index; the two short id lists are then sorted together."""
    open_goals = alignable_parents(user, level=level).filter(period__closed_at__isnull=True)
    wide = [GoalLevel.COMPANY, GoalLevel.TEAM]
    ids = list(open_goals.filter(level__in=wide).values_list("pk", flat=True)[:limit])
    if chain_ids:
        ids += open_goals.filter(owner_id__in=chain_ids).values_list("pk", flat=True)[:limit]
    if not ids:
        return []
    # Only what the menu shows: 300 whole goals and owners (descriptions, dates parsed into
    # datetimes) were a fifth of the new-goal page's time at 100,000 people.
    return list(
        Goal.objects.filter(pk__in=ids)
        .select_related("owner")
        .only(*MENU_FIELDS)
        .order_by("level", "title", "id")[:limit]
    )


MENU_FIELDS = (
    "id",
    "level",
    "title",
    "owner__id",
    "owner__first_name",
    "owner__last_name",
    "owner__preferred_name",
)


GOAL_PICK_LIMIT = 15


def goals_to_pick(
    user: Any, *, q: str, level: str, not_under: int | None = None, limit: int = GOAL_PICK_LIMIT
) -> list[Goal]:
    """For the "Supports" picker: up to `limit` goals of the open periods that a goal of
    `level` may align to and the user may see, with a title word starting with each typed
    word, by level (company first) and title. `not_under` leaves out a goal's own subtree
    (a goal cannot support itself or its descendants); a goal the user cannot see leaves
    nothing out. Two queries; fewer than two characters find nothing."""
    words = q.replace("\x00", " ")[:100].split()[:4]
    if len("".join(words)) < 2:
        return []
    goals = alignable_parents(user, level=level).filter(period__closed_at__isnull=True)
    for word in words:
        goals = goals.filter(Q(title__istartswith=word) | Q(title__icontains=f" {word}"))
    if not_under is not None:
        own = visible_goals(user).filter(pk=not_under).values_list("path", flat=True).first()
        if own:
            goals = goals.exclude(path__startswith=own)
    # Company goals first, then team, then individual: the widest goals are the usual aim.
    rank = Case(
        When(level=GoalLevel.COMPANY, then=Value(0)),
        When(level=GoalLevel.TEAM, then=Value(1)),
        default=Value(2),
    )
    ordered = goals.select_related("owner", "department").order_by(rank, "title", "id")
    return list(ordered[:limit])


def alignment_up(user: Any, goal: Goal) -> list[Goal | None]:
    """The goals above `goal`, from the top down, in one query. A parent the user may not
    see is None (shown as "a private goal")."""
    ids = [int(part) for part in goal.path.strip("/").split("/") if part][:-1]
    if not ids:
        return []
    found = {g.pk: g for g in visible_goals(user).filter(pk__in=ids).select_related("owner")}
    return [found.get(i) for i in ids]


@dataclass
class ChildrenPage:
    goals: list[Goal]
    next_cursor: str | None
    hidden: int


def alignment_down(user: Any, goal: Goal, *, cursor: str | None = None) -> ChildrenPage:
    """The goals aligned directly to `goal` that the user may see, by title, a page at a
    time (keyset on title and id), and how many aligned goals are hidden from them."""
    visible = visible_goals(user).filter(parent=goal)
    queryset = visible.select_related("owner", "period").order_by("title", "id")
    if cursor:
        title, _, last_id = cursor.rpartition("|")
        try:
            last = int(last_id)
        except ValueError:
            last = 0
        queryset = queryset.filter(Q(title__gt=title) | Q(title=title, id__gt=last))
    rows = list(queryset[: CHILDREN_PAGE_SIZE + 1])
    next_cursor = None
    if len(rows) > CHILDREN_PAGE_SIZE:
        rows = rows[:CHILDREN_PAGE_SIZE]
        next_cursor = f"{rows[-1].title}|{rows[-1].pk}"
    counts = Goal.objects.filter(parent=goal).aggregate(
        total=Count("pk"), seen=Count("pk", filter=Q(pk__in=visible.values("pk")))
    )
    hidden = counts["total"] - counts["seen"]
    return ChildrenPage(goals=rows, next_cursor=next_cursor, hidden=hidden)


def checkins_for(goal: Goal, limit: int = 20) -> list[CheckIn]:
    return list(goal.checkins.select_related("author").order_by("-created_at", "-id")[:limit])


def comments_for(user: Any, goal: Goal, limit: int = 100) -> list[GoalComment]:
    """Comments on a goal the user may see (the caller already checked goal.view)."""
    if not can(user, "goal.view", goal):
        return []
    rows = goal.comments.select_related("author").order_by("-created_at", "-id")[:limit]
    return list(reversed(list(rows)))


@dataclass
class TimelineEntry:
    change: GoalChange
    old_label: str
    new_label: str


def timeline(user: Any, goal: Goal, limit: int = 100) -> list[TimelineEntry]:
    """The goal's history, newest first. Owners and parent goals are stored by id and shown
    by name only when the viewer may see them."""
    changes = list(goal.changes.select_related("by", "key_result").order_by("-at", "-id")[:limit])
    goal_ids: set[int] = set()
    person_ids: set[int] = set()
    for change in changes:
        target = goal_ids if change.field in {"parent", "carried_from", "carried_to"} else None
        if change.field == "owner":
            target = person_ids
        if target is not None:
            for value in (change.old, change.new):
                if value.isdigit():
                    target.add(int(value))
    goals = {g.pk: g.title for g in visible_goals(user).filter(pk__in=goal_ids).only("pk", "title")}
    people = {p.pk: p.display_name for p in Person.objects.filter(pk__in=person_ids)}

    def label(field: str, value: str) -> str:
        if not value:
            return "none"
        if field in {"parent", "carried_from", "carried_to"} and value.isdigit():
            return goals.get(int(value), "a goal you cannot see")
        if field == "owner" and value.isdigit():
            return people.get(int(value), "someone")
        return value

    return [
        TimelineEntry(change=c, old_label=label(c.field, c.old), new_label=label(c.field, c.new))
        for c in changes
    ]


def churn_by_department(period: Period | None) -> list[dict[str, Any]]:
    """Per department: goals in the period, target/date changes after it started, and the
    changes per goal, with the department's tree path. One grouped query; departments are
    the goal owners'."""
    if period is None:
        return []
    # The tally kept by the goal and org services (tandem.goals.tally). Department 0 is
    # "no department": ordered as NULL, where the database sorts the live query's NULL.
    tallied = (
        DepartmentTally.objects.filter(period=period, goals__gt=0)
        .annotate(
            dept=Case(
                When(department_id=0, then=Value(None)),
                default=F("department_id"),
                output_field=IntegerField(),
            )
        )
        .order_by("-churn", "dept")
        .values_list("department_id", "goals", "churn")[:200]
    )
    found = [
        {"owner__department_id": dept or None, "goals": goals, "churn": churn}
        for dept, goals, churn in tallied
    ]
    return _churn_rows(found)


def live_churn_by_department(period: Period) -> list[dict[str, Any]]:
    """`churn_by_department` counted from the goals themselves (the tally's check)."""
    rows = (
        Goal.objects.filter(period=period)
        .values("owner__department_id")
        .annotate(goals=Count("pk"), churn=Sum("churn"))
        .order_by("-churn", "owner__department_id")
    )
    return _churn_rows(list(rows[:200]))


def _churn_rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {
        pk: (name, path)
        for pk, name, path in Department.objects.filter(
            pk__in=[r["owner__department_id"] for r in found]
        ).values_list("pk", "name", "path")
    }
    result = []
    for row in found:
        churn = row["churn"] or 0
        name, path = names.get(row["owner__department_id"], ("No department", ""))
        result.append(
            {
                "department": name,
                "department_id": row["owner__department_id"],
                "path": path,
                "goals": row["goals"],
                "churn": churn,
                "per_goal": (Decimal(churn) / row["goals"]).quantize(Decimal("0.01"))
                if row["goals"]
                else Decimal(0),
            }
        )
    return result


def home_card(user: Any, limit: int = 5) -> dict[str, Any]:
    """This period's goals of `user` for the home page: two queries whatever the count."""
    period = current_period()
    goals = list(my_goals(user, period)[: limit + 1]) if period is not None else []
    return {"period": period, "goals": goals[:limit], "more": len(goals) > limit}
