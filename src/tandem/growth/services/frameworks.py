"""Writing career frameworks: tracks, their levels and competencies, the expectation at each
level, importing whole frameworks from a file, and freezing a track into a version.

Every change is HR admins' (`growth.framework.manage`), in one transaction, audited.
`freeze` is what other parts call when something starts measuring against a track (a
review launch, a promotion case): it needs no permission of its own, the caller's act does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.validation import clean_text
from tandem.growth.framework_files import KEY_RE, LIMITS, TrackData
from tandem.growth.models import (
    Competency,
    Expectation,
    FrameworkVersion,
    Level,
    LevelChange,
    Placement,
    PromotionCase,
    Track,
)

MANAGE = "growth.framework.manage"


# --- Checks ----------------------------------------------------------------------------------


def _text(value: Any, name: str, label: str, *, required: bool = True, limit: str = "") -> str:
    return clean_text(
        value, field=name, label=label, limit=LIMITS[limit or name], required=required
    )


def _key(value: Any, name: str, label: str) -> str:
    key = _text(value, name, label, limit="key")
    if not KEY_RE.match(key):
        raise ValidationError(
            {name: f"{label} may use only letters, digits, hyphens and underscores."}
        )
    return key


# --- Tracks ----------------------------------------------------------------------------------


@transaction.atomic
def create_track(*, by: Any, key: str, name: str, description: str = "") -> Track:
    require(by, MANAGE)
    key = _key(key, "key", "The key")
    name = _text(name, "name", "The name")
    description = _text(description, "description", "The description", required=False)
    if Track.objects.filter(key=key).exists():
        raise ValidationError({"key": f"Another track has the key {key}."})
    if Track.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"Another track is called {name}."})
    position = (Track.objects.aggregate(top=Max("position"))["top"] or 0) + 1
    track = Track.objects.create(key=key, name=name, description=description, position=position)
    record(actor=by, kind="growth.track.create", obj=track, changes={"key": key, "name": name})
    return track


@transaction.atomic
def update_track(
    *, by: Any, track: Track, name: str, description: str, archived: bool = False
) -> Track:
    require(by, MANAGE, track)
    name = _text(name, "name", "The name")
    description = _text(description, "description", "The description", required=False)
    if Track.objects.filter(name__iexact=name).exclude(pk=track.pk).exists():
        raise ValidationError({"name": f"Another track is called {name}."})
    before = {
        "name": track.name,
        "description": track.description,
        "archived": bool(track.archived_at),
    }
    track.name, track.description = name, description
    if archived and track.archived_at is None:
        track.archived_at = timezone.now()
    elif not archived:
        track.archived_at = None
    after = {"name": name, "description": description, "archived": archived}
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        track.save()
        record(actor=by, kind="growth.track.update", obj=track, changes=changes)
    return track


# --- Levels ----------------------------------------------------------------------------------


def _level_fields(code: Any, title: Any, summary: Any, scope: Any) -> dict[str, str]:
    return {
        "code": _text(code, "code", "The code"),
        "title": _text(title, "title", "The title"),
        "summary": _text(summary, "summary", "The summary", required=False),
        "scope": _text(scope, "scope", "The typical scope", required=False),
    }


@transaction.atomic
def add_level(
    *, by: Any, track: Track, code: str, title: str, summary: str = "", scope: str = ""
) -> Level:
    require(by, MANAGE, track)
    values = _level_fields(code, title, summary, scope)
    if track.levels.filter(code__iexact=values["code"]).exists():
        raise ValidationError({"code": f"{track.name} already has a level {values['code']}."})
    position = (track.levels.aggregate(top=Max("position"))["top"] or 0) + 1
    level = Level.objects.create(track=track, position=position, **values)
    record(actor=by, kind="growth.level.add", obj=level, changes={"track": track.key, **values})
    return level


@transaction.atomic
def update_level(
    *, by: Any, level: Level, code: str, title: str, summary: str = "", scope: str = ""
) -> Level:
    require(by, MANAGE, level)
    values = _level_fields(code, title, summary, scope)
    if (
        Level.objects.filter(track_id=level.track_id, code__iexact=values["code"])
        .exclude(pk=level.pk)
        .exists()
    ):
        raise ValidationError({"code": f"This track already has a level {values['code']}."})
    changes = {k: [getattr(level, k), v] for k, v in values.items() if getattr(level, k) != v}
    if changes:
        for key, value in values.items():
            setattr(level, key, value)
        level.save()
        record(actor=by, kind="growth.level.update", obj=level, changes=changes)
    return level


def _renumber(rows: list[Any]) -> None:
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            type(row).objects.filter(pk=row.pk).update(position=position)


def _move(rows: list[Any], target: Any, direction: int) -> bool:
    index = next(i for i, row in enumerate(rows) if row.pk == target.pk)
    other = index + (1 if direction > 0 else -1)
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    _renumber(rows)
    return True


@transaction.atomic
def move_level(*, by: Any, level: Level, direction: int) -> bool:
    """Move a level one step up (direction < 0, more junior) or down; False at the end."""
    require(by, MANAGE, level)
    rows = list(Level.objects.select_for_update().filter(track_id=level.track_id))
    moved = _move(rows, level, direction)
    if moved:
        record(
            actor=by,
            kind="growth.level.move",
            obj=level,
            changes={"order": [row.code for row in rows]},
        )
    return moved


def level_in_use(level: Level) -> int:
    """How many people or records measure against the level (it cannot be removed then)."""
    return (
        Placement.objects.filter(level=level).count()
        + LevelChange.objects.filter(Q(from_level=level) | Q(to_level=level)).count()
        + PromotionCase.objects.filter(Q(from_level=level) | Q(target_level=level)).count()
    )


@transaction.atomic
def remove_level(*, by: Any, level: Level) -> None:
    require(by, MANAGE, level)
    used = level_in_use(level)
    if used:
        raise ValidationError(
            {
                "level": f"{level.code} is in use (people placed on it, their level history or "
                "promotion cases): it cannot be removed. Rename it instead."
            }
        )
    record(
        actor=by,
        kind="growth.level.remove",
        obj=level,
        changes={"track": level.track.key, "code": level.code, "title": level.title},
    )
    track_id = level.track_id
    level.delete()
    _renumber(list(Level.objects.filter(track_id=track_id)))


# --- Competencies ----------------------------------------------------------------------------


def _competency_fields(key: Any, name: Any, group: Any, description: Any) -> dict[str, str]:
    return {
        "key": _key(key, "key", "The key"),
        "name": _text(name, "name", "The name"),
        "group": _text(group, "group", "The group", required=False),
        "description": _text(description, "description", "The description", required=False),
    }


def _set_expectations(competency: Competency, texts: Mapping[int, str]) -> dict[str, Any]:
    """Write the expectation text per level id; empty text removes it. Returns the changes."""
    levels = {level.pk: level for level in Level.objects.filter(track_id=competency.track_id)}
    existing = {e.level_id: e for e in competency.expectations.all()}
    changes: dict[str, Any] = {}
    for level_id, raw in texts.items():
        level = levels.get(level_id)
        if level is None:
            raise ValidationError(
                {"expectations": "An expectation names a level of another track."}
            )
        text = _text(
            raw,
            f"level_{level_id}",
            f"The expectation at {level.code}",
            required=False,
            limit="expectation",
        )
        current = existing.get(level_id)
        if current is None and text:
            Expectation.objects.create(competency=competency, level=level, text=text)
            changes[level.code] = ["", text]
        elif current is not None and not text:
            current.delete()
            changes[level.code] = [current.text, ""]
        elif current is not None and current.text != text:
            changes[level.code] = [current.text, text]
            current.text = text
            current.save(update_fields=["text"])
    return changes


@transaction.atomic
def add_competency(
    *,
    by: Any,
    track: Track,
    key: str,
    name: str,
    group: str = "",
    description: str = "",
    expectations: Mapping[int, str] | None = None,
) -> Competency:
    require(by, MANAGE, track)
    values = _competency_fields(key, name, group, description)
    if track.competencies.filter(key=values["key"]).exists():
        raise ValidationError({"key": f"{track.name} already has a competency {values['key']}."})
    position = (track.competencies.aggregate(top=Max("position"))["top"] or 0) + 1
    competency = Competency.objects.create(track=track, position=position, **values)
    changes = _set_expectations(competency, expectations or {})
    record(
        actor=by,
        kind="growth.competency.add",
        obj=competency,
        changes={"track": track.key, **values, "expectations": changes},
    )
    return competency


@transaction.atomic
def update_competency(
    *,
    by: Any,
    competency: Competency,
    key: str,
    name: str,
    group: str = "",
    description: str = "",
    expectations: Mapping[int, str] | None = None,
) -> Competency:
    require(by, MANAGE, competency)
    values = _competency_fields(key, name, group, description)
    if (
        Competency.objects.filter(track_id=competency.track_id, key=values["key"])
        .exclude(pk=competency.pk)
        .exists()
    ):
        raise ValidationError({"key": f"This track already has a competency {values['key']}."})
    changes: dict[str, Any] = {
        k: [getattr(competency, k), v] for k, v in values.items() if getattr(competency, k) != v
    }
    if changes:
        for name_, value in values.items():
            setattr(competency, name_, value)
        competency.save()
    written = _set_expectations(competency, expectations or {})
    if written:
        changes["expectations"] = written
    if changes:
        record(actor=by, kind="growth.competency.update", obj=competency, changes=changes)
    return competency


@transaction.atomic
def move_competency(*, by: Any, competency: Competency, direction: int) -> bool:
    require(by, MANAGE, competency)
    rows = list(Competency.objects.select_for_update().filter(track_id=competency.track_id))
    moved = _move(rows, competency, direction)
    if moved:
        record(
            actor=by,
            kind="growth.competency.move",
            obj=competency,
            changes={"order": [row.key for row in rows]},
        )
    return moved


@transaction.atomic
def remove_competency(*, by: Any, competency: Competency) -> None:
    """Remove a competency and its expectations. Frozen versions keep it for whatever
    measured against it; development plans that named it keep their text."""
    require(by, MANAGE, competency)
    record(
        actor=by,
        kind="growth.competency.remove",
        obj=competency,
        changes={"track": competency.track.key, "key": competency.key, "name": competency.name},
    )
    track_id = competency.track_id
    competency.delete()
    _renumber(list(Competency.objects.filter(track_id=track_id)))


# --- Freezing ---------------------------------------------------------------------------------


def track_content(track: Track) -> dict[str, Any]:
    """The track as it stands now, in FrameworkVersion's `content` shape (3 queries)."""
    levels = list(Level.objects.filter(track=track))
    codes = {level.pk: level.code for level in levels}
    competencies = list(Competency.objects.filter(track=track).prefetch_related("expectations"))
    return {
        "key": track.key,
        "name": track.name,
        "description": track.description,
        "levels": [
            {"code": lv.code, "title": lv.title, "summary": lv.summary, "scope": lv.scope}
            for lv in levels
        ],
        "competencies": [
            {
                "key": c.key,
                "group": c.group,
                "name": c.name,
                "description": c.description,
                "expectations": {
                    codes[e.level_id]: e.text
                    for e in sorted(
                        c.expectations.all(), key=lambda e: list(codes).index(e.level_id)
                    )
                },
            }
            for c in competencies
        ],
    }


