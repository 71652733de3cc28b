"""Growth pages: career frameworks. Everyone reads the tracks, a track's expectations at
each level and "my level beside the next"; HR admins edit tracks, levels and
competencies, import and export framework files, map the people import's level labels
onto levels and place people. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from tandem.access.rules import can, require
from tandem.coach.markdown import render_markdown
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.growth import framework_files
from tandem.growth.forms_frameworks import (
    CompetencyForm,
    ImportForm,
    LevelForm,
    MapLabelForm,
    PlaceForm,
    TrackForm,
)
from tandem.growth.models import Track
from tandem.growth.queries import frameworks as queries
from tandem.growth.queries import placements as placement_queries
from tandem.growth.services import frameworks as services
from tandem.growth.services import placements as placement_services

MANAGE = "growth.framework.manage"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 18 else None


# --- Reading -------------------------------------------------------------------------------


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    """Every career track, with its levels; the viewer's own placement first."""
    return render(
        request,
        "growth/frameworks/index.html",
        {
            "tracks": queries.tracks(request.user),
            "mine": placement_queries.placement_of(request.user),
            "may_manage": can(request.user, MANAGE),
        },
    )


@login_required
def track(request: AuthedHttpRequest, track_id: int) -> HttpResponse:
    """A track: its levels, and its competencies grouped with what each level expects.
    One level at a time (the viewer's, or the one picked), readable on a phone."""
    found = queries.track_for(request.user, track_id)
    view = queries.track_view(found)
    mine = placement_queries.placement_of(request.user)
    picked = _int(request.GET.get("level"))
    level = next((lv for lv in view.levels if lv.pk == picked), None)
    if level is None and mine is not None and mine.track_id == found.pk:
        level = next((lv for lv in view.levels if lv.pk == mine.level_id), None)
    if level is None and view.levels:
        level = view.levels[0]
    groups = [
        {
            "name": group.name,
            "rows": [
                {"competency": item.competency, "html": render_markdown(item.at(level))}
                for item in group.competencies
            ],
        }
        for group in view.groups
    ]
    return render(
        request,
        "growth/frameworks/track.html",
        {
            "track": found,
            "levels": view.levels,
            "level": level,
            "next_level": view.after(level),
            "groups": groups,
            "mine": mine if mine is not None and mine.track_id == found.pk else None,
            "may_manage": can(request.user, MANAGE),
        },
    )


@login_required
def compare(request: AuthedHttpRequest, track_id: int) -> HttpResponse:
    """Two levels of a track side by side, what changes highlighted. By default the
    viewer's level and the next one."""
    found = queries.track_for(request.user, track_id)
    view = queries.track_view(found)
    by_id = {lv.pk: lv for lv in view.levels}
    mine = placement_queries.placement_of(request.user)
    current = by_id.get(_int(request.GET.get("from")) or 0)
    if current is None and mine is not None:
        current = by_id.get(mine.level_id)
    if current is None and view.levels:
        current = view.levels[0]
    target = by_id.get(_int(request.GET.get("to")) or 0) or view.after(current)
    rows: list[dict[str, Any]] = []
    if current is not None and target is not None:
        rows = [
            {
                "row": row,
                "current_html": render_markdown(row.current),
                "target_html": render_markdown(row.target),
            }
            for row in queries.compare(view, current, target)
        ]
    return render(
        request,
        "growth/frameworks/compare.html",
        {
            "track": found,
            "levels": view.levels,
            "current": current,
            "target": target,
            "rows": rows,
            "changed": sum(1 for r in rows if r["row"].changes),
            "mine": mine if mine is not None and mine.track_id == found.pk else None,
        },
    )


# --- HR: editing -----------------------------------------------------------------------------


