"""Growth API: career frameworks (tracks with their levels, competencies and expectations;
everyone signed in reads them) and each person's placement (seen by whoever may see the
person; set by HR admins). Thin: the rules and the services decide."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router

from tandem.access.rules import require
from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND
from tandem.growth.models import Level, Placement, Track
from tandem.growth.queries import frameworks as queries
from tandem.growth.queries import placements as placement_queries
from tandem.growth.schemas_frameworks import PlacementIn, PlacementOut, TrackDetailOut, TrackOut
from tandem.growth.services import placements as placement_services

router = Router(tags=["growth"])


def _levels(levels: list[Level]) -> list[dict[str, Any]]:
    return [
        {"id": lv.pk, "code": lv.code, "title": lv.title, "summary": lv.summary, "scope": lv.scope}
        for lv in levels
    ]


def _track(track: Track, levels: list[Level]) -> dict[str, Any]:
    return {
        "id": track.pk,
        "key": track.key,
        "name": track.name,
        "description": track.description,
        "archived": track.archived_at is not None,
        "levels": _levels(levels),
    }


def _placement(person_id: int, placement: Placement | None) -> dict[str, Any]:
    if placement is None:
        return {"person_id": person_id, "track": None, "level": None, "since": None}
    return {
        "person_id": person_id,
        "track": {
            "id": placement.track.pk,
            "key": placement.track.key,
            "name": placement.track.name,
        },
        "level": {
            "id": placement.level.pk,
            "code": placement.level.code,
            "title": placement.level.title,
        },
        "since": placement.since,
    }


@router.get(
    "/growth/tracks",
    response={200: list[TrackOut], **ERRORS},
    summary="Every career track with its levels",
)
def list_growth_tracks(request: HttpRequest) -> list[dict[str, Any]]:
    require(request.user, "growth.framework.view")
    return [_track(t, t.level_list) for t in queries.tracks(request.user)]  # type: ignore[attr-defined]


@router.get(
    "/growth/tracks/{track_id}",
    response={200: TrackDetailOut, **NOT_FOUND, **ERRORS},
    summary="A career track: its levels, its competencies and what each level expects",
)
def get_growth_track(request: HttpRequest, track_id: int) -> dict[str, Any]:
    require(request.user, "growth.framework.view")
    track = queries.track_for(request.user, min(track_id, MAX_ID))
    view = queries.track_view(track)
    codes = {lv.pk: lv.code for lv in view.levels}
    return {
        **_track(track, view.levels),
        "competencies": [
            {
                "id": item.competency.pk,
                "key": item.competency.key,
                "group": item.competency.group,
                "name": item.competency.name,
                "description": item.competency.description,
                "expectations": {
                    codes[level_id]: text
                    for level_id, text in item.texts.items()
                    if level_id in codes
                },
            }
            for group in view.groups
            for item in group.competencies
        ],
    }


@router.get(
    "/growth/people/{person_id}/placement",
    response={200: PlacementOut, **NOT_FOUND, **ERRORS},
    summary="A person's career track and level (whoever may see the person)",
)
def get_growth_placement(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = placement_queries.person_for(request.user, min(person_id, MAX_ID))
    return _placement(person.pk, placement_queries.placement_of(person))


@router.put(
    "/growth/people/{person_id}/placement",
    response={200: PlacementOut, **NOT_FOUND, **ERRORS},
    summary="Place a person on a career track and level (HR admins)",
)
def put_growth_placement(
    request: HttpRequest, person_id: int, payload: PlacementIn
) -> dict[str, Any]:
    person = placement_queries.person_for(request.user, min(person_id, MAX_ID))
    require(request.user, "growth.placement.manage", person)
    level = (
        Level.objects.select_related("track")
        .filter(pk=min(payload.level_id, MAX_ID), track__archived_at=None)
        .first()
    )
    if level is None:
        raise ValidationError({"level_id": "No level of a track in use has this id."})
    placement_services.place(
        by=request.user,
        person=person,
        level=level,
        since=payload.since,
        reason=payload.reason,
    )
    return _placement(person.pk, placement_queries.placement_of(person))
