"""The program over the API: its switches in plain words (everyone), the presets and what
each would change (everyone), applying one, deleting one of the company's own and undoing a
change (HR admins), and the history. Thin: the rules, queries and services decide."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.errors import ValidationError

from tandem.access.rules import require
from tandem.core.api import ERRORS, MAX_ID, NOT_FOUND
from tandem.core.pagination import BadCursor
from tandem.program import history, presets, queries, services
from tandem.program.models import PRESET_FIELDS, Program, ProgramChange
from tandem.program.schemas import (
    ChangeOut,
    ChangePageOut,
    PresetOut,
    ProgramOut,
    ReasonIn,
    SwitchChangeOut,
)

router = Router(tags=["program"])


def _preset_out(preset: presets.Preset) -> dict[str, Any]:
    return {
        "key": preset.key,
        "name": preset.name,
        "description": preset.description,
        "built_in": preset.built_in,
        "switches": dict(preset.values),
    }


def _switch_change(change: presets.SwitchChange) -> dict[str, Any]:
    return {
        "key": change.key,
        "label": change.label,
        "before": change.before,
        "after": change.after,
        "before_words": change.before_words,
        "after_words": change.after_words,
    }


def _change_out(change: ProgramChange, names: dict[str, str]) -> dict[str, Any]:
    told = history.tell(change, names)
    return {
        "id": change.pk,
        "at": change.at,
        "by_id": change.by_id,
        "by_name": change.by_label,
        "source": change.source,
        "reason": change.reason,
        "reverts_id": change.reverts_id,
        "summary": told.title,
        "changes": [_switch_change(s) for s in told.switches],
    }


def _names(request: HttpRequest) -> dict[str, str]:
    return {p.key: p.name for p in queries.all_presets(request.user)}


@router.get("/program", response={200: ProgramOut, **ERRORS}, summary="The program's switches")
def get_program(request: HttpRequest) -> dict[str, Any]:
    """Every switch with its value and what it means in plain words: readable by everyone."""
    program = Program.current()
    meanings = program.meanings()
    values = presets.program_values(program)
    return {
        "purpose_statement": program.purpose_statement,
        "switches": [
            {
                "key": name,
                "label": presets.label(name),
                "value": values[name],
                "meaning": meanings[name],
            }
            for name in PRESET_FIELDS
        ],
        "updated_at": program.updated_at,
    }


@router.get("/program/presets", response={200: list[PresetOut], **ERRORS}, summary="The presets")
def list_program_presets(request: HttpRequest) -> list[dict[str, Any]]:
    """The built-in presets, then the company's own, each with a value for every switch."""
    return [_preset_out(p) for p in queries.all_presets(request.user)]


@router.post(
    "/program/presets/{key}/diff",
    response={200: list[SwitchChangeOut], **NOT_FOUND, **ERRORS},
    summary="What applying a preset would change (nothing is saved)",
)
def diff_program_preset(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    preset = queries.preset_for(request.user, key)
    current = presets.program_values(Program.current())
    return [_switch_change(c) for c in presets.changes_between(current, preset.values)]


@router.post(
    "/program/presets/{key}/apply",
    response={200: ChangeOut, **NOT_FOUND, **ERRORS},
    summary="Apply a preset: one change, audited, that can be undone (HR admins)",
)
def apply_program_preset(request: HttpRequest, key: str, payload: ReasonIn) -> dict[str, Any]:
    require(request.user, "program.edit")
    preset = queries.preset_for(request.user, key)
    change = services.apply_preset(by=request.user, key=preset.key, reason=payload.reason)
    return _change_out(change, _names(request))


@router.delete(
    "/program/presets/{key}",
    response={204: None, **NOT_FOUND, **ERRORS},
    summary="Delete one of the company's own presets; the program keeps its values (HR admins)",
)
def delete_program_preset(request: HttpRequest, key: str) -> Status[None]:
    """A built-in preset cannot be deleted: 422, naming it. A key that names no preset: 404.
    Deleting a preset changes no switch, and the history keeps the changes that applied it."""
    require(request.user, "program.edit")
    preset = queries.preset_for(request.user, key)
    services.delete_preset(by=request.user, key=preset.key)
    return Status(204, None)


@router.get(
    "/program/changes",
    response={200: ChangePageOut, **ERRORS},
    summary="The program's change history, newest first",
)
def list_program_changes(
    request: HttpRequest,
    cursor: str | None = Query(None, max_length=200),
    limit: int = Query(20, ge=1, le=100),
) -> dict[str, Any]:
    try:
        page, next_cursor = queries.changes(request.user, after=cursor or None, limit=limit)
    except BadCursor as error:
        raise ValidationError(
            [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
        ) from None
    names = _names(request) if page else {}
    return {"items": [_change_out(c, names) for c in page], "next_cursor": next_cursor}


@router.post(
    "/program/changes/{change_id}/revert",
    response={200: ChangeOut, **NOT_FOUND, **ERRORS},
    summary="Undo a change: restore the switches it set (HR admins)",
)
def revert_program_change(
    request: HttpRequest, change_id: int, payload: ReasonIn
) -> dict[str, Any]:
    require(request.user, "program.edit")
    change = queries.change_for(request.user, min(change_id, MAX_ID))
    restored = services.revert_change(by=request.user, change=change, reason=payload.reason)
    return _change_out(restored, _names(request))