def content_hash(content: dict[str, Any]) -> str:
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def freeze(track: Track, *, by: Any = None) -> FrameworkVersion:
    """The track's latest version when nothing changed since it was frozen, else a new
    numbered version. Call inside the transaction of the act that measures against it."""
    content = track_content(track)
    digest = content_hash(content)
    latest = FrameworkVersion.objects.filter(track=track).order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    number = (latest.number if latest is not None else 0) + 1
    return FrameworkVersion.objects.create(
        track=track,
        number=number,
        content=content,
        content_hash=digest,
        created_by=by if getattr(by, "pk", None) else None,
    )


# --- Import ------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)  # track names
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def import_frameworks(
    *, by: Any, tracks: Iterable[TrackData], audited: bool = True
) -> ImportResult:
    """Create or update tracks from a parsed framework file, matched by key (tracks and
    competencies) and code (levels): importing the same file again changes nothing. Levels
    and competencies the file no longer lists are removed; a level in use makes the whole
    import fail, naming it. All or nothing. `audited=False` is for the demo, which records
    one event for its whole load."""
    require(by, MANAGE)
    result = ImportResult()
    for data in tracks:
        _import_track(by, data, result, audited=audited)
    return result


def _import_track(by: Any, data: TrackData, result: ImportResult, *, audited: bool) -> None:
    track = Track.objects.filter(key=data.key).first()
    clash = Track.objects.filter(name__iexact=data.name)
    if track is not None:
        clash = clash.exclude(pk=track.pk)
    if clash.exists():
        raise ValidationError(
            {"file": f"Track {data.key}: another track ({clash[0].key}) is called {data.name}."}
        )
    changes: dict[str, Any] = {}
    if track is None:
        position = (Track.objects.aggregate(top=Max("position"))["top"] or 0) + 1
        track = Track.objects.create(
            key=data.key, name=data.name, description=data.description, position=position
        )
        changes["track"] = ["", data.name]
    else:
        for attr in ("name", "description"):
            if getattr(track, attr) != getattr(data, attr):
                changes[attr] = [getattr(track, attr), getattr(data, attr)]
                setattr(track, attr, getattr(data, attr))
        if changes:
            track.save()
    levels = _import_levels(track, data, changes)
    _import_competencies(track, data, levels, changes)
    label = track.name
    if "track" in changes:
        result.created.append(label)
    elif changes:
        result.updated.append(label)
    else:
        result.unchanged.append(label)
    if changes:
        result.changes[track.key] = changes
        if audited:
            record(actor=by, kind="growth.framework.import", obj=track, changes=changes)


