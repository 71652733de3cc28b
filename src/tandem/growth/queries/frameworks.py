"""Reading career frameworks: the tracks, one track with its levels and its competencies
grouped with the expectation at each level, and two levels side by side ("what changes
at the next level"). A fixed number of queries each, whatever the framework's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from tandem.access.rules import NotAllowed, scope
from tandem.growth.models import Competency, Expectation, Level, Track


def tracks(user: Any) -> list[Track]:
    """Every track the user sees, with its levels (`track.level_list`) and how many
    competencies it has (`track.competency_count`). Two queries."""
    return list(
        scope(user, Track.objects.all())
        .annotate(competency_count=Count("competencies", distinct=True))
        .prefetch_related(
            Prefetch(
                "levels", queryset=Level.objects.order_by("position", "id"), to_attr="level_list"
            )
        )
    )


def track_for(user: Any, track_id: int) -> Track:
    found = scope(user, Track.objects.all()).filter(pk=track_id).first()
    if found is None:
        raise NotAllowed("track")
    return found


def level_for(user: Any, level_id: int) -> Level:
    found = scope(user, Level.objects.select_related("track")).filter(pk=level_id).first()
    if found is None:
        raise NotAllowed("level")
    return found


def competency_for(user: Any, competency_id: int) -> Competency:
    found = scope(user, Competency.objects.select_related("track")).filter(pk=competency_id).first()
    if found is None:
        raise NotAllowed("competency")
    return found


@dataclass
class CompetencyView:
    competency: Competency
    texts: dict[int, str]  # level id -> expectation (Markdown)

    def at(self, level: Level | None) -> str:
        return self.texts.get(level.pk, "") if level is not None else ""


@dataclass
class Group:
    name: str
    competencies: list[CompetencyView] = field(default_factory=list)


@dataclass
class TrackView:
    track: Track
    levels: list[Level]
    groups: list[Group]

    def level(self, code: str | None) -> Level | None:
        return next((lv for lv in self.levels if lv.code == code), None)

    def after(self, level: Level | None) -> Level | None:
        if level is None:
            return None
        index = next((i for i, lv in enumerate(self.levels) if lv.pk == level.pk), None)
        if index is None or index + 1 >= len(self.levels):
            return None
        return self.levels[index + 1]

    @property
    def competency_count(self) -> int:
        return sum(len(group.competencies) for group in self.groups)


def track_view(track: Track) -> TrackView:
    """The track's levels in order and its competencies grouped (groups in the order of
    their first competency), each with its expectation per level. Three queries."""
    levels = list(Level.objects.filter(track=track).order_by("position", "id"))
    competencies = (
        Competency.objects.filter(track=track)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch(
                "expectations",
                queryset=Expectation.objects.only("competency_id", "level_id", "text"),
            )
        )
    )
    groups: dict[str, Group] = {}
    for competency in competencies:
        group = groups.setdefault(competency.group, Group(name=competency.group))
        group.competencies.append(
            CompetencyView(
                competency=competency,
                texts={e.level_id: e.text for e in competency.expectations.all()},
            )
        )
    return TrackView(track=track, levels=levels, groups=list(groups.values()))


@dataclass(frozen=True)
class Comparison:
    competency: Competency
    group: str
    current: str
    target: str

    @property
    def changes(self) -> bool:
        return self.current.strip() != self.target.strip()


def compare(view: TrackView, current: Level, target: Level) -> list[Comparison]:
    """Each competency's expectation at `current` and at `target`, in the track's order."""
    return [
        Comparison(
            competency=item.competency,
            group=group.name,
            current=item.at(current),
            target=item.at(target),
        )
        for group in view.groups
        for item in group.competencies
    ]
