"""1:1 pages. Thin: forms parse, `meetings.services` write, `meetings.queries` read.

The meeting page's sections (agenda, notes, private note, action items) are partials: an
htmx POST answers with the section alone; without JavaScript the same POST redirects back
to the page. A service's ValidationError lands on the field it names; nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from tandem.access.rules import can
from tandem.core.forms import show_errors
from tandem.core.http import AuthedHttpRequest
from tandem.meetings import queries, services
from tandem.meetings.calendar import meeting_calendar, series_calendar
from tandem.meetings.forms import (
    ActionItemForm,
    AgendaForm,
    AnswerForm,
    DoneForm,
    MoveForm,
    PrivateNoteForm,
    RescheduleForm,
    SeriesForm,
    SharedNotesForm,
    SkipLevelForm,
)
from tandem.meetings.models import Meeting, MeetingStatus, Series, SeriesStatus


def _first_error(form: forms.BaseForm) -> str:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return f"{label}: {errors[0]}" if label else str(errors[0])
    return "Nothing was saved."


# --- Lists and new series ---------------------------------------------------------------------


@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    cursor = request.GET.get("cursor") or None
    error = None
    try:
        page = queries.managed_series_page(request.user, cursor=cursor)
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.managed_series_page(request.user, cursor=None)
    without = list(queries.reports_without_series(request.user)[:50]) if not cursor else []
    return render(
        request,
        "meetings/index.html",
        {
            "page": page,
            "cursor_error": error,
            "is_later_page": bool(cursor) and error is None,
            "without": without,
            "mine": queries.my_series(request.user),
            "requests_to_me": queries.requests_to_me(request.user),
            "my_requests": queries.my_requests(request.user),
            "answer_form": AnswerForm(),
        },
    )


def _new_context(request: AuthedHttpRequest, **forms_: Any) -> dict[str, Any]:
    reports = queries.reports_without_series(request.user)
    cadence = services.default_cadence()
    initial: dict[str, Any] = {"cadence": cadence, "duration_minutes": 30}
    # "?report=<id>" (links from the team hub and the 1:1 list) preselects that report; an id
    # that is not one of the choices is left for the person to choose.
    chosen = request.GET.get("report", "")
    if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:
        initial["report"] = int(chosen)
    return {
        "series_form": forms_.get("series_form") or SeriesForm(reports=reports, initial=initial),
        "skip_form": forms_.get("skip_form")
        or SkipLevelForm(initial={"cadence": "monthly", "duration_minutes": 30}),
        "skip_manager": queries.skip_manager(request.user),
        "has_reports": reports.exists(),
        "cadence_label": dict(SeriesForm.base_fields["cadence"].choices).get(cadence, cadence),  # type: ignore[attr-defined]
    }


def _start_series(
    request: AuthedHttpRequest,
    form: forms.Form,
    start: Callable[..., Series],
    **extra: Any,
) -> Series | None:
    """Start a series with `start` (create_series or request_skip_level) on the form's
    schedule; None, with the service's errors shown on the form, when it refuses."""
    data = form.cleaned_data
    try:
        return start(
            by=request.user,
            cadence=data["cadence"],
            first_start=data["first_start"],
            duration_minutes=data["duration_minutes"],
            **extra,
        )
    except ValidationError as error:
        show_errors(form, error)
        return None


@login_required
def create(request: AuthedHttpRequest) -> HttpResponse:
    """A manager starts a 1:1 series with a direct report."""
    if request.method == "POST":
        reports = queries.reports_without_series(request.user)
        form = SeriesForm(request.POST, reports=reports)
        if form.is_valid():
            series = _start_series(
                request, form, services.create_series, report=form.cleaned_data["report"]
            )
            if series is not None:
                messages.success(
                    request,
                    f"Your 1:1 with {series.report.display_name} is set up; the invitation is "
                    "on its way to you both.",
                )
                return redirect("meetings:series", series.pk)
        return render(request, "meetings/new.html", _new_context(request, series_form=form))
    return render(request, "meetings/new.html", _new_context(request))


