from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import MAX_ID, DateIn, IdIn, InSchema
from tandem.org.schemas import PersonRef


class ValueRef(Schema):
    id: int
    name: str


class ReactionCount(Schema):
    kind: str
    emoji: str
    count: int
    mine: bool


class FeedbackOut(Schema):
    id: int
    giver: PersonRef
    recipient: PersonRef
    visibility: str = Field(description="private | with_manager | public (praise)")
    text: str
    values: list[ValueRef]
    goal_id: int | None = Field(None, description="Only when you may see the goal")
    request_id: int | None
    created_at: datetime
    reactions: list[ReactionCount] | None = Field(None, description="Praise only")


class FeedbackPageOut(Schema):
    items: list[FeedbackOut]
    next_cursor: str | None


class FeedbackIn(InSchema):
    recipient_id: int = Field(ge=1, le=MAX_ID)
    text: str
    visibility: str = Field(description="private | with_manager | public (praise)")
    value_ids: list[IdIn] = Field(default_factory=list, max_length=20)
    goal_id: int | None = Field(None, ge=1, le=MAX_ID)


class ReactionIn(InSchema):
    kind: str = Field(description="applause | heart | celebrate | insight")
    on: bool = Field(True, description="false takes your reaction back")


class AskOut(Schema):
    person: PersonRef
    status: str
    decline_reason: str
    feedback_id: int | None = Field(None, description="Only when you may read the answer")


class FeedbackRequestOut(Schema):
    id: int
    requester: PersonRef
    subject: PersonRef
    questions: str
    due_date: date | None
    visibility: str
    created_at: datetime
    asks: list[AskOut]
    my_status: str | None = Field(None, description="Yours, when you were asked")


class FeedbackRequestsOut(Schema):
    waiting_for_me: list[FeedbackRequestOut]
    mine: list[FeedbackRequestOut]


class FeedbackRequestIn(InSchema):
    subject_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Someone in your team; empty for yourself"
    )
    asked_ids: list[IdIn] = Field(max_length=50)
    questions: str = ""
    due_date: DateIn | None = None
    visibility: str


class AnswerIn(InSchema):
    text: str
    value_ids: list[IdIn] = Field(default_factory=list, max_length=20)


class DeclineIn(InSchema):
    reason: str


class UpwardIn(InSchema):
    text: str


class Received(Schema):
    detail: str


class UpwardBatchOut(Schema):
    """A released batch: the window and the texts, shuffled. No ids, dates or counts."""

    window_start: date
    window_last_day: date
    texts: list[str]
