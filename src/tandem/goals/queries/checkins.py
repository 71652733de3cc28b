"""Reads for check-ins: a person's week, a manager's team goals, 1:1 talking points.

Every read starts from the access scope of the person asking; a page costs a fixed number
of queries whatever the number of reports, goals or priorities."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.access.rules import can, scope
from tandem.core.pagination import BadCursor
from tandem.goals.models import (
    CheckIn,
    Goal,
    GoalState,
    Health,
    Period,
    Priority,
    WeeklyCheckIn,
)
from tandem.goals.queries.goals import current_period
from tandem.org.models import Person, PersonStatus
from tandem.org.queries import decode_cursor, encode_cursor

STALE_AFTER = timedelta(weeks=3)
TEAM_PAGE_SIZE = 25
GOALS_PER_PERSON = 20
MAX_ID = 2**63 - 1


def week_start_of(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def linkable_goals(person: Any, week_start: date) -> Any:
    """The person's own goals a priority of that week may link to: active goals in a period
    that overlaps the week and is not closed."""
    week_end = week_start + timedelta(days=6)
    return Goal.objects.filter(
        owner=person,
        state=GoalState.ACTIVE,
        period__closed_at__isnull=True,
        period__start_date__lte=week_end,
        period__end_date__gte=week_start,
    )


def stale_before(now: datetime | None = None) -> datetime:
    """Goals without a check-in since this moment are flagged (3 weeks)."""
    return (now or timezone.now()) - STALE_AFTER


# --- The weekly check-in -------------------------------------------------------------------


@dataclass
class Week:
    """What the weekly check-in section shows for one person and one week."""

    person: Person
    week_start: date
    checkin: WeeklyCheckIn | None
    priorities: list[Priority]
    last_week: list[Priority]
    goals: list[Goal]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def previous_start(self) -> date:
        return self.week_start - timedelta(days=7)

    @property
    def linked_count(self) -> int:
        return sum(1 for p in self.priorities if p.goal_id is not None)

    @property
    def linked_share(self) -> int | None:
        """Whole percent of this week's priorities linked to a goal; None when there are none."""
        return linked_share(self.priorities)

    @property
    def carried_ids(self) -> set[int]:
        return {p.carried_from_id for p in self.priorities if p.carried_from_id is not None}


def linked_share(priorities: list[Priority]) -> int | None:
    if not priorities:
        return None
    linked = sum(1 for p in priorities if p.goal_id is not None)
    return round(100 * linked / len(priorities))


def week_for(user: Any, person: Person, week_start: date | None = None) -> Week:
    """`person`'s check-in for the week (this week by default) and last week's priorities;
    four queries. The caller has checked `goal.weekly_view`."""
    week_start = week_start or week_start_of(timezone.localdate())
    previous = week_start - timedelta(days=7)
    checkins = {
        c.week_start: c
        for c in WeeklyCheckIn.objects.filter(person=person, week_start__in=[week_start, previous])
    }
    rows = list(
        Priority.objects.filter(checkin__in=[c.pk for c in checkins.values()])
        .select_related("goal")
        .order_by("checkin_id", "position", "id")
    )
    visible = set(
        scope(user, Goal.objects.filter(pk__in={p.goal_id for p in rows if p.goal_id})).values_list(
            "pk", flat=True
        )
    )
    for priority in rows:
        # A goal the viewer may not see (a private one) is shown as "a private goal".
        priority.goal_visible = priority.goal_id in visible  # type: ignore[attr-defined]
    this = checkins.get(week_start)
    last = checkins.get(previous)
    return Week(
        person=person,
        week_start=week_start,
        checkin=this,
        priorities=[p for p in rows if this is not None and p.checkin_id == this.pk],
        last_week=[p for p in rows if last is not None and p.checkin_id == last.pk],
        goals=list(
            linkable_goals(person, week_start)
            .select_related("period")
            .order_by("title", "id")[:100]
        ),
    )


def has_checked_in(person: Person, week_start: date) -> bool:
    return WeeklyCheckIn.objects.filter(
        person=person, week_start=week_start, submitted_at__isnull=False
    ).exists()


# --- My team's goals ------------------------------------------------------------------------


__all__ = ["BadCursor"]


@dataclass
class TeamMember:
    person: Person
    goals: list[Goal] = field(default_factory=list)
    more_goals: bool = False

    @property
    def stale_count(self) -> int:
        return sum(1 for g in self.goals if getattr(g, "stale", False))


@dataclass
class TeamPage:
    members: list[TeamMember]
    next_cursor: str | None
    whole_org: bool

    @property
    def goal_count(self) -> int:
        return sum(len(m.goals) for m in self.members)


def manages_managers(user: Any) -> bool:
    """True when one of the user's direct reports has reports of their own."""
    return (
        Person.objects.filter(manager_id=user.pk, reports__isnull=False)
        .exclude(status=PersonStatus.LEFT)
        .filter(~Q(reports__status=PersonStatus.LEFT))
        .exists()
    )