@login_required
def skip_level(request: AuthedHttpRequest) -> HttpResponse:
    """A person asks their manager's manager for a skip-level series."""
    if request.method != "POST":
        return redirect("meetings:create")
    form = SkipLevelForm(request.POST)
    if form.is_valid():
        series = _start_series(request, form, services.request_skip_level)
        if series is not None:
            messages.success(
                request,
                f"You asked {series.manager.display_name} for a skip-level 1:1; it starts once "
                "they accept.",
            )
            return redirect("meetings:index")
    return render(request, "meetings/new.html", _new_context(request, skip_form=form))


@login_required
@require_POST
def answer(request: AuthedHttpRequest, series_id: int) -> HttpResponse:
    series = queries.series_for(request.user, series_id, purpose="content")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Answer: choose accept or decline.")
        return redirect("meetings:index")
    accept = form.cleaned_data["answer"] == "accept"
    services.answer_skip_level(by=request.user, series=series, accept=accept)
    if accept:
        messages.success(request, f"Your skip-level 1:1 with {series.report.display_name} starts.")
        return redirect("meetings:series", series.pk)
    messages.success(request, f"You declined the skip-level 1:1 with {series.report.display_name}.")
    return redirect("meetings:index")


# --- A series and its history ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def series(request: AuthedHttpRequest, series_id: int) -> HttpResponse:
    """The 1:1 history: every past meeting with notes and action items, newest first.

    Searching it is a POST (it writes nothing): the words looked for are words of the
    notes, private ones included, and in an address they would land in every access log
    on the way. Paging through the results posts the search again with the next cursor."""
    found = queries.series_for(request.user, series_id)
    with_content = can(request.user, "meetings.series.content", found)
    data = request.POST if request.method == "POST" else request.GET
    q = request.POST.get("q", "") if with_content else ""
    cursor = data.get("cursor") or None
    error = None
    try:
        page = queries.history_page(
            request.user, found, cursor=cursor, q=q, with_content=with_content
        )
    except queries.BadCursor as bad:
        error = str(bad)
        page = queries.history_page(
            request.user, found, cursor=None, q=q, with_content=with_content
        )
    next_query = ""
    if page.next_cursor and not q:
        next_query = urlencode({"cursor": page.next_cursor})
    return render(
        request,
        "meetings/series.html",
        {
            "series": found,
            "page": page,
            "with_content": with_content,
            "upcoming": queries.upcoming_meeting(found),
            "q": q,
            "cursor_error": error,
            "next_query": next_query,
            "is_later_page": bool(cursor) and error is None,
            "is_active": found.status == SeriesStatus.ACTIVE,
        },
    )


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def series_ics(request: AuthedHttpRequest, series_id: int) -> HttpResponse:
    found = queries.series_for(request.user, series_id, purpose="content")
    return _ics(series_calendar(found, first=queries.upcoming_meeting(found)), "one-on-one.ics")


# --- The meeting page --------------------------------------------------------------------------


def _meeting_context(request: AuthedHttpRequest, meeting: Meeting, **forms_: Any) -> dict[str, Any]:
    view = queries.meeting_view(request.user, meeting)
    series = meeting.series
    return {
        "view": view,
        "meeting": meeting,
        "series": series,
        "other": series.report if request.user.pk == series.manager_id else series.manager,
        "agenda_form": forms_.get("agenda_form") or AgendaForm(),
        "notes_form": forms_.get("notes_form")
        or SharedNotesForm(initial={"shared_notes": meeting.shared_notes}),
        "private_form": forms_.get("private_form")
        or PrivateNoteForm(initial={"private_note": view.private_note}),
        "action_form": forms_.get("action_form") or ActionItemForm(series=series),
        "saved": forms_.get("saved", ""),
        "is_held": meeting.status == MeetingStatus.HELD,
    }


