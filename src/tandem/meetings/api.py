"""1:1s over the API: series, meetings, agenda items, action items, your private notes.

Thin: parse, call `meetings.queries` / `meetings.services`, shape the answer. Only the two
participants read or change content; HR admins read series and meeting metadata (content
fields come back null). A private note is answered to its author only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from tandem.access.rules import can, scope
from tandem.core.api import ERRORS, MAX_ID, ErrorOut
from tandem.meetings import queries, services
from tandem.meetings.models import ActionItem, AgendaItem, Meeting, Series
from tandem.meetings.schedule import zone
from tandem.meetings.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    MeetingOut,
    MeetingPageOut,
    MeetingPatch,
    PrivateNoteIn,
    PrivateNoteOut,
    SeriesIn,
    SeriesOut,
    SeriesPageOut,
)
from tandem.org.models import Person

router = Router(tags=["1:1s"])

NOT_FOUND = {404: ErrorOut}
NO_CONTENT = {204: None}


class SeriesFilters(Schema):
    cursor: int | None = Field(
        None, ge=0, le=MAX_ID, description="next_cursor of the previous page"
    )
    limit: int = Field(50, ge=1, le=200)


class MeetingFilters(Schema):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(20, ge=1, le=100)


def _aware(user: Any, value: datetime | None) -> datetime | None:
    """A time without an offset is read in the caller's own time zone."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zone(getattr(user, "time_zone", "UTC")))


def _bad_cursor(error: Exception) -> NinjaValidationError:
    return NinjaValidationError(
        [{"type": "value_error", "loc": ["query", "cursor"], "msg": str(error)}]
    )


def series_out(series: Series) -> dict[str, Any]:
    return {
        "id": series.pk,
        "kind": series.kind,
        "status": series.status,
        "cadence": series.cadence,
        "first_start": series.first_start,
        "duration_minutes": series.duration_minutes,
        "time_zone": series.time_zone,
        "manager": series.manager,
        "report": series.report,
    }


def meeting_out(user: Any, meeting: Meeting, *, with_content: bool | None = None) -> dict[str, Any]:
    if with_content is None:
        with_content = can(user, "meetings.series.content", meeting.series)
    return {
        "id": meeting.pk,
        "series_id": meeting.series_id,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "status": meeting.status,
        "held_at": meeting.held_at,
        "shared_notes": meeting.shared_notes if with_content else None,
    }


def agenda_out(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "meeting_id": item.meeting_id,
        "text": item.text,
        "position": item.position,
        "done": item.done,
        "author": item.author,
    }


def action_out(item: ActionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "series_id": item.series_id,
        "origin_meeting_id": item.origin_id,
        "text": item.text,
        "owner": item.owner,
        "due_date": item.due_date,
        "done": item.done_at is not None,
        "done_at": item.done_at,
    }


def _person(series: Series, person_id: int | None) -> Person | None:
    for person in (series.manager, series.report):
        if person.pk == person_id:
            return person
    return None


# --- Series ------------------------------------------------------------------------------------


@router.get(
    "/one-on-ones/series",
    response={200: SeriesPageOut, **ERRORS},
    summary="1:1 series you take part in (HR admins: every series' metadata)",
)
def list_one_on_one_series(request: HttpRequest, filters: Query[SeriesFilters]) -> dict[str, Any]:
    series = scope(request.user, Series.objects.select_related("manager", "report")).order_by("pk")
    if filters.cursor:
        series = series.filter(pk__gt=filters.cursor)
    rows = list(series[: filters.limit + 1])
    following = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        following = str(rows[-1].pk)
    return {"items": [series_out(s) for s in rows], "next_cursor": following}


@router.post(
    "/one-on-ones/series",
    response={201: SeriesOut, **NOT_FOUND, **ERRORS},
    summary="Start a 1:1 series with one of your direct reports",
)
def create_one_on_one_series(request: HttpRequest, payload: SeriesIn) -> Status[dict[str, Any]]:
    report = None
    if payload.report is not None:
        report = Person.objects.filter(pk=payload.report, manager_id=request.user.pk).first()
        if report is None:
            raise ValidationError({"report": "Choose one of your direct reports."})
    series = services.create_series(
        by=request.user,
        report=report,
        cadence=payload.cadence,
        first_start=_aware(request.user, payload.first_start),
        duration_minutes=payload.duration_minutes,
    )
    return Status(201, series_out(series))


