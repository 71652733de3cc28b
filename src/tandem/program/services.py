"""Changing the program: HR admins only, every change audited and kept in its history.

Every change — a save in the editor, a preset applied, a change reverted — is one
`ProgramChange` with the switches it set (before and after), and one audit event.

Reverting restores a change's before-values. It is refused, naming the switches, when a
later change touched any of the same switches: restoring would silently overwrite that
later decision (revert the later change first, or change the program in the editor).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from tandem.access.rules import require
from tandem.audit.services import diff, record, snapshot
from tandem.org.services.people import set_company_values
from tandem.program import presets
from tandem.program import setup as guided
from tandem.program.history import COMMAND_LINE
from tandem.program.models import (
    EDITABLE_PROGRAM_FIELDS,
    ChangeSource,
    CompanyPreset,
    Program,
    ProgramChange,
    ProgramSetup,
)

EDITABLE_FIELDS = EDITABLE_PROGRAM_FIELDS
REASON_MAX = 2000
# The format name an exported preset carries, so an import can tell it from other JSON.
EXPORT_FORMAT = "tandem-program-preset"


def _by_label(by: Any) -> str:
    return str(by)[:200] if getattr(by, "pk", None) else COMMAND_LINE


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"Reason: at most {REASON_MAX} characters."})
    return reason


def _change(
    *,
    by: Any,
    values: Mapping[str, Any],
    source: str,
    reason: str,
    kind: str,
    reverts: ProgramChange | None = None,
) -> ProgramChange | None:
    """Set `values` on the program and record the change; None when nothing differs."""
    program = Program.load()
    before = snapshot(program, values)
    for field, value in values.items():
        setattr(program, field, value)
    program.full_clean()
    changes = diff(before, values)
    if not changes:
        return None
    program.save(update_fields=[*changes, "updated_at"])
    change = ProgramChange.objects.create(
        by=by if getattr(by, "pk", None) else None,
        by_label=_by_label(by),
        reason=reason,
        source=source,
        changes=changes,
        reverts=reverts,
    )
    record(actor=by, kind=kind, obj=program, changes=changes, note=f"{source} {reason}".strip())
    return change


def update_program(*, by: Any, reason: str = "", **values: Any) -> Program:
    """The editor's save: any of the editable fields, with an optional reason."""
    require(by, "program.edit")
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_program() got unknown fields: {sorted(unknown)}")
    reason = _check_reason(reason)
    with transaction.atomic():
        _change(
            by=by, values=values, source=ChangeSource.EDIT, reason=reason, kind="program.update"
        )
        return Program.load()


def _preset_values(key: str) -> tuple[presets.Preset, dict[str, Any]]:
    found = presets.built_in(key)
    if found is None:
        row = CompanyPreset.objects.filter(key=key).first()
        if row is None:
            raise Http404("No such preset.")
        found = presets.Preset(row.key, row.name, row.description, row.values, built_in=False)
    errors = presets.check_values(found.values)
    if errors:
        # A company preset saved before a switch was added has no value for it.
        raise ValidationError(
            errors | {"__all__": [f"The preset “{found.name}” cannot be applied as it stands."]}
        )
    return found, dict(found.values)


def apply_preset(*, by: Any, key: str, reason: str = "") -> ProgramChange:
    """Set every switch to the preset's value: one change, audited, that can be reverted."""
    require(by, "program.edit")
    reason = _check_reason(reason)
    with transaction.atomic():
        preset, values = _preset_values(key)
        change = _change(
            by=by,
            values=values,
            source=ChangeSource.preset(preset.key),
            reason=reason,
            kind="program.preset.apply",
        )
        if change is None:
            raise ValidationError(
                f"The program already matches the preset “{preset.name}”: nothing to change."
            )
        return change


def later_conflicts(change: ProgramChange) -> list[ProgramChange]:
    """Later changes that touched any switch `change` set, newest first."""
    return list(
        ProgramChange.objects.filter(pk__gt=change.pk, changes__has_any_keys=list(change.changes))
        .order_by("-pk")
        .only("pk", "at", "by_label", "changes")
    )