@login_required
def meeting(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    return render(request, "meetings/meeting.html", _meeting_context(request, found))


@login_required
def meeting_ics(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    return _ics(meeting_calendar(found), f"one-on-one-{found.starts_at:%Y-%m-%d}.ics")


def _section(
    request: AuthedHttpRequest,
    meeting: Meeting,
    part: str,
    form: forms.BaseForm | None = None,
    **extra: Any,
) -> HttpResponse:
    """The answer to a section POST: the section alone for htmx, else back to the page."""
    if request.htmx:
        context = _meeting_context(request, meeting, **extra)
        return render(request, f"meetings/_{part}.html", context)
    if form is not None and form.errors:
        messages.error(request, f"{_first_error(form)} Nothing was saved.")
    return redirect(reverse("meetings:meeting", args=[meeting.pk]) + f"#{part}")


@login_required
@require_POST
def agenda_add(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    form = AgendaForm(request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(by=request.user, meeting=found, text=form.cleaned_data["text"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            form = AgendaForm()
    return _section(request, found, "agenda", form, agenda_form=form)


@login_required
@require_POST
def agenda_done(request: AuthedHttpRequest, item_id: int) -> HttpResponse:
    item = queries.agenda_item_for(request.user, item_id)
    form = DoneForm(request.POST)
    form.is_valid()
    services.update_agenda_item(
        by=request.user, item=item, done=form.cleaned_data.get("done", False)
    )
    return _section(request, item.meeting, "agenda")


@login_required
@require_POST
def agenda_move(request: AuthedHttpRequest, item_id: int) -> HttpResponse:
    item = queries.agenda_item_for(request.user, item_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move_agenda_item(
            by=request.user, item=item, direction=form.cleaned_data["direction"]
        )
    return _section(request, item.meeting, "agenda", form)


@login_required
@require_POST
def notes(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    form = SharedNotesForm(request.POST)
    saved = ""
    if form.is_valid():
        try:
            services.save_shared_notes(
                by=request.user, meeting=found, text=form.cleaned_data["shared_notes"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            saved = "Shared notes saved."
            form = SharedNotesForm(initial={"shared_notes": found.shared_notes})
    return _section(request, found, "notes", form, notes_form=form, saved=saved)


@login_required
@require_POST
def private_note(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    form = PrivateNoteForm(request.POST)
    saved = ""
    if form.is_valid():
        try:
            note = services.save_private_note(
                by=request.user, meeting=found, text=form.cleaned_data["private_note"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            saved = "Private note saved. Only you can read it."
            form = PrivateNoteForm(initial={"private_note": note.text})
    return _section(request, found, "private_note", form, private_form=form, saved=saved)


@login_required
@require_POST
def action_add(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    form = ActionItemForm(request.POST, series=found.series)
    if form.is_valid():
        try:
            services.add_action_item(
                by=request.user,
                meeting=found,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            form = ActionItemForm(series=found.series)
    return _section(request, found, "action_items", form, action_form=form)


@login_required
@require_POST
def action_done(request: AuthedHttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    item = queries.action_item_for(request.user, item_id)
    if item.series_id != found.series_id:
        return _section(request, found, "action_items")
    form = DoneForm(request.POST)
    form.is_valid()
    services.update_action_item(
        by=request.user, item=item, done=form.cleaned_data.get("done", False), in_meeting=found
    )
    return _section(request, found, "action_items")


@login_required
@require_POST
def hold(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    try:
        upcoming = services.hold_meeting(by=request.user, meeting=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " Nothing was changed.")
        target = reverse("meetings:meeting", args=[found.pk])
    else:
        messages.success(
            request,
            "Marked as held. Open action items carry over to this next 1:1.",
        )
        target = reverse("meetings:meeting", args=[upcoming.pk])
    return HttpResponseClientRedirect(target) if request.htmx else redirect(target)


@login_required
def reschedule(request: AuthedHttpRequest, meeting_id: int) -> HttpResponse:
    found = queries.meeting_for(request.user, meeting_id)
    if not can(request.user, "meetings.series.edit", found.series):
        return redirect("meetings:meeting", found.pk)
    form = RescheduleForm(request.POST or None, initial={"starts_at": found.starts_at})
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_meeting(
                by=request.user, meeting=found, starts_at=form.cleaned_data["starts_at"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The 1:1 is moved. Download the new calendar entry below.")
            return redirect("meetings:meeting", found.pk)
    return render(request, "meetings/reschedule.html", {"meeting": found, "form": form})
