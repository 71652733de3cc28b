"""API shapes of the competency profile and "where do I stand"."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field


class ProfileCompetencyOut(Schema):
    competency_id: int
    key: str = Field(description="The competency's key in the framework")
    group: str
    name: str
    expected: str = Field(description="What the level expects (Markdown); '' when nothing")
    manager: float | None = Field(description="The manager's latest rating, on the scale")
    self_rating: float | None = Field(description="The person's latest self rating")
    peers: float | None = Field(
        description="Mean of the latest peer ratings; null when fewer peers than the "
        "anonymity minimum rated it, or the reader may not read them"
    )
    scale_points: int | None
    gap: float | None = Field(
        description="The scale's 'meets' point minus the manager's rating; positive = below "
        "what the level expects; null without a manager rating"
    )


class ProfileScalePointOut(Schema):
    value: int
    label: str


class ProfilePlacementOut(Schema):
    track: str
    track_name: str
    level: str
    level_title: str
    since: date


class CompetencyProfileOut(Schema):
    person_id: int
    person_name: str
    placement: ProfilePlacementOut | None
    scale: list[ProfileScalePointOut]
    peer_minimum: int = Field(description="Peers needed before their mean is shown")
    competencies: list[ProfileCompetencyOut]


class StandingGoalOut(Schema):
    id: int
    title: str
    progress: int = Field(description="Percent done")
    health: str


class StandingGoalPeriodOut(Schema):
    name: str
    start: date
    end: date
    total: int = Field(description="Goals in the period (at most 10 listed)")
    goals: list[StandingGoalOut]


class StandingThemeOut(Schema):
    name: str = Field(description="A company value named in feedback received")
    count: int


class StandingLastReviewOut(Schema):
    cycle_name: str
    period_start: date
    period_end: date
    rating: str = Field(description="The rating of record's label; '' without one")
    calibrated: bool
    change_sentence: str
    used_for: str = Field(description="What the cycle's results are used for, in plain words")


class StandingPlanActionOut(Schema):
    text: str
    kind: str
    status: str
    due_on: date | None
    overdue: bool


class StandingPlanFocusOut(Schema):
    title: str
    actions: list[StandingPlanActionOut]


class StandingPlanOut(Schema):
    id: int
    title: str
    status: str
    starts_on: date
    ends_on: date
    focus_areas: list[StandingPlanFocusOut]


class StandingOut(Schema):
    profile: CompetencyProfileOut
    level_summary: str
    level_scope: str
    months_at_level: int | None
    goals: list[StandingGoalPeriodOut] = Field(
        description="This period's goals, then last period's"
    )
    feedback_received: int
    praise_received: int
    themes: list[StandingThemeOut]
    last_review: StandingLastReviewOut | None
    plan: StandingPlanOut | None
    promotions: str = Field(description="How promotions work here, from the program")
    development_plans: str = Field(description="Who reads development plans, from the program")