def revert_change(*, by: Any, change: ProgramChange, reason: str = "") -> ProgramChange:
    """Restore the switches `change` set to their values before it, as a new change."""
    require(by, "program.edit")
    reason = _check_reason(reason)
    with transaction.atomic():
        conflicts = later_conflicts(change)
        if conflicts:
            later = conflicts[0]
            touched = [presets.label(f) for f in change.changes if f in later.changes]
            at = timezone.localtime(later.at)
            when = f"{at.day} {at:%b %Y, %H:%M}"
            raise ValidationError(
                "This change cannot be undone: a later change "
                f"({when}, by {later.by_label or 'someone'}) also set "
                f"{', '.join(touched)}. Undo the later change first, or set the switches in "
                "the program editor."
            )
        unknown = [f for f in change.changes if f not in EDITABLE_FIELDS]
        if unknown:
            raise ValidationError(
                f"This change set switches the program no longer has ({', '.join(unknown)}): "
                "it cannot be undone."
            )
        values = {field: pair[0] for field, pair in change.changes.items()}
        restored = _change(
            by=by,
            values=values,
            source=ChangeSource.REVERT,
            reason=reason,
            kind="program.revert",
            reverts=change,
        )
        if restored is None:
            raise ValidationError("The program already has this change's earlier values.")
        return restored


# --- The company's own presets -------------------------------------------------------------


def _new_key(name: str, wanted: str = "") -> str:
    key = slugify(wanted or name)[:50] or "preset"
    if key in presets.RESERVED_KEYS or CompanyPreset.objects.filter(key=key).exists():
        taken = set(CompanyPreset.objects.filter(key__startswith=key).values_list("key", flat=True))
        key = next(
            f"{key}-{n}"
            for n in range(2, len(taken) + 3)
            if f"{key}-{n}" not in taken | presets.RESERVED_KEYS
        )
    return key


def _check_name(name: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    description = (description or "").strip()
    if not name:
        errors["name"] = ["Name: give the preset a name, e.g. “Our 2026 program”."]
    elif len(name) > 100:
        errors["name"] = ["Name: at most 100 characters."]
    elif CompanyPreset.objects.filter(name__iexact=name).exists() or any(
        p.name.lower() == name.lower() for p in presets.BUILT_IN
    ):
        errors["name"] = [f"Name: there is already a preset called “{name}”; choose another."]
    if len(description) > 4000:
        errors["description"] = ["Description: at most 4000 characters."]
    if errors:
        raise ValidationError(errors)
    return name, description


def save_preset(*, by: Any, name: str, description: str = "") -> CompanyPreset:
    """The current program, kept as a preset of the company's own."""
    require(by, "program.edit")
    with transaction.atomic():
        name, description = _check_name(name, description)
        values = presets.program_values(Program.current())
        preset = CompanyPreset.objects.create(
            key=_new_key(name),
            name=name,
            description=description,
            values=values,
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(actor=by, kind="program.preset.save", obj=preset, changes={"values": values})
        return preset


def delete_preset(*, by: Any, key: str) -> None:
    """Delete one of the company's own presets. A preset is a template: the program keeps
    the values it set, and the history keeps the changes that applied it. A built-in preset
    cannot be deleted (refused, naming it); a key that names no preset is answered 404."""
    require(by, "program.edit")
    with transaction.atomic():
        found = presets.built_in(key)
        if found is not None:
            raise ValidationError(
                f"“{found.name}” is built into Tandem and cannot be deleted; only presets your "
                "company saved or imported can be."
            )
        preset = CompanyPreset.objects.select_for_update().filter(key=key).first()
        if preset is None:
            raise Http404("No such preset.")
        record(
            actor=by,
            kind="program.preset.delete",
            obj=preset,
            changes={
                "key": preset.key,
                "name": preset.name,
                "description": preset.description,
                "values": preset.values,
            },
        )
        preset.delete()


def export_document(preset: presets.Preset) -> dict[str, Any]:
    """A preset as the JSON file HR downloads, and `import_preset` reads back."""
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "key": preset.key,
        "name": preset.name,
        "description": preset.description,
        "switches": dict(preset.values),
    }


def _text(document: Mapping[str, Any], field: str) -> str:
    value = document.get(field)
    return value if isinstance(value, str) else ""


def import_preset(*, by: Any, content: bytes | str) -> CompanyPreset:
    """A preset from an exported JSON file. Checked whole: any unknown or missing switch,
    wrong type or value out of range refuses it all, naming each switch; nothing is saved."""
    require(by, "program.edit")
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            {
                "file": [
                    f"File: this is not a JSON file ({error}). Export a preset to see the format."
                ]
            }
        ) from error
    if not isinstance(document, dict):
        raise ValidationError(
            {"file": ["File: expected one JSON object with name, description and switches."]}
        )
    errors: dict[str, list[str]] = {}
    extra = set(document) - {"format", "version", "key", "name", "description", "switches"}
    for field in sorted(extra):
        errors[field] = [f"“{field}” is not part of a preset file; remove it."]
    if document.get("format", EXPORT_FORMAT) != EXPORT_FORMAT:
        errors["format"] = [f"Format: expected “{EXPORT_FORMAT}”."]
    for field in ("key", "name", "description"):
        if field in document and not isinstance(document[field], str):
            errors[field] = [f"{field.capitalize()}: must be text."]
    if "switches" not in document:
        errors["switches"] = ["Switches: the file gives none; it needs a value for each."]
    else:
        errors.update(presets.check_values(document["switches"], where="switches"))
    name = _text(document, "name")
    description = _text(document, "description")
    try:
        name, description = _check_name(name, description)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        key = _text(document, "key")
        preset = CompanyPreset.objects.create(
            key=_new_key(name, key),
            name=name,
            description=description,
            values=document["switches"],
            created_by=by if getattr(by, "pk", None) else None,
        )
        record(
            actor=by,
            kind="program.preset.import",
            obj=preset,
            changes={"values": document["switches"]},
        )
        return preset


