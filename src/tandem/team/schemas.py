"""The team hub's API shapes: figures and flags, never text the viewer may not read."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class FlagOut(Schema):
    key: str
    reason: str


class GoalFiguresOut(Schema):
    count: int
    average_progress: int | None
    off_track: int
    at_risk: int
    last_checkin_at: datetime | None
    without_checkin_3_weeks: int


class FeedbackFiguresOut(Schema):
    received_30_days: int
    received_90_days: int
    given_30_days: int
    given_90_days: int


class MeetingFiguresOut(Schema):
    visible: bool
    series_id: int | None
    last_held_at: datetime | None
    next_at: datetime | None
    open_action_items: int


class TeamReviewOut(Schema):
    cycle_id: int
    cycle_name: str
    state: str
    due_on: date | None
    overdue: bool


class TeamRowOut(Schema):
    person_id: int
    display_name: str
    title: str
    manager_id: int | None
    start_date: date | None
    goals: GoalFiguresOut
    feedback: FeedbackFiguresOut
    one_on_ones: MeetingFiguresOut
    review: TeamReviewOut | None
    flags: list[FlagOut]


class TeamPageOut(Schema):
    period: str | None
    sort: str = Field(
        description="The order applied: flags (the most flagged first) or name. A subtree "
        "of more than 1,000 people is listed by name even when flags was asked for."
    )
    items: list[TeamRowOut]
    next_cursor: str | None


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    text: str


class TeamPersonOut(TeamRowOut):
    timeline: list[TimelineEntryOut]
