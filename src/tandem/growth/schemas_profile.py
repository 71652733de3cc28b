"""API shapes of the competency profile and "where do I stand"."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field


class CompetencyRowOut(Schema):
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


class ScalePointOut(Schema):
    value: int
    label: str


class PlacementOut(Schema):
    track: str
    track_name: str
    level: str
    level_title: str
    since: date


class ProfileOut(Schema):
    person_id: int
    person_name: str
    placement: PlacementOut | None
    scale: list[ScalePointOut]
    peer_minimum: int = Field(description="Peers needed before their mean is shown")
    competencies: list[CompetencyRowOut]
