"""The API shapes of career frameworks and placements."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from tandem.core.api import MAX_ID, DateIn, InSchema


class LevelOut(Schema):
    id: int
    code: str
    title: str
    summary: str
    scope: str = Field(description="The typical scope of the level")


class TrackOut(Schema):
    id: int
    key: str
    name: str
    description: str
    archived: bool
    levels: list[LevelOut] = Field(description="From the most junior to the most senior")


class CompetencyOut(Schema):
    id: int
    key: str
    group: str
    name: str
    description: str
    expectations: dict[str, str] = Field(
        description="What meeting the competency looks like, by level code (Markdown)"
    )


class TrackDetailOut(TrackOut):
    competencies: list[CompetencyOut]


class PlacedLevelOut(Schema):
    id: int
    code: str
    title: str


class PlacedTrackOut(Schema):
    id: int
    key: str
    name: str


class PlacementOut(Schema):
    person_id: int
    track: PlacedTrackOut | None = Field(description="None when the person is not placed yet")
    level: PlacedLevelOut | None
    since: date | None = Field(description="On this level since")


class PlacementIn(InSchema):
    level_id: int = Field(ge=1, le=MAX_ID, description="The framework level to place the person on")
    since: DateIn | None = Field(default=None, description="On this level since; today if left out")
    reason: str = Field(default="", max_length=2000, description="Kept in the level history")
