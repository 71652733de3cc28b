"""The API shapes of the program, its presets and its change history."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from tandem.core.api import InSchema

SwitchValue = bool | int | str | list[str] | list[int]


class SwitchOut(Schema):
    key: str = Field(description="The switch's name, e.g. review_ratings_enabled")
    label: str = Field(description="The switch as the editor labels it")
    value: SwitchValue
    meaning: str = Field(description="What the program page says about it, in plain words")


class ProgramOut(Schema):
    purpose_statement: str = Field(description="Why we do it, in the company's own words")
    switches: list[SwitchOut]
    updated_at: datetime | None


class PresetOut(Schema):
    key: str
    name: str
    description: str = Field(description="Who the preset suits and what it trades off")
    built_in: bool = Field(description="False for the company's own saved or imported presets")
    switches: dict[str, SwitchValue] = Field(description="A value for every switch")


class SwitchChangeOut(Schema):
    key: str
    label: str
    before: SwitchValue | None
    after: SwitchValue | None
    before_words: str
    after_words: str


class ChangeOut(Schema):
    id: int
    at: datetime
    by_id: int | None = Field(description="The person who made it; null if they were deleted")
    by_name: str
    source: str = Field(description="edit, revert, or preset:<key>")
    reason: str
    reverts_id: int | None = Field(description="For a revert: the change it undid")
    summary: str = Field(description="The change in plain words, as the program page says it")
    changes: list[SwitchChangeOut]


class ChangePageOut(Schema):
    items: list[ChangeOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next (older) page")


class ReasonIn(InSchema):
    reason: str = Field("", max_length=2000, description="Why (optional); everyone reads it")