@router.get(
    "/one-on-ones/series/{series_id}",
    response={200: SeriesOut, **NOT_FOUND, **ERRORS},
    summary="One 1:1 series",
)
def get_one_on_one_series(request: HttpRequest, series_id: int) -> dict[str, Any]:
    return series_out(queries.series_for(request.user, series_id))


@router.get(
    "/one-on-ones/series/{series_id}/meetings",
    response={200: MeetingPageOut, **NOT_FOUND, **ERRORS},
    summary="A series' meetings, newest first",
)
def list_series_meetings(
    request: HttpRequest, series_id: int, filters: Query[MeetingFilters]
) -> dict[str, Any]:
    series = queries.series_for(request.user, series_id)
    with_content = can(request.user, "meetings.series.content", series)
    meetings = Meeting.objects.filter(series=series).order_by("-starts_at", "-pk")
    if filters.cursor:
        try:
            when, pk = queries.decode_history_cursor(filters.cursor)
        except queries.BadCursor as error:
            raise _bad_cursor(error) from None
        meetings = meetings.filter(Q(starts_at__lt=when) | Q(starts_at=when, pk__lt=pk))
    rows = list(meetings[: filters.limit + 1])
    following = None
    if len(rows) > filters.limit:
        rows = rows[: filters.limit]
        following = queries.encode_history_cursor(rows[-1])
    return {
        "items": [meeting_out(request.user, m, with_content=with_content) for m in rows],
        "next_cursor": following,
    }


# --- Meetings ----------------------------------------------------------------------------------


@router.get(
    "/one-on-ones/meetings/{meeting_id}",
    response={200: MeetingOut, **NOT_FOUND, **ERRORS},
    summary="One meeting (shared notes for the two participants only)",
)
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return meeting_out(
        request.user, queries.meeting_for(request.user, meeting_id, purpose="metadata")
    )


