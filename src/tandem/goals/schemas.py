"""Shapes of goals over the API: what goes in (validated, each error naming its field) and
what comes out (only what the caller may see)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, Strict

from tandem.core.api import MAX_ID, Choice, DecimalIn, IdIn, InSchema
from tandem.goals.models import GoalLevel, Health, KeyResultKind, Visibility
from tandem.org.schemas import DepartmentRef, PersonRef

# Key-result values fit DecimalField(max_digits=18, decimal_places=4).
MAX_VALUE = Decimal("99999999999999.9999")


class PeriodOut(Schema):
    id: int
    name: str
    kind: str
    start_date: date
    end_date: date
    is_closed: bool


class GoalRef(Schema):
    id: int
    title: str


class MilestoneOut(Schema):
    id: int
    title: str
    done: bool


class KeyResultOut(Schema):
    id: int
    goal_id: int
    title: str
    kind: str
    unit: str
    start_value: Decimal
    target_value: Decimal
    stretch_value: Decimal | None
    current_value: Decimal
    weight: Decimal
    position: int
    progress: Decimal = Field(description="0..1")
    milestones: list[MilestoneOut] = []


class GoalOut(Schema):
    id: int
    title: str
    description: str
    level: str
    owner: PersonRef
    department: DepartmentRef | None
    period: PeriodOut
    parent: GoalRef | None = Field(
        description="The goal this one aligns to, when the caller may see it"
    )
    reaches_company_goal: bool
    visibility: str
    state: str
    health: str
    progress: Decimal = Field(description="0..1: the key results' weighted mean, or manual")
    manual_progress: Decimal | None
    score: Decimal | None = Field(description="0..1, set when the goal is closed")
    reflection: str
    churn: int = Field(description="Target or date changes after the period started")
    last_checkin_at: datetime | None
    created_at: datetime
    updated_at: datetime
    key_results: list[KeyResultOut]


class GoalPageOut(Schema):
    items: list[GoalOut]
    next_cursor: str | None


class GoalFilters(Schema):
    period: int | None = Field(None, ge=1, le=MAX_ID, description="Period id")
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Owner's person id")
    level: GoalLevel | None = None
    department: int | None = Field(
        None, ge=1, le=MAX_ID, description="Department id (sub-departments included)"
    )
    q: str = Field("", max_length=200, description="Words in the title")
    cursor: str | None = Field(None, max_length=100, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=200)


class KeyResultIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    kind: Choice[KeyResultKind] = KeyResultKind.NUMBER
    unit: str = Field("", max_length=20)
    start_value: DecimalIn = Field(Decimal(0), ge=-MAX_VALUE, le=MAX_VALUE)
    target_value: DecimalIn = Field(Decimal(1), ge=-MAX_VALUE, le=MAX_VALUE)
    stretch_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    current_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    weight: DecimalIn = Field(Decimal(1), ge=0, le=Decimal("9999.99"))
    milestones: list[str] = Field(default_factory=list, max_length=50)


class KeyResultPatch(InSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    unit: str | None = Field(None, max_length=20)
    start_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    target_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    stretch_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    current_value: DecimalIn | None = Field(None, ge=-MAX_VALUE, le=MAX_VALUE)
    weight: DecimalIn | None = Field(None, ge=0, le=Decimal("9999.99"))
    reason: str = Field("", max_length=500)


class GoalIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    level: Choice[GoalLevel] = GoalLevel.INDIVIDUAL
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Person id; default: you")
    period: int | None = Field(None, ge=1, le=MAX_ID, description="Period id; default: current")
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Goal id to align to")
    department: int | None = Field(None, ge=1, le=MAX_ID, description="Department id")
    description: str = Field("", max_length=10_000)
    visibility: Choice[Visibility] = Visibility.PUBLIC
    manual_progress: DecimalIn | None = Field(None, ge=0, le=1)
    key_results: list[KeyResultIn] = Field(default_factory=list, max_length=20)


class GoalPatch(InSchema):
    """Only the fields sent are changed. `parent: null` removes the alignment."""

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    period: int | None = Field(None, ge=1, le=MAX_ID)
    parent: int | None = Field(None, ge=1, le=MAX_ID)
    department: int | None = Field(None, ge=1, le=MAX_ID)
    visibility: Choice[Visibility] | None = None
    manual_progress: DecimalIn | None = Field(None, ge=0, le=1)
    reason: str = Field("", max_length=500, description="Why (kept in the goal's history)")


class GoalCloseIn(InSchema):
    score: DecimalIn = Field(
        description="On the company's scoring scale (0.0–1.0, 0–100 or 1–5); stored as 0..1"
    )
    reflection: str = Field("", max_length=10_000)
    carry_over: bool = False


class CheckInOut(Schema):
    id: int
    goal_id: int
    created_at: datetime
    author: PersonRef | None
    health: str
    confidence: int
    note: str
    progress: Decimal
    values: list[dict[str, Any]]


class CheckInPageOut(Schema):
    items: list[CheckInOut]
    next_cursor: str | None


class CheckInIn(InSchema):
    health: Choice[Health]
    confidence: int = Field(ge=0, le=10)
    note: str = Field("", max_length=10_000)
    values: dict[Annotated[IdIn, Strict(False)], DecimalIn] = Field(
        default_factory=dict, description="New current value per key result id"
    )
    milestones_done: list[IdIn] = Field(default_factory=list, description="Milestone ids")


class TreeNodeOut(Schema):
    id: int
    title: str
    level: str
    owner: PersonRef | None = Field(description="null when the owner has left the company")
    department: DepartmentRef | None
    period_id: int
    visibility: str
    state: str
    health: str
    progress: Decimal
    child_count: int = Field(description="Goals aligned to this one, private ones included")
    hidden_children: int = Field(description="Of those, how many the caller may not see")
    rollup: Decimal | None = Field(description="Average progress of every aligned goal")


class TreePageOut(Schema):
    items: list[TreeNodeOut]
    next_cursor: str | None
    hidden: int = Field(description="Aligned goals the caller may not see (counted only)")
    filtered_out: int = Field(description="Visible aligned goals the filters leave out")


class TreeFiltersIn(Schema):
    period: int | None = Field(None, ge=1, le=MAX_ID, description="Period id; default: current")
    department: int | None = Field(None, ge=1, le=MAX_ID, description="Sub-departments included")
    status: str | None = Field(
        None, pattern="^(on_track|at_risk|off_track|none)$", description="Health, or none"
    )
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class CoverageOut(Schema):
    people: int = Field(description="Active people counted")
    aligned: int = Field(description="With a goal in the period that reaches a company goal")
    with_goals: int
    without_goals: int
    only_unaligned: int
    share: Decimal | None = Field(description="aligned / people, 0..1; null with no one")


class DepartmentCoverageOut(Schema):
    department: DepartmentRef
    parent_id: int | None
    coverage: CoverageOut


class CoverageReportOut(Schema):
    """Each part is present only for those who may see it: the company (executives, HR
    admins), departments (HR and executives), the caller's own people (managers)."""

    period: PeriodOut
    company: CoverageOut | None
    departments: list[DepartmentCoverageOut] | None
    team: CoverageOut | None


class UnalignedPersonOut(Schema):
    id: int
    display_name: str
    has_goal: bool = Field(description="True: only unaligned goals; false: no goal at all")


class UnalignedPageOut(Schema):
    items: list[UnalignedPersonOut]
    next_cursor: str | None


class CoveragePeopleFilters(Schema):
    period: int | None = Field(None, ge=1, le=MAX_ID)
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)
