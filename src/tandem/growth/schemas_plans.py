"""The API shapes of development plans."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import Choice, DateIn, IdIn, InSchema
from tandem.growth.models import ActionKind, ActionStatus, PlanStatus


class PlanPersonOut(Schema):
    id: int
    name: str


class PlanOut(Schema):
    id: int
    person: PlanPersonOut
    title: str
    starts_on: date
    ends_on: date
    status: str = Field(description="draft, active, completed or archived")
    focus_areas: int = Field(description="How many focus areas the plan has (1–5)")
    open_actions: int = Field(description="Actions not started or in progress")
    overdue_actions: int = Field(description="Open actions past their due date")


class PlanActionOut(Schema):
    id: int
    kind: str
    text: str
    owner: PlanPersonOut
    due_on: date | None
    status: str = Field(description="todo, doing, done or dropped")
    done_at: datetime | None


class PlanFocusAreaOut(Schema):
    id: int
    title: str
    competency_id: int | None
    goal_id: int | None
    notes: str
    actions: list[PlanActionOut]


class PlanCheckinOut(Schema):
    id: int
    author: PlanPersonOut
    text: str
    created_at: datetime


class PlanDetailOut(PlanOut):
    areas: list[PlanFocusAreaOut] = Field(description="The focus areas, in order, with actions")
    checkins: list[PlanCheckinOut] = Field(description="The plan's check-ins, newest first")


class PlanIn(InSchema):
    person_id: IdIn | None = Field(None, description="Whose plan; you when left out")
    title: str = Field("", max_length=200)
    starts_on: DateIn
    ends_on: DateIn
    status: Choice[PlanStatus] = PlanStatus.DRAFT


class PlanPatch(InSchema):
    """Only the fields sent change."""

    title: str | None = Field(None, max_length=200)
    starts_on: DateIn | None = None
    ends_on: DateIn | None = None
    status: Choice[PlanStatus] | None = None


class PlanFocusAreaIn(InSchema):
    competency_id: IdIn | None = Field(None, description="A competency of the person's track")
    goal_id: IdIn | None = Field(None, description="Or one of the person's goals")
    title: str = Field("", max_length=200, description="Defaults to the competency or goal")
    notes: str = Field("", max_length=4000)


class PlanActionIn(InSchema):
    kind: Choice[ActionKind]
    text: str = Field(min_length=1, max_length=300)
    owner_id: IdIn | None = Field(
        None, description="The person when left out; or a manager, a mentor"
    )
    due_on: DateIn | None = None


class PlanActionPatch(InSchema):
    status: Choice[ActionStatus]


class PlanCheckinIn(InSchema):
    text: str = Field(min_length=1, max_length=4000)