def _import_levels(track: Track, data: TrackData, changes: dict[str, Any]) -> dict[str, Level]:
    existing = {level.code.lower(): level for level in Level.objects.filter(track=track)}
    wanted = {level.code.lower() for level in data.levels}
    for code, stale_level in list(existing.items()):
        if code not in wanted:
            if level_in_use(stale_level):
                raise ValidationError(
                    {
                        "file": f"Track {data.key}: level {stale_level.code} is not in the file "
                        "but people are placed on it or records measure against it: keep it."
                    }
                )
            stale_level.delete()
            del existing[code]
            changes.setdefault("levels removed", []).append(stale_level.code)
    levels: dict[str, Level] = {}
    for position, item in enumerate(data.levels, start=1):
        level = existing.get(item.code.lower())
        values = {
            "code": item.code,
            "title": item.title,
            "summary": item.summary,
            "scope": item.scope,
        }
        if level is None:
            level = Level.objects.create(track=track, position=position, **values)
            changes.setdefault("levels added", []).append(item.code)
        else:
            different: dict[str, Any] = {k: v for k, v in values.items() if getattr(level, k) != v}
            if level.position != position:
                different["position"] = position
            if different:
                for key, value in different.items():
                    setattr(level, key, value)
                level.save()
                changes.setdefault("levels changed", []).append(item.code)
        levels[item.code] = level
    return levels


