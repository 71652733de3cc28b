"""API shapes for 1:1s. Private notes have their own endpoint, answered to the author only."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import DateIn, DateTimeIn, IdIn, InSchema
from tandem.org.schemas import PersonRef


class SeriesOut(Schema):
    id: int
    kind: str
    status: str
    cadence: str
    first_start: datetime
    duration_minutes: int
    time_zone: str
    manager: PersonRef
    report: PersonRef


class SeriesPageOut(Schema):
    items: list[SeriesOut]
    next_cursor: str | None


class SeriesIn(InSchema):
    report: IdIn | None = Field(None, description="The direct report's person id")
    cadence: str | None = Field(
        None, description="weekly, fortnightly or monthly (default: the program's)"
    )
    first_start: DateTimeIn | None = Field(
        None, description="The first meeting; without an offset it is read in your time zone"
    )
    duration_minutes: int | None = 30


class MeetingOut(Schema):
    id: int
    series_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    held_at: datetime | None
    # Null for viewers who may see only that the meeting happens (HR admins).
    shared_notes: str | None = None


class MeetingPageOut(Schema):
    items: list[MeetingOut]
    next_cursor: str | None


class MeetingPatch(InSchema):
    shared_notes: str | None = None
    starts_at: DateTimeIn | None = Field(None, description="Move this one meeting")


class PrivateNoteOut(Schema):
    """Your own private note on a meeting. Nobody else's is ever answered."""

    text: str
    updated_at: datetime | None


class PrivateNoteIn(InSchema):
    text: str = ""


class AgendaItemOut(Schema):
    id: int
    meeting_id: int
    text: str
    position: int
    done: bool
    author: PersonRef | None


class AgendaItemIn(InSchema):
    text: str | None = None


class AgendaItemPatch(InSchema):
    text: str | None = None
    done: bool | None = None
    position: int | None = Field(None, ge=1, le=10_000)


class ActionItemOut(Schema):
    id: int
    series_id: int
    origin_meeting_id: int
    text: str
    owner: PersonRef
    due_date: date | None
    done: bool
    done_at: datetime | None


class ActionItemIn(InSchema):
    text: str | None = None
    owner: IdIn | None = Field(None, description="Person id: one of the two participants")
    due_date: DateIn | None = None


class ActionItemPatch(InSchema):
    text: str | None = None
    owner: IdIn | None = None
    due_date: DateIn | None = None
    done: bool | None = None