def team_people(user: Any, *, whole_org: bool = False) -> QuerySet[Person]:
    """The user's direct reports, or everyone below them; people who left are not listed."""
    people = scope(user, Person.objects.all()).exclude(status=PersonStatus.LEFT)
    if whole_org and user.path:
        return people.filter(path__startswith=user.path).exclude(pk=user.pk)
    return people.filter(manager_id=user.pk)


def team_goals(
    user: Any,
    *,
    period: Period | None,
    whole_org: bool = False,
    cursor: str | None = None,
    limit: int = TEAM_PAGE_SIZE,
    now: datetime | None = None,
) -> TeamPage:
    """One page of the team (keyset on name), each person with their goals in `period`:
    progress, health, last check-in, and whether it has gone 3+ weeks without one.
    Two queries, whatever the size of the team."""
    people = team_people(user, whole_org=whole_org)
    if cursor:
        sort_name, pk = decode_cursor(cursor)
        people = people.filter(sort_name__gte=sort_name).filter(
            Q(sort_name__gt=sort_name) | Q(pk__gt=pk)
        )
    rows = list(people.select_related("department").order_by("sort_name", "pk")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    rows = rows[:limit]
    members = {p.pk: TeamMember(person=p) for p in rows}
    if period is not None and members:
        threshold = stale_before(now)
        goals = (
            scope(user, Goal.objects.filter(owner_id__in=list(members), period=period))
            .select_related("parent")
            .order_by("owner_id", "state", "title", "id")
        )
        per_person: dict[int, list[Goal]] = defaultdict(list)
        for goal in goals:
            per_person[goal.owner_id].append(goal)
        for owner_id, owned in per_person.items():
            member = members[owner_id]
            member.more_goals = len(owned) > GOALS_PER_PERSON
            member.goals = owned[:GOALS_PER_PERSON]
            for goal in member.goals:
                goal.stale = is_stale(goal, threshold)  # type: ignore[attr-defined]
    return TeamPage(members=list(members.values()), next_cursor=next_cursor, whole_org=whole_org)


def is_stale(goal: Goal, threshold: datetime) -> bool:
    """An active goal that has gone 3+ weeks without a check-in (counting from its creation
    when it never had one)."""
    if goal.state != GoalState.ACTIVE:
        return False
    return (goal.last_checkin_at or goal.created_at) < threshold


def recent_periods(limit: int = 12) -> list[Period]:
    return list(Period.objects.order_by("-start_date", "name")[:limit])


def team_period(period_id: int | None, today: date | None = None) -> Period | None:
    if period_id is not None:
        chosen = Period.objects.filter(pk=period_id).first()
        if chosen is not None:
            return chosen
    return current_period(today)


# --- Talking points for 1:1s ----------------------------------------------------------------


@dataclass(frozen=True)
class TalkingPoint:
    goal: Goal
    reason: str


def talking_points_for(manager: Any, report: Person, *, limit: int = 10) -> list[TalkingPoint]:
    """Goals of `report` worth raising in a 1:1 with `manager`: at risk or off track, or
    without a check-in for 3+ weeks. Active goals in open periods, worst first; one query.
    Only goals the manager may see."""
    if not can(manager, "goal.weekly_view", report):
        return []
    threshold = stale_before()
    goals = list(
        scope(
            manager,
            Goal.objects.filter(
                owner=report,
                state=GoalState.ACTIVE,
                period__closed_at__isnull=True,
                period__start_date__lte=timezone.localdate(),
            ),
        )
        .filter(
            Q(health__in=[Health.AT_RISK, Health.OFF_TRACK])
            | Q(last_checkin_at__isnull=True, created_at__lt=threshold)
            | Q(last_checkin_at__lt=threshold)
        )
        .select_related("period")
        .order_by("title", "id")[:200]
    )
    rank: dict[str, int] = {Health.OFF_TRACK: 0, Health.AT_RISK: 1}
    goals.sort(key=lambda g: (rank.get(g.health, 2), g.last_checkin_at is not None, g.title))
    points = []
    for goal in goals[:limit]:
        if goal.health == Health.OFF_TRACK:
            reason = "Off track at the last check-in"
        elif goal.health == Health.AT_RISK:
            reason = "At risk at the last check-in"
        elif goal.last_checkin_at is None:
            reason = "No check-in in the 3+ weeks since it was set"
        else:
            reason = "No check-in for 3 weeks or more"
        points.append(TalkingPoint(goal=goal, reason=reason))
    return points


def latest_checkins(goal: Goal, limit: int = 5) -> list[CheckIn]:
    return list(goal.checkins.select_related("author").order_by("-created_at", "-id")[:limit])


def as_percent(value: Decimal | None) -> int:
    return round((value or Decimal(0)) * 100)
