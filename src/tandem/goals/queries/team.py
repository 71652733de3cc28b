"""Goal figures for a manager's team hub: one grouped query for a page of people.

The hub (`tandem.team`) shows, per person, this period's goals: how many, their average
progress, how many are off track or at risk, the last check-in and how many active goals
went three weeks without one. Counted in SQL, grouped by owner, for the page's people only,
and only over the goals the viewer may see (`scope`): a page costs one query whatever the
number of people or goals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce

from tandem.access.rules import scope
from tandem.goals.models import CheckIn, Goal, GoalState, Health, Period

TIMELINE_LIMIT = 50


@dataclass(frozen=True)
class GoalFigures:
    count: int = 0
    average_progress: int | None = None  # percent, None without goals
    off_track: int = 0
    at_risk: int = 0
    last_checkin_at: datetime | None = None
    # Active goals last checked in (or created, if never) before `stale_before`.
    stale: int = 0


def team_goal_figures(
    user: Any, person_ids: list[int], period: Period | None, *, stale_before: datetime
) -> dict[int, GoalFigures]:
    """Each person's figures for `period`'s goals they own, keyed by person id (people
    without goals are left out)."""
    if period is None or not person_ids:
        return {}
    active = Q(state=GoalState.ACTIVE)
    goals = scope(user, Goal.objects.filter(owner_id__in=person_ids, period=period))
    rows = (
        goals.alias(stale_since=Coalesce("last_checkin_at", "created_at"))
        .order_by()
        .values("owner_id")
        .annotate(
            count=Count("id"),
            average=Avg("progress"),
            off_track=Count("id", filter=active & Q(health=Health.OFF_TRACK)),
            at_risk=Count("id", filter=active & Q(health=Health.AT_RISK)),
            last_checkin_at=Max("last_checkin_at"),
            stale=Count("id", filter=active & Q(stale_since__lt=stale_before)),
        )
    )
    figures: dict[int, GoalFigures] = {}
    for row in rows:
        average = row["average"]
        figures[row["owner_id"]] = GoalFigures(
            count=row["count"],
            average_progress=None if average is None else round(Decimal(average) * 100),
            off_track=row["off_track"],
            at_risk=row["at_risk"],
            last_checkin_at=row["last_checkin_at"],
            stale=row["stale"],
        )
    return figures


def stale_goal(user: Any, period: Period | None, *, stale_before: datetime) -> Exists | None:
    """For a query of people: whether the person (OuterRef "pk") owns an active goal of
    `period` the viewer may see, last checked in (or created) before `stale_before` — the
    hub's stale-goal flag, in SQL. None without a period."""
    if period is None:
        return None
    goals = scope(
        user,
        Goal.objects.filter(owner_id=OuterRef("pk"), period=period, state=GoalState.ACTIVE),
    )
    return Exists(
        goals.alias(stale_since=Coalesce("last_checkin_at", "created_at")).filter(
            stale_since__lt=stale_before
        )
    )


def person_goals(
    user: Any, person_id: int, period: Period | None, *, limit: int = 50
) -> list[Goal]:
    """The person's goals of `period` the viewer may see, active first, then by title."""
    if period is None:
        return []
    return list(
        scope(user, Goal.objects.filter(owner_id=person_id, period=period)).order_by(
            "state", "title", "pk"
        )[:limit]
    )


def recent_checkins(user: Any, person_id: int, *, since: datetime) -> list[CheckIn]:
    """Check-ins since `since` on the person's goals the viewer may see, newest first."""
    goals = scope(user, Goal.objects.filter(owner_id=person_id))
    return list(
        CheckIn.objects.filter(goal__in=goals.values("pk"), created_at__gte=since)
        .select_related("goal")
        .order_by("-created_at", "-pk")[:TIMELINE_LIMIT]
    )
