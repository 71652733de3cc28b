"""What growth gives review forms: each reviewee's competencies from their career framework.

Registered with `reviews.framework` in `GrowthConfig.ready()`. At a cycle's launch, reviews
asks for the snapshot of a batch of people; every track they are placed on is frozen into a
`FrameworkVersion` (reused when nothing changed since), and each level gets one snapshot
{"track", "track_name", "level", "level_title", "version", "items": [{"key", "name",
"description"}]} whose descriptions are what that level expects, taken from the frozen
version: a later edit of the framework never changes a launched cycle.

Item keys are the competencies' framework keys: the competency profile matches ratings to
competencies by them (`growth.queries.profile`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from tandem.growth.models import FrameworkVersion, Level, Placement, Track
from tandem.growth.services.frameworks import freeze
from tandem.reviews.framework import Snapshot

# SubmittedRating.item_key holds 40 characters; framework keys may hold 50.
ITEM_KEY_MAX = 40


def level_snapshot(version: FrameworkVersion, level_code: str) -> Snapshot:
    content = version.content
    level: dict[str, Any] = next(
        (lv for lv in content.get("levels", []) if lv.get("code") == level_code), {}
    )
    return {
        "track": content.get("key", ""),
        "track_name": content.get("name", ""),
        "level": level_code,
        "level_title": level.get("title", ""),
        "version": version.number,
        "items": [
            {
                "key": str(c["key"])[:ITEM_KEY_MAX],
                "name": c.get("name", ""),
                "description": (c.get("expectations") or {}).get(level_code, ""),
            }
            for c in content.get("competencies", [])
        ],
    }


def review_snapshots(person_ids: Sequence[int]) -> list[tuple[Snapshot, list[int]]]:
    """One snapshot per (track, level) among these people's placements, with who has it."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for person_id, track_id, level_id in Placement.objects.filter(
        person_id__in=list(person_ids)
    ).values_list("person_id", "track_id", "level_id"):
        groups[(track_id, level_id)].append(person_id)
    if not groups:
        return []
    tracks = Track.objects.in_bulk({track_id for track_id, _ in groups})
    frozen = {pk: freeze(track) for pk, track in tracks.items()}
    codes = dict(
        Level.objects.filter(pk__in={level_id for _, level_id in groups}).values_list("pk", "code")
    )
    return [
        (level_snapshot(frozen[track_id], codes[level_id]), ids)
        for (track_id, level_id), ids in groups.items()
    ]