# --- The guided set-up (program/setup.py) ----------------------------------------------------


def _setup_step_done(*, by: Any, step: str) -> ProgramSetup:
    setup, _ = ProgramSetup.objects.select_for_update().get_or_create(pk=1)
    before = list(setup.steps_done or [])
    if step not in before:
        setup.steps_done = [*before, step]
        setup.save(update_fields=["steps_done"])
        record(
            actor=by,
            kind="program.setup.step",
            obj=setup,
            changes={"steps_done": [before, setup.steps_done]},
            note=step,
        )
    return setup


def save_setup_step(*, by: Any, step: str, values: Mapping[str, Any] | None = None) -> ProgramSetup:
    """Save one step of the guided set-up: the program's fields it sets (one change in the
    history, like the editor's, with the step named as the reason), then the step as done.

    Steps that set other things call their own service first (`setup_values`,
    `setup_preset`); a step with nothing to set (people: "add them later") is only marked
    done."""
    require(by, "program.edit")
    found = guided.step_for(step)
    if found is None or step == guided.STEPS[-1].key:
        raise ValueError(f"save_setup_step(): {step!r} is not a step that saves")
    with transaction.atomic():
        if values:
            unknown = set(values) - set(EDITABLE_FIELDS)
            if unknown:
                raise TypeError(f"save_setup_step() got unknown fields: {sorted(unknown)}")
            _change(
                by=by,
                values=values,
                source=ChangeSource.EDIT,
                reason=f"Guided set-up: {found.title.lower()}.",
                kind="program.update",
            )
        return _setup_step_done(by=by, step=step)


def setup_values(*, by: Any, values: list[tuple[str, str]]) -> ProgramSetup:
    """The values step: the company's values (the org's service, audited there), then the
    step as done."""
    require(by, "program.edit")
    with transaction.atomic():
        set_company_values(by=by, values=values)
        return _setup_step_done(by=by, step="values")


def setup_preset(*, by: Any, key: str) -> ProgramSetup:
    """The starting-point step: apply a preset as one change in the history (source
    `preset:<key>`, audited like `apply_preset`, revertable), or keep the program as it is
    when `key` is empty or the program already matches it."""
    require(by, "program.edit")
    with transaction.atomic():
        if key:
            _, values = _preset_values(key)
            _change(
                by=by,
                values=guided.preset_values(values, ProgramSetup.current()),
                source=ChangeSource.preset(key),
                reason="Guided set-up: the starting point.",
                kind="program.preset.apply",
            )
        return _setup_step_done(by=by, step="preset")


def finish_setup(*, by: Any) -> ProgramSetup:
    """Finish the guided set-up: refused, naming them, while an earlier step is not done."""
    require(by, "program.edit")
    with transaction.atomic():
        setup, _ = ProgramSetup.objects.select_for_update().get_or_create(pk=1)
        missing = [s.title for s in guided.STEPS[:-1] if s.key not in (setup.steps_done or [])]
        if missing:
            raise ValidationError(
                "The set-up cannot finish yet: these steps are not saved: "
                + "; ".join(missing)
                + "."
            )
        if setup.completed_at is None:
            setup.completed_at = timezone.now()
            setup.completed_by = by if getattr(by, "pk", None) else None
            setup.save(update_fields=["completed_at", "completed_by"])
            record(actor=by, kind="program.setup.finish", obj=setup)
        return setup
