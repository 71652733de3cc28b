"""The program page (everyone reads it, with its history), its editor, the presets and
undoing a change (HR admins)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tandem.access.rules import require
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.core.pagination import BadCursor
from tandem.program import history, presets, queries, services
from tandem.program import setup as guided
from tandem.program.forms import (
    KEEP_CURRENT,
    ImportPresetForm,
    ProgramForm,
    ReasonForm,
    SavePresetForm,
    SetupCalendarForm,
    SetupPresetForm,
    SetupValuesForm,
    SetupVisibilityForm,
    SetupWhyForm,
    SwitchesForm,
)
from tandem.program.models import SWITCHES, Program, ProgramSetup, Purpose

# An exported preset is a few kilobytes; anything much larger is not one.
MAX_IMPORT_BYTES = 256 * 1024


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
            show_errors(form, error)
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
            show_errors(form, error)
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
            show_errors(form, error)
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
def preset_delete(request: AuthedHttpRequest, key: str) -> HttpResponse:
    """Deleting one of the company's own presets: what it means, and the confirmation. A
    built-in preset is explained, not offered for deletion."""
    require(request.user, "program.edit")
    chosen = queries.preset_for(request.user, key)
    error = ""
    if request.method == "POST":
        try:
            services.delete_preset(by=request.user, key=chosen.key)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                f"Deleted the preset “{chosen.name}”. The program's switches did not change.",
            )
            return redirect("program:presets")
    applied = None if chosen.built_in else queries.last_applied(request.user, chosen.key)
    return render(
        request,
        "program/preset_delete.html",
        {
            "preset": chosen,
            "applied": applied,
            "matches": presets.program_values(Program.current()) == dict(chosen.values),
            "error": error,
        },
        status=400 if error else 200,
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
            show_errors(form, error)
        else:
            messages.success(request, "The change is undone; the history shows it.")
            return redirect("program:detail")
    return render(
        request,
        "program/revert.html",
        {"told": told, "conflicts": conflicts, "form": form},
        status=400 if form.errors else 200,
    )


# --- The guided set-up (program/setup.py) ----------------------------------------------------


@login_required
def setup_start(request: AuthedHttpRequest) -> HttpResponse:
    """Resume the set-up at the first step not saved yet (the first step once finished)."""
    require(request.user, "program.edit")
    current = ProgramSetup.current()
    key = guided.STEPS[0].key if current.completed_at else guided.first_unfinished(current)
    return redirect("program:setup_step", step=key)


def _setup_form(key: str, data: Any, program: Program, user: Any) -> BaseForm | None:
    if key == "why":
        initial = {"purposes": program.purposes, "purpose_statement": program.purpose_statement}
        return SetupWhyForm(data, initial=initial)
    if key == "values":
        lines = [
            f"{name}: {description}" if description else name
            for name, description in queries.company_values(user)
        ]
        return SetupValuesForm(data, initial={"values": "\n".join(lines)})
    if key == "preset":
        choices = [(p.key, p.name) for p in queries.all_presets(user)]
        return SetupPresetForm(data, choices=choices, initial={"preset": KEEP_CURRENT})
    if key == "calendar":
        return SetupCalendarForm(data, instance=program)
    if key == "visibility":
        return SetupVisibilityForm(data, instance=program)
    return None


def _save_setup_step(request: AuthedHttpRequest, key: str, form: BaseForm | None) -> None:
    """Save the step through the program's services; a refusal lands on the form."""
    by = request.user
    if key == "values":
        assert form is not None
        services.setup_values(by=by, values=form.cleaned_data["values"])
    elif key == "preset":
        assert form is not None
        services.setup_preset(by=by, key=form.cleaned_data["preset"])
    elif key == "review":
        services.finish_setup(by=by)
    else:
        fields = {
            "why": guided.WHY_FIELDS,
            "calendar": guided.CALENDAR_FIELDS,
            "visibility": guided.VISIBILITY_FIELDS,
        }.get(key, ())
        values = {f: form.cleaned_data[f] for f in fields} if form is not None else {}
        services.save_setup_step(by=by, step=key, values=values)


@login_required
def setup_step(request: AuthedHttpRequest, step: str) -> HttpResponse:
    """One step of the set-up: its choices with their trade-offs, saved with Next."""
    require(request.user, "program.edit")
    found = guided.step_for(step)
    if found is None:
        raise Http404("No such step.")
    # A copy, so a refused POST cannot leave half-applied values on the shown program.
    program = Program.current()
    data = request.POST if request.method == "POST" else None
    form = _setup_form(step, data, Program.current(), request.user)
    setup_error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            _save_setup_step(request, step, form)
        except ValidationError as error:
            if form is not None:
                show_errors(form, error)
            else:
                setup_error = " ".join(error.messages)
        else:
            if step == guided.STEPS[-1].key:
                messages.success(
                    request, "The set-up is finished. This is the page everyone reads."
                )
                return redirect("program:detail")
            _, after = guided.neighbours(step)
            assert after is not None
            return redirect("program:setup_step", step=after.key)
    current = ProgramSetup.current()
    before, after = guided.neighbours(step)
    context: dict[str, Any] = {
        "step": found,
        "number": guided.STEP_KEYS.index(step) + 1,
        "total": len(guided.STEPS),
        "steps": guided.progress(current, step),
        "before": before,
        "after": after,
        "form": form,
        "setup": current,
        "setup_error": setup_error,
        "trade_offs": guided.TRADE_OFFS,
        "program": program,
    }
    if step == "why":
        context["purposes"] = [
            (value, label, guided.PURPOSE_TRADE_OFFS[Purpose(value)])
            for value, label in Purpose.choices
        ]
    if step == "preset":
        now = presets.program_values(program)
        context["keeps_purposes"] = "why" in (current.steps_done or [])
        context["presets"] = [
            {
                "preset": p,
                "changes": presets.changes_between(now, guided.preset_values(p.values, current)),
            }
            for p in queries.all_presets(request.user)
            if not presets.check_values(p.values)
        ]
    if step in ("calendar", "visibility"):
        assert form is not None
        context["fields"] = [(form[name], guided.TRADE_OFFS[name]) for name in form.fields]
    if step == "people":
        context["people"] = queries.people_count(request.user)
    if step == "review":
        context["sections"] = program.sections()
        context["editor_only"] = [
            (presets.label(name), reason) for name, reason in guided.EDITOR_ONLY.items()
        ]
        context["missing"] = [
            s for s in guided.STEPS[:-1] if s.key not in (current.steps_done or [])
        ]
    # A refused step is shown again with its messages, 200 like the editor's.
    return render(request, f"program/setup/{step}.html", context)