def _import_competencies(
    track: Track, data: TrackData, levels: dict[str, Level], changes: dict[str, Any]
) -> None:
    existing = {
        c.key: c for c in Competency.objects.filter(track=track).prefetch_related("expectations")
    }
    wanted = {c.key for c in data.competencies}
    for key, stale in list(existing.items()):
        if key not in wanted:
            stale.delete()
            changes.setdefault("competencies removed", []).append(key)
    for position, item in enumerate(data.competencies, start=1):
        competency = existing.get(item.key)
        values = {"name": item.name, "group": item.group, "description": item.description}
        if competency is None:
            competency = Competency.objects.create(
                track=track, key=item.key, position=position, **values
            )
            changes.setdefault("competencies added", []).append(item.key)
            current: dict[int, Expectation] = {}
        else:
            different: dict[str, Any] = {
                k: v for k, v in values.items() if getattr(competency, k) != v
            }
            if competency.position != position:
                different["position"] = position
            if different:
                for attr, value in different.items():
                    setattr(competency, attr, value)
                competency.save()
                changes.setdefault("competencies changed", []).append(item.key)
            current = {e.level_id: e for e in competency.expectations.all()}
        wrote = False
        for code, text in item.expectations.items():
            level = levels[code]
            found = current.pop(level.pk, None)
            if found is None:
                Expectation.objects.create(competency=competency, level=level, text=text)
                wrote = True
            elif found.text != text:
                found.text = text
                found.save(update_fields=["text"])
                wrote = True
        for old in current.values():
            old.delete()
            wrote = True
        if wrote and item.key not in changes.get("competencies added", []):
            expected = changes.setdefault("expectations changed", [])
            expected.append(item.key)


def export_content(tracks: Iterable[Track]) -> list[dict[str, Any]]:
    """The tracks in the frozen-version shape, for framework_files.dump."""
    return [track_content(track) for track in tracks]


_SLUG = re.compile(r"[^a-z0-9]+")


def suggest_key(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-")[:50]
