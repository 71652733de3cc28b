"""A person's competency profile: for each competency of their track, what their level
expects, the latest ratings from their manager, themselves and their peers, and the gap.

This is the contract the rest of growth reads (plans suggest focus areas from the largest
gaps, promotion cases show the profile against the target level, "where do I stand" shows
it to the person). The profile part of growth fills the ratings in from reviews.

The ratings come from reviews whose competency questions drew their items from the person's
framework (`reviews.framework`), matched to competencies by the framework key; only what
the viewer may read there reaches them (`reviews.queries.competencies`).

**The gap.** The expected point is the scale's "meets" point: the first point whose label
starts with "Meets" ("Meets expectations"), else the middle of the scale, rounded up (3 of
5, 2 of 4). The gap is that point minus the manager's latest rating on the same scale:
positive means below what the level expects, 0 on it, negative above. No manager rating,
no gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tandem.access.rules import NotAllowed, require
from tandem.growth.models import Competency, Expectation, Level, Placement
from tandem.org.models import Person
from tandem.program.models import Program
from tandem.reviews.queries import competencies as review_ratings


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

    @property
    def expected_point(self) -> int | None:
        """The point of the scale the level expects (see the module's rule)."""
        if self.gap is None or self.manager is None:
            return None
        return round(self.gap + self.manager)


def expected_point(points: int, labels: Sequence[str] = ()) -> int:
    """The scale's "meets" point: the first label starting with "Meets" when the labels
    belong to this scale, else the middle point, rounded up."""
    if len(labels) == points:
        for value, label in enumerate(labels, start=1):
            if label.strip().lower().startswith("meets"):
                return value
    return (points + 1) // 2


def placement_of(person: Any) -> Placement | None:
    return Placement.objects.filter(person_id=person.pk).select_related("track", "level").first()


def profile_rows(
    viewer: Any, person: Any, level: Level, *, program: Program | None = None
) -> tuple[list[CompetencyRow], review_ratings.CompetencyRatings]:
    """The rows and the ratings they came from (scale, peer minimum) — 5 to 8 queries."""
    program = program or Program.current()
    ratings = review_ratings.framework_ratings(viewer, person.pk, minimum=program.anonymity_minimum)
    expected = dict(Expectation.objects.filter(level=level).values_list("competency_id", "text"))
    labels = [str(point.get("label", "")) for point in ratings.scale]
    rows = []
    for competency in Competency.objects.filter(track_id=level.track_id).order_by("position", "id"):
        manager = ratings.manager.get(competency.key[:40])
        own = ratings.self_rating.get(competency.key[:40])
        peers = ratings.peers.get(competency.key[:40])
        source = manager or own or peers
        points = source.points if source is not None else None
        gap = None
        if manager is not None:
            gap = float(expected_point(manager.points, labels) - manager.value)
        rows.append(
            CompetencyRow(
                competency_id=competency.pk,
                key=competency.key,
                group=competency.group,
                name=competency.name,
                expected=expected.get(competency.pk, ""),
                manager=float(manager.value) if manager else None,
                self_rating=float(own.value) if own else None,
                peers=round(peers.mean, 2) if peers else None,
                scale_points=points,
                gap=gap,
            )
        )
    return rows, ratings


# Ids beyond a bigint are nobody (a URL may carry any number).
MAX_ID = 2**63 - 1


@dataclass
class ProfilePage:
    person: Any
    placement: Placement | None
    level: Level | None
    rows: list[CompetencyRow]
    scale: list[dict[str, Any]]
    peer_minimum: int
    peers_withheld: bool


def person_for(viewer: Any, person_id: int) -> Any:
    """The person whose profile `viewer` may read, or NotAllowed (404) — a missing person
    and one they may not read look the same."""
    person = Person.objects.filter(pk=min(person_id, MAX_ID)).first()
    if person is None:
        raise NotAllowed("No such person.")
    require(viewer, "growth.profile.view", person)
    return person


def profile_page(viewer: Any, person: Any, *, program: Program | None = None) -> ProfilePage:
    """The profile with what the page shows beside it (scale, placement, peer minimum)."""
    require(viewer, "growth.profile.view", person)
    placement = placement_of(person)
    if placement is None:
        return ProfilePage(person, None, None, [], [], 0, False)
    rows, ratings = profile_rows(viewer, person, placement.level, program=program)
    return ProfilePage(
        person,
        placement,
        placement.level,
        rows,
        ratings.scale,
        ratings.peer_minimum,
        ratings.peers_withheld,
    )


def competency_profile(viewer: Any, person: Any, *, level: Any = None) -> list[CompetencyRow]:
    """The profile of `person` as `viewer` may see it, against `level` (their current level
    when None). Raises NotAllowed when the viewer may not read it."""
    require(viewer, "growth.profile.view", person)
    if level is None:
        placement = placement_of(person)
        if placement is None:
            return []
        level = placement.level
    return profile_rows(viewer, person, level)[0]


def largest_gaps(viewer: Any, person: Any, *, limit: int = 3) -> list[CompetencyRow]:
    """The competencies with the largest positive gap, largest first (for plan suggestions)."""
    rows = [row for row in competency_profile(viewer, person) if row.gap and row.gap > 0]
    return sorted(rows, key=lambda row: (-(row.gap or 0), row.name))[:limit]
