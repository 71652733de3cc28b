""" "Where do I stand": what one person may read about their own growth, on one page.

Their track and level and what it expects, their competency profile with gaps, their goals
this period and last, the feedback themes they received (counts by company value), their
last review's outcome and what it is used for, their development plan, their time at level
and how promotions work here. Each part is read through the feature that owns it, as the
person may read it there: nothing here that they could not already see elsewhere, nothing
about anyone else. A fixed number of queries, whatever the size of the company.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import require
from tandem.feedback import queries as feedback_queries
from tandem.goals.queries import goals as goal_queries
from tandem.growth.models import Action, ActionStatus, FocusArea, Plan, PlanStatus
from tandem.growth.queries.profile import ProfilePage, profile_page
from tandem.program.models import Program
from tandem.reviews.queries.outcome import LastReview, last_review

GOALS_SHOWN = 10
THEMES_SHOWN = 8


@dataclass
class GoalRow:
    id: int
    title: str
    progress: int  # percent
    health: str
    url: str


@dataclass
class GoalPeriod:
    name: str
    start: date
    end: date
    goals: list[GoalRow]
    total: int


@dataclass
class Theme:
    name: str
    count: int


@dataclass
class PlanAction:
    text: str
    kind: str
    status: str
    due_on: date | None
    overdue: bool


@dataclass
class PlanFocus:
    title: str
    actions: list[PlanAction]


@dataclass
class PlanView:
    id: int
    title: str
    status: str
    starts_on: date
    ends_on: date
    focus_areas: list[PlanFocus]


@dataclass
class Standing:
    person: Any
    profile: ProfilePage
    track_url: str | None
    level_summary: str
    level_scope: str
    months_at_level: int | None
    time_at_level: str
    goals: list[GoalPeriod]
    feedback_received: int
    praise_received: int
    themes: list[Theme]
    last_review: LastReview | None
    plan: PlanView | None
    promotions: str
    plans_sentence: str
    gaps: list[Any] = field(default_factory=list)


def track_url(track_id: int) -> str | None:
    return reverse("growth:track", args=[track_id])


def months_between(start: date, today: date) -> int:
    months = (today.year - start.year) * 12 + today.month - start.month
    return max(months - (1 if today.day < start.day else 0), 0)


def time_words(months: int) -> str:
    years, rest = divmod(months, 12)
    if months < 1:
        return "less than a month"
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " and ".join(parts)


def _goal_periods(user: Any, today: date) -> list[GoalPeriod]:
    current = goal_queries.current_period(today) or goal_queries.latest_period(today)
    if current is None:
        return []
    chosen = [current]
    previous = (
        goal_queries.periods().filter(end_date__lt=current.start_date, kind=current.kind).first()
    )
    if previous is not None:
        chosen.append(previous)
    periods = []
    for period in chosen:
        goals = goal_queries.goals_for(user, person=user, period=period)
        rows = list(goals[:GOALS_SHOWN])
        total = len(rows) if len(rows) < GOALS_SHOWN else goals.count()
        periods.append(
            GoalPeriod(
                name=period.name,
                start=period.start_date,
                end=period.end_date,
                goals=[
                    GoalRow(
                        id=goal.pk,
                        title=goal.title,
                        progress=round(float(goal.progress or 0) * 100),
                        health=goal.get_health_display() if goal.health else "",
                        url=reverse("goals:detail", args=[goal.pk]),
                    )
                    for goal in rows
                ],
                total=total,
            )
        )
    return periods


def _feedback(user: Any) -> tuple[int, int, list[Theme]]:
    received = feedback_queries.received(user, user).order_by()
    # Public feedback is praise (feedback's `is_praise`).
    totals = received.aggregate(all=Count("pk"), praise=Count("pk", filter=Q(visibility="public")))
    themes = (
        received.filter(values__isnull=False)
        .values("values__name")
        .annotate(count=Count("pk", distinct=True))
        .order_by("-count", "values__name")[:THEMES_SHOWN]
    )
    return (
        int(totals["all"] or 0),
        int(totals["praise"] or 0),
        [Theme(row["values__name"], int(row["count"])) for row in themes],
    )


def _plan(person: Any, today: date) -> PlanView | None:
    plans = Plan.objects.filter(person_id=person.pk).order_by("-starts_on", "-pk")
    # The active plan, else the draft being agreed.
    plan = plans.filter(status=PlanStatus.ACTIVE).first()
    plan = plan or plans.filter(status=PlanStatus.DRAFT).first()
    if plan is None:
        return None
    areas = list(FocusArea.objects.filter(plan=plan).order_by("position", "pk"))
    actions: dict[int, list[PlanAction]] = {area.pk: [] for area in areas}
    for action in Action.objects.filter(focus_area__plan=plan).order_by(
        "focus_area_id", "position", "pk"
    ):
        open_ = action.status in (ActionStatus.TODO, ActionStatus.DOING)
        actions[action.focus_area_id].append(
            PlanAction(
                text=action.text,
                kind=action.get_kind_display(),
                status=action.get_status_display(),
                due_on=action.due_on,
                overdue=open_ and action.due_on is not None and action.due_on < today,
            )
        )
    return PlanView(
        id=plan.pk,
        title=str(plan),
        status=plan.get_status_display(),
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        focus_areas=[PlanFocus(area.title, actions[area.pk]) for area in areas],
    )


def _sentence(program: Program, topic: str) -> str:
    return next((text for name, text in program.plain_words() if name == topic), "")


def standing(user: Any, *, today: date | None = None) -> Standing:
    """Everything "where do I stand" shows to `user` about themselves."""
    require(user, "growth.standing.view", user)
    today = today or timezone.localdate()
    program = Program.current()
    profile = profile_page(user, user, program=program)
    placement, level = profile.placement, profile.level
    months = months_between(placement.since, today) if placement else None
    received, praise, themes = _feedback(user)
    gaps = sorted(
        (row for row in profile.rows if row.gap and row.gap > 0),
        key=lambda row: (-(row.gap or 0), row.name),
    )
    return Standing(
        person=user,
        profile=profile,
        track_url=track_url(placement.track_id) if placement else None,
        level_summary=level.summary if level else "",
        level_scope=level.scope if level else "",
        months_at_level=months,
        time_at_level=time_words(months) if months is not None else "",
        goals=_goal_periods(user, today),
        feedback_received=received,
        praise_received=praise,
        themes=themes,
        last_review=last_review(user, user, program=program),
        plan=_plan(user, today),
        promotions=_sentence(program, "Promotions"),
        plans_sentence=_sentence(program, "Development plans"),
        gaps=gaps,
    )
