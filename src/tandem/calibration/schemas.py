"""The API shapes of calibration sessions."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import InSchema


class SessionOut(Schema):
    id: int
    cycle_id: int
    name: str
    scope_kind: str = Field(description="department, manager, level or manual")
    status: str = Field(description="open or locked")
    people: int = Field(description="How many people the session discusses")
    guideline: dict[str, int] = Field(
        description="Percent of people per rating point HR expects (guidance); {} when unset"
    )
    locked_at: datetime | None


class CalibratedPersonOut(Schema):
    id: int
    name: str


class EntryOut(Schema):
    id: int
    participant_id: int
    person: CalibratedPersonOut
    manager_name: str
    department_name: str
    level: str
    manager_rating: int | None = Field(description="The manager review's overall rating")
    self_score: float | None = Field(description="The self review's ratings, 0–100")
    peer_score: float | None = Field(description="The mean of the peer reviews' means, 0–100")
    goals_score: float | None = Field(description="The mean score of their goals, 0–100")
    overall_score: float | None = Field(description="The review's overall score, 0–100")
    rating: int | None = Field(description="The session's current rating")
    potential: int | None = Field(description="1 (low) to 3 (high); null until set")


# A session's people come in pages of this many by default (at most MAX_ENTRIES_PAGE).
ENTRIES_PAGE = 100
MAX_ENTRIES_PAGE = 500


class EntriesPageIn(Schema):
    offset: int = Field(
        0, ge=0, le=1_000_000, description="How many of the people (by name) to skip"
    )
    limit: int = Field(
        ENTRIES_PAGE,
        ge=1,
        le=MAX_ENTRIES_PAGE,
        description=f"How many people to answer: {ENTRIES_PAGE} unless given, at most "
        f"{MAX_ENTRIES_PAGE}",
    )


class SessionDetailOut(SessionOut):
    points: int = Field(description="The size of the rating scale")
    entries: list[EntryOut] = Field(
        description="One page of the people the caller may see in the session, by name"
    )
    total: int = Field(description="How many people the caller may see, over every page")
    offset: int = Field(description="How many people (by name) this page skipped")
    limit: int = Field(description="The page size asked for")
    next_offset: int | None = Field(
        description="The offset of the next page; null on the last page"
    )


class AdjustIn(InSchema):
    rating: int | None = Field(None, description="The new rating, 1 to the scale's points")
    potential: int | None = Field(None, description="The new potential, 1 to 3")
    category: str = Field(max_length=12, description="evidence, consistency, scope or other")
    reason: str = Field(max_length=2000, description="Why; required")