@login_required
def track_new(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, MANAGE)
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_track(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Created the track “{created.name}”. Add its levels next.")
            return redirect("growth:track_edit", track_id=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "growth/frameworks/track_new.html", {"form": form}, status=status)


@login_required
def track_edit(request: AuthedHttpRequest, track_id: int) -> HttpResponse:
    """The structured editor of a track: its name, its levels and its competencies in
    order, each with move up / move down, edit and remove."""
    require(request.user, MANAGE)
    found = queries.track_for(request.user, track_id)
    initial = {
        "name": found.name,
        "description": found.description,
        "archived": bool(found.archived_at),
    }
    form = TrackForm(request.POST or None, editing=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_track(by=request.user, track=found, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("growth:track_edit", track_id=found.pk)
    view = queries.track_view(found)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/track_edit.html",
        {"track": found, "form": form, "levels": view.levels, "groups": view.groups},
        status=status,
    )


def _edit_url(track_id: int, anchor: str) -> str:
    return reverse("growth:track_edit", args=[track_id]) + f"#{anchor}"


@login_required
def level_new(request: AuthedHttpRequest, track_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    found = queries.track_for(request.user, track_id)
    form = LevelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_level(by=request.user, track=found, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Added the level {form.cleaned_data['code']}.")
            return redirect(_edit_url(found.pk, "levels-h"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/level_form.html",
        {"track": found, "form": form, "level": None},
        status=status,
    )


@login_required
def level_edit(request: AuthedHttpRequest, level_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    level = queries.level_for(request.user, level_id)
    initial = {k: getattr(level, k) for k in ("code", "title", "summary", "scope")}
    form = LevelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_level(by=request.user, level=level, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved the level {level.code}.")
            return redirect(_edit_url(level.track_id, "levels-h"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/level_form.html",
        {"track": level.track, "form": form, "level": level},
        status=status,
    )


@login_required
@require_POST
def level_move(request: AuthedHttpRequest, level_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    level = queries.level_for(request.user, level_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.move_level(by=request.user, level=level, direction=direction)
    return redirect(_edit_url(level.track_id, f"level-{level.pk}"))


@login_required
@require_POST
def level_remove(request: AuthedHttpRequest, level_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    level = queries.level_for(request.user, level_id)
    try:
        services.remove_level(by=request.user, level=level)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed the level {level.code}.")
    return redirect(_edit_url(level.track_id, "levels-h"))


def _competency_page(
    request: AuthedHttpRequest, track: Track, competency: Any = None
) -> HttpResponse:
    view = queries.track_view(track)
    initial: dict[str, Any] = {}
    if competency is not None:
        initial = {k: getattr(competency, k) for k in ("key", "name", "group", "description")}
        texts = next(
            (
                item.texts
                for group in view.groups
                for item in group.competencies
                if item.competency.pk == competency.pk
            ),
            {},
        )
        initial.update({f"level_{level_id}": text for level_id, text in texts.items()})
    form = CompetencyForm(request.POST or None, levels=view.levels, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in ("key", "name", "group", "description")}
        try:
            if competency is None:
                saved = services.add_competency(
                    by=request.user, track=track, expectations=form.expectations(), **fields
                )
            else:
                saved = services.update_competency(
                    by=request.user,
                    competency=competency,
                    expectations=form.expectations(),
                    **fields,
                )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect(_edit_url(track.pk, f"competency-{saved.pk}"))
    groups = sorted({group.name for group in view.groups if group.name})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/competency_form.html",
        {"track": track, "form": form, "competency": competency, "groups": groups},
        status=status,
    )


@login_required
def competency_new(request: AuthedHttpRequest, track_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    return _competency_page(request, queries.track_for(request.user, track_id))


@login_required
def competency_edit(request: AuthedHttpRequest, competency_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    competency = queries.competency_for(request.user, competency_id)
    return _competency_page(request, competency.track, competency)


@login_required
@require_POST
def competency_move(request: AuthedHttpRequest, competency_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    competency = queries.competency_for(request.user, competency_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.move_competency(by=request.user, competency=competency, direction=direction)
    return redirect(_edit_url(competency.track_id, f"competency-{competency.pk}"))


@login_required
@require_POST
def competency_remove(request: AuthedHttpRequest, competency_id: int) -> HttpResponse:
    require(request.user, MANAGE)
    competency = queries.competency_for(request.user, competency_id)
    services.remove_competency(by=request.user, competency=competency)
    messages.success(request, f"Removed “{competency.name}”.")
    return redirect(_edit_url(competency.track_id, "competencies-h"))


# --- HR: files -------------------------------------------------------------------------------


@login_required
def framework_import(request: AuthedHttpRequest) -> HttpResponse:
    """Upload a framework file (YAML or JSON): all of it is imported, or nothing."""
    require(request.user, MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > framework_files.MAX_FILE_BYTES:
                raise framework_files.FrameworkFileError(["The file is larger than 2 MB."])
            parsed = framework_files.parse(upload.read(), name=upload.name or "")
            result = services.import_frameworks(by=request.user, tracks=parsed)
        except framework_files.FrameworkFileError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
        else:
            if result.changed:
                parts = []
                if result.created:
                    parts.append("created " + ", ".join(result.created))
                if result.updated:
                    parts.append("updated " + ", ".join(result.updated))
                messages.success(request, f"Imported: {'; '.join(parts)}.")
            else:
                messages.success(request, "Nothing changed: the frameworks already match the file.")
            return redirect("growth:frameworks")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/import.html",
        {"form": form, "problems": problems, "tracks": queries.tracks(request.user)},
        status=status,
    )


@login_required
def framework_export(request: AuthedHttpRequest) -> HttpResponse:
    """Download one track (`?track=<id>`) or all of them, as YAML (default) or JSON."""
    require(request.user, MANAGE)
    fmt = "json" if request.GET.get("format") == "json" else "yaml"
    chosen = _int(request.GET.get("track"))
    tracks = [queries.track_for(request.user, chosen)] if chosen else queries.tracks(request.user)
    text = framework_files.dump(services.export_content(tracks), fmt)
    name = tracks[0].key if chosen else "frameworks"
    response = HttpResponse(
        text,
        content_type="application/json; charset=utf-8"
        if fmt == "json"
        else "application/yaml; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- HR: placing people ----------------------------------------------------------------------


@login_required
def level_labels(request: AuthedHttpRequest) -> HttpResponse:
    """The level labels of the people import, unmapped ones first, with how many people
    carry each; mapping one onto a framework level places those people."""
    require(request.user, "growth.placement.manage")
    form = MapLabelForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                moved = placement_services.map_label(
                    by=request.user,
                    label=form.cleaned_data["label"],
                    level=form.cleaned_data["level"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"“{form.cleaned_data['label']}” now maps onto "
                    f"{form.cleaned_data['level']}: {moved} people placed.",
                )
        else:
            messages.error(request, "Choose a label and a framework level.")
        return redirect("growth:level_labels")
    unplaced = placement_queries.unplaced_by_label()
    rows = placement_queries.label_rows(unplaced)
    return render(
        request,
        "growth/frameworks/labels.html",
        {
            "rows": rows,
            "unmapped": [r for r in rows if r.level is None],
            "mapped": [r for r in rows if r.level is not None],
            "waiting": sum(r.unplaced for r in rows if r.level is not None),
            "unplaced": sum(unplaced.values()),
            "levels": form.fields["level"].queryset,  # type: ignore[attr-defined]
        },
    )


@login_required
@require_POST
def place_by_labels(request: AuthedHttpRequest) -> HttpResponse:
    require(request.user, "growth.placement.manage")
    placed = placement_services.place_by_labels(by=request.user)
    messages.success(request, f"Placed {placed} people by their level label.")
    return redirect("growth:level_labels")


@login_required
def placement(request: AuthedHttpRequest, person_id: int) -> HttpResponse:
    """HR places one person on a track and level by hand."""
    require(request.user, "growth.placement.manage")
    person = placement_queries.person_for(request.user, person_id)
    current = placement_queries.placement_of(person)
    initial = {"level": current.level_id, "since": current.since} if current else {}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            placement_services.place(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"{person} is placed on {form.cleaned_data['level']}.")
            return redirect("growth:placement", person_id=person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "growth/frameworks/placement.html",
        {
            "person": person,
            "current": current,
            "form": form,
            "history": placement_queries.history_of(person),
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("growth/frameworks/", index, name="frameworks"),
    path("growth/frameworks/new/", track_new, name="track_new"),
    path("growth/frameworks/import/", framework_import, name="framework_import"),
    path("growth/frameworks/export/", framework_export, name="framework_export"),
    path("growth/frameworks/<int:track_id>/", track, name="track"),
    path("growth/frameworks/<int:track_id>/compare/", compare, name="compare"),
    path("growth/frameworks/<int:track_id>/edit/", track_edit, name="track_edit"),
    path("growth/frameworks/<int:track_id>/levels/new/", level_new, name="level_new"),
    path("growth/frameworks/levels/<int:level_id>/", level_edit, name="level_edit"),
    path("growth/frameworks/levels/<int:level_id>/move/", level_move, name="level_move"),
    path("growth/frameworks/levels/<int:level_id>/remove/", level_remove, name="level_remove"),
    path(
        "growth/frameworks/<int:track_id>/competencies/new/", competency_new, name="competency_new"
    ),
    path(
        "growth/frameworks/competencies/<int:competency_id>/",
        competency_edit,
        name="competency_edit",
    ),
    path(
        "growth/frameworks/competencies/<int:competency_id>/move/",
        competency_move,
        name="competency_move",
    ),
    path(
        "growth/frameworks/competencies/<int:competency_id>/remove/",
        competency_remove,
        name="competency_remove",
    ),
    path("growth/level-labels/", level_labels, name="level_labels"),
    path("growth/level-labels/place/", place_by_labels, name="place_by_labels"),
    path("growth/people/<int:person_id>/placement/", placement, name="placement"),
]