@router.patch(
    "/one-on-ones/meetings/{meeting_id}",
    response={200: MeetingOut, **NOT_FOUND, **ERRORS},
    summary="Edit the shared notes or move the meeting",
)
def update_meeting(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> dict[str, Any]:
    meeting = queries.meeting_for(request.user, meeting_id)
    fields = payload.model_fields_set
    if "starts_at" in fields:
        meeting = services.reschedule_meeting(
            by=request.user, meeting=meeting, starts_at=_aware(request.user, payload.starts_at)
        )
    if "shared_notes" in fields:
        meeting = services.save_shared_notes(
            by=request.user, meeting=meeting, text=payload.shared_notes
        )
    return meeting_out(request.user, meeting, with_content=True)


@router.post(
    "/one-on-ones/meetings/{meeting_id}/held",
    response={200: MeetingOut, **NOT_FOUND, **ERRORS},
    summary="Mark a meeting as held; answers the next meeting, now scheduled",
)
def hold_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = queries.meeting_for(request.user, meeting_id)
    upcoming = services.hold_meeting(by=request.user, meeting=meeting)
    return meeting_out(request.user, upcoming, with_content=True)


@router.get(
    "/one-on-ones/meetings/{meeting_id}/private-note",
    response={200: PrivateNoteOut, **NOT_FOUND, **ERRORS},
    summary="Your own private note on a meeting (nobody else's, ever)",
)
def get_private_note(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = queries.meeting_for(request.user, meeting_id)
    text, updated = queries.private_note_text(request.user, meeting)
    return {"text": text, "updated_at": updated}


@router.put(
    "/one-on-ones/meetings/{meeting_id}/private-note",
    response={200: PrivateNoteOut, **NOT_FOUND, **ERRORS},
    summary="Write your private note on a meeting",
)
def put_private_note(
    request: HttpRequest, meeting_id: int, payload: PrivateNoteIn
) -> dict[str, Any]:
    meeting = queries.meeting_for(request.user, meeting_id)
    note = services.save_private_note(by=request.user, meeting=meeting, text=payload.text)
    return {"text": note.text, "updated_at": note.updated_at}


# --- Agenda items ------------------------------------------------------------------------------


@router.get(
    "/one-on-ones/meetings/{meeting_id}/agenda-items",
    response={200: list[AgendaItemOut], **NOT_FOUND, **ERRORS},
    summary="A meeting's agenda, in order",
)
def list_agenda_items(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    meeting = queries.meeting_for(request.user, meeting_id)
    return [agenda_out(item) for item in queries.agenda(meeting)]


@router.post(
    "/one-on-ones/meetings/{meeting_id}/agenda-items",
    response={201: AgendaItemOut, **NOT_FOUND, **ERRORS},
    summary="Add to a meeting's agenda",
)
def create_agenda_item(
    request: HttpRequest, meeting_id: int, payload: AgendaItemIn
) -> Status[dict[str, Any]]:
    meeting = queries.meeting_for(request.user, meeting_id)
    item = services.add_agenda_item(by=request.user, meeting=meeting, text=payload.text)
    return Status(201, agenda_out(item))


@router.patch(
    "/one-on-ones/agenda-items/{item_id}",
    response={200: AgendaItemOut, **NOT_FOUND, **ERRORS},
    summary="Edit, tick off or reorder an agenda item",
)
def update_agenda_item(
    request: HttpRequest, item_id: int, payload: AgendaItemPatch
) -> dict[str, Any]:
    item = queries.agenda_item_for(request.user, item_id)
    fields = payload.model_fields_set
    if "text" in fields and payload.text is None:
        raise ValidationError({"text": "The agenda item cannot be empty."})
    item = services.update_agenda_item(
        by=request.user,
        item=item,
        text=payload.text if "text" in fields else None,
        done=payload.done if "done" in fields else None,
        position=payload.position if "position" in fields else None,
    )
    return agenda_out(item)


@router.delete(
    "/one-on-ones/agenda-items/{item_id}",
    response={**NO_CONTENT, **NOT_FOUND, **ERRORS},
    summary="Remove an agenda item",
)
def delete_agenda_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.agenda_item_for(request.user, item_id)
    services.delete_agenda_item(by=request.user, item=item)
    return HttpResponse(status=204)


# --- Action items ------------------------------------------------------------------------------


@router.get(
    "/one-on-ones/meetings/{meeting_id}/action-items",
    response={200: list[ActionItemOut], **NOT_FOUND, **ERRORS},
    summary="A meeting's action items, with open ones carried over from earlier meetings",
)
def list_action_items(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    meeting = queries.meeting_for(request.user, meeting_id)
    return [action_out(item) for item in queries.action_items(meeting)]


@router.post(
    "/one-on-ones/meetings/{meeting_id}/action-items",
    response={201: ActionItemOut, **NOT_FOUND, **ERRORS},
    summary="Add an action item (the owner is one of the two participants)",
)
def create_action_item(
    request: HttpRequest, meeting_id: int, payload: ActionItemIn
) -> Status[dict[str, Any]]:
    meeting = queries.meeting_for(request.user, meeting_id)
    item = services.add_action_item(
        by=request.user,
        meeting=meeting,
        text=payload.text,
        owner=_person(meeting.series, payload.owner),
        due_date=payload.due_date,
    )
    return Status(201, action_out(item))


@router.patch(
    "/one-on-ones/action-items/{item_id}",
    response={200: ActionItemOut, **NOT_FOUND, **ERRORS},
    summary="Edit an action item, or tick it off (done everywhere it shows)",
)
def update_action_item(
    request: HttpRequest, item_id: int, payload: ActionItemPatch
) -> dict[str, Any]:
    item = queries.action_item_for(request.user, item_id)
    fields = payload.model_fields_set
    if "text" in fields and payload.text is None:
        raise ValidationError({"text": "The action item cannot be empty."})
    item = services.update_action_item(
        by=request.user,
        item=item,
        text=payload.text if "text" in fields else None,
        owner=_person(item.series, payload.owner) if "owner" in fields else False,
        due_date=payload.due_date if "due_date" in fields else False,
        done=payload.done if "done" in fields else None,
    )
    return action_out(item)


@router.delete(
    "/one-on-ones/action-items/{item_id}",
    response={**NO_CONTENT, **NOT_FOUND, **ERRORS},
    summary="Remove an action item",
)
def delete_action_item(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.action_item_for(request.user, item_id)
    services.delete_action_item(by=request.user, item=item)
    return HttpResponse(status=204)
