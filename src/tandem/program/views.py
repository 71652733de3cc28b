"""The program page (everyone reads it, with its history), its editor, the presets and
undoing a change (HR admins)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.access.rules import require
from tandem.core.http import AuthedHttpRequest
from tandem.core.pagination import BadCursor
from tandem.program import history, presets, queries, services
from tandem.program.forms import (
    ImportPresetForm,
    ProgramForm,
    ReasonForm,
    SavePresetForm,
    SwitchesForm,
)
from tandem.program.models import SWITCHES, Program

# An exported preset is a few kilobytes; anything much larger is not one.
MAX_IMPORT_BYTES = 256 * 1024


def _add_errors(form: Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def detail(request: AuthedHttpRequest) -> HttpResponse:
    program = Program.current()
    bad_link = False
    try:
        page, next_cursor = queries.changes(request.user, after=request.GET.get("after") or None)
    except BadCursor:
        bad_link = True
        page, next_cursor = queries.changes(request.user)
    names = {p.key: p.name for p in queries.all_presets(request.user)} if page else {}
    return render(
        request,
        "program/detail.html",
        {
            "program": program,
            "sections": program.sections(),
            "history": [history.tell(change, names) for change in page],
            "next_cursor": next_cursor,
            "older": bool(request.GET.get("after")) and not bad_link,
            "bad_link": bad_link,
        },
    )


@login_required
def edit(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    program = Program.current()
    initial = {
        "purposes": program.purposes,
        "purpose_statement": program.purpose_statement,
        "anonymity_minimum": program.anonymity_minimum,
    }
    form = ProgramForm(request.POST or None, initial=initial)
    # A copy, so a refused POST cannot leave half-applied values on the loaded program.
    switches = SwitchesForm(request.POST or None, instance=Program.current())
    if request.method == "POST" and form.is_valid() and switches.is_valid():
        values = {**form.cleaned_data, **{f: switches.cleaned_data[f] for f in SWITCHES}}
        reason = values.pop("reason", "")
        try:
            services.update_program(by=request.user, reason=reason, **values)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                target = form if field in form.fields else switches
                target.add_error(field if field in target.fields else None, errors)
        else:
            messages.success(
                request, "Program saved. Everyone sees the change on the program page."
            )
            return redirect("program:detail")
    return render(
        request, "program/edit.html", {"form": form, "switches": switches, "program": program}
    )


def _presets_page(
    request: AuthedHttpRequest,
    save_form: SavePresetForm | None = None,
    import_form: ImportPresetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "program/presets.html",
        {
            "presets": queries.all_presets(request.user),
            "save_form": save_form or SavePresetForm(),
            "import_form": import_form or ImportPresetForm(),
        },
        status=status,
    )


@login_required
def preset_list(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    return _presets_page(request)


@login_required
def preset_save(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    if request.method != "POST":
        return redirect("program:presets")
    form = SavePresetForm(request.POST)
    if form.is_valid():
        try:
            preset = services.save_preset(
                by=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"The current program is saved as “{preset.name}”.")
            return redirect("program:presets")
    return _presets_page(request, save_form=form, status=400)


@login_required
def preset_import(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "program.edit")
    if request.method != "POST":
        return redirect("program:presets")
    form = ImportPresetForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError({"file": ["File: too large for a preset (at most 256 KB)."]})
            preset = services.import_preset(by=request.user, content=upload.read())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Imported “{preset.name}”. Nothing has changed yet: open it to see what "
                "applying it would change.",
            )
            return redirect("program:preset", key=preset.key)
    return _presets_page(request, import_form=form, status=400)


@login_required
def preset(request: AuthedHttpRequest, key: str) -> HttpResponse:
    """What applying a preset would change, and the confirmation that applies it."""
    require(request.user, "program.edit")
    chosen = queries.preset_for(request.user, key)
    problems = presets.check_values(chosen.values)
    current = presets.program_values(Program.current())
    changes = [] if problems else presets.changes_between(current, chosen.values)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_preset(
                by=request.user, key=chosen.key, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Applied “{chosen.name}”. The change is in the history below; you can undo it "
                "there.",
            )
            return redirect("program:detail")
    return render(
        request,
        "program/preset.html",
        {
            "preset": chosen,
            "changes": changes,
            "problems": [m for messages_ in problems.values() for m in messages_],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
def preset_export(request: AuthedHttpRequest, key: str) -> HttpResponse:
    require(request.user, "program.edit")
    chosen = queries.preset_for(request.user, key)
    document: dict[str, Any] = services.export_document(chosen)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="tandem-preset-{chosen.key}.json"'
    return response


@login_required
def change_revert(request: AuthedHttpRequest, change_id: int) -> HttpResponse:
    """Undoing a change: what it will restore, and the confirmation."""
    require(request.user, "program.edit")
    change = queries.change_for(request.user, change_id)
    told = history.tell(change, {p.key: p.name for p in queries.all_presets(request.user)})
    conflicts = services.later_conflicts(change)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revert_change(
                by=request.user, change=change, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The change is undone; the history shows it.")
            return redirect("program:detail")
    return render(
        request,
        "program/revert.html",
        {"told": told, "conflicts": conflicts, "form": form},
        status=400 if form.errors else 200,
    )
