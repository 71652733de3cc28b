"""A person's competency profile: for each competency of their track, what their level
expects, the latest ratings from their manager, themselves and their peers, and the gap.

This is the contract the rest of growth reads (plans suggest focus areas from the largest
gaps, promotion cases show the profile against the target level, "where do I stand" shows
it to the person). The profile part of growth fills the ratings in from reviews."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompetencyRow:
    competency_id: int
    key: str
    group: str
    name: str
    expected: str  # the level's expectation (Markdown), "" when the level has none
    manager: float | None  # latest rating on the review's scale, None when never rated
    self_rating: float | None
    peers: float | None  # mean of the latest peer ratings (only shown when the rules allow)
    scale_points: int | None
    gap: float | None  # expected point minus the manager's rating; positive = below


def competency_profile(viewer: Any, person: Any, *, level: Any = None) -> list[CompetencyRow]:
    """The profile of `person` as `viewer` may see it, against `level` (their current level
    when None). Raises NotAllowed when the viewer may not read it."""
    raise NotImplementedError


def largest_gaps(viewer: Any, person: Any, *, limit: int = 3) -> list[CompetencyRow]:
    """The competencies with the largest positive gap, largest first (for plan suggestions)."""
    rows = [row for row in competency_profile(viewer, person) if row.gap and row.gap > 0]
    return sorted(rows, key=lambda row: (-(row.gap or 0), row.name))[:limit]
