"""Every write in 1:1s: one function per use case, one transaction, the permission check
and the audit record inside it.

The audit trail records *that* something changed in a 1:1, never its text: HR admins read
the audit log, and 1:1 content is between its two people (private notes are their author's
alone). Bad input raises ValidationError naming the field; nothing is saved.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import require
from tandem.audit.services import record
from tandem.core.dates import day_month_year
from tandem.core.queue import enqueue_on_commit
from tandem.core.validation import clean_text
from tandem.meetings import schedule
from tandem.meetings.models import (
    ACTION_TEXT_MAX,
    AGENDA_TEXT_MAX,
    NOTES_MAX,
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    PrivateNote,
    Series,
    SeriesKind,
    SeriesStatus,
)
from tandem.notifications.services import notify
from tandem.org.models import Person, PersonStatus
from tandem.program.models import MeetingCadence, Program

MIN_DURATION = 15
MAX_DURATION = 180
# How far ahead a 1:1 may be planned. Besides being sensible, it keeps every time we compute
# from it (its end, the next occurrence) inside what a datetime can hold: 9999-12-31 plus
# 30 minutes would otherwise overflow and answer a 500.
MAX_AHEAD = timedelta(days=2 * 366)


# --- Checking input --------------------------------------------------------------------------


def _check_schedule(
    *, cadence: str, first_start: datetime | None, duration_minutes: int | None, time_zone: str
) -> tuple[str, datetime, int]:
    """`time_zone` is the series': its meetings keep their weekday and time there (monthly:
    the same weekday of the same week of the month)."""
    if cadence not in MeetingCadence.values:
        raise ValidationError(
            {"cadence": "Choose how often you meet: weekly, fortnightly or monthly."}
        )
    if first_start is None:
        raise ValidationError({"first_start": "Choose the date and time of the first meeting."})
    if timezone.is_naive(first_start):
        raise ValidationError({"first_start": "Give the first meeting's time with its time zone."})
    if first_start < timezone.now():
        raise ValidationError(
            {
                "first_start": "The first meeting cannot be in the past "
                f"({timezone.localtime(first_start):%d %b %Y %H:%M}); pick a date and time "
                "from now on."
            }
        )
    if first_start > timezone.now() + MAX_AHEAD:
        raise ValidationError(
            {"first_start": "The first meeting must be within the next two years."}
        )
    if cadence == MeetingCadence.MONTHLY and (
        first_start.astimezone(schedule.zone(time_zone)).day > schedule.LAST_MONTHLY_DAY
    ):
        raise ValidationError(
            {
                "first_start": "A monthly 1:1 meets on the same weekday of the same week "
                "each month (say, the third Thursday), so its first meeting must be on day 1 "
                "to 28 of the month: a fifth Thursday does not exist in every month."
            }
        )
    if duration_minutes is None or not MIN_DURATION <= duration_minutes <= MAX_DURATION:
        raise ValidationError(
            {
                "duration_minutes": f"The duration must be between {MIN_DURATION} and "
                f"{MAX_DURATION} minutes."
            }
        )
    return cadence, first_start, duration_minutes


def default_cadence() -> str:
    return Program.current().one_on_one_cadence


# --- Series ----------------------------------------------------------------------------------


def _label(series: Series) -> str:
    return f"1:1 {series.manager.display_name} / {series.report.display_name}"


def _schedule_meeting(series: Series, slot: datetime) -> Meeting:
    return Meeting.objects.create(
        series=series,
        slot=slot,
        starts_at=slot,
        ends_at=slot + timedelta(minutes=series.duration_minutes),
    )


def _invite_after_commit(series: Series) -> None:
    enqueue_on_commit("tandem.meetings.tasks.send_series_invitation", series.pk)


@transaction.atomic
def create_series(
    *,
    by: Any,
    report: Person | None,
    cadence: str | None = None,
    first_start: datetime | None,
    duration_minutes: int | None = 30,
) -> Series:
    """A manager starts a recurring 1:1 with a direct report; the first meeting is scheduled
    and both get the invitation by e-mail once this commits."""
    if report is None:
        raise ValidationError({"report": "Choose the person you will meet."})
    require(by, "meetings.series.create", report)
    cadence, first_start, duration = _check_schedule(
        cadence=cadence or default_cadence(),
        first_start=first_start,
        duration_minutes=duration_minutes,
        time_zone=by.time_zone,
    )
    if Series.objects.filter(
        manager=by, report=report, status__in=[SeriesStatus.ACTIVE, SeriesStatus.REQUESTED]
    ).exists():
        raise ValidationError(
            {"report": f"You already have a 1:1 series with {report.display_name}."}
        )
    series = Series.objects.create(
        manager=by,
        report=report,
        kind=SeriesKind.DIRECT,
        status=SeriesStatus.ACTIVE,
        cadence=cadence,
        first_start=first_start,
        duration_minutes=duration,
        time_zone=by.time_zone,
        created_by=by,
    )
    _schedule_meeting(series, first_start)
    record(
        actor=by,
        kind="meetings.series.create",
        obj=series,
        subject=report,
        object_label=_label(series),
        changes={"cadence": cadence, "first_start": first_start, "duration_minutes": duration},
    )
    _invite_after_commit(series)
    return series


@transaction.atomic
def request_skip_level(
    *,
    by: Any,
    cadence: str | None = None,
    first_start: datetime | None,
    duration_minutes: int | None = 30,
) -> Series:
    """A person asks their manager's manager for a skip-level series, proposing its times."""
    manager = by.manager
    skip = manager.manager if manager is not None else None
    if skip is None:
        raise ValidationError(
            {"skip_manager": "You have no manager's manager to ask for a skip-level 1:1."}
        )
    require(by, "meetings.skip_level.request", skip)
    cadence, first_start, duration = _check_schedule(
        cadence=cadence or MeetingCadence.MONTHLY,
        first_start=first_start,
        duration_minutes=duration_minutes,
        time_zone=by.time_zone,
    )
    if Series.objects.filter(
        manager=skip, report=by, status__in=[SeriesStatus.ACTIVE, SeriesStatus.REQUESTED]
    ).exists():
        raise ValidationError(
            {"skip_manager": f"You already have or asked for a 1:1 with {skip.display_name}."}
        )
    series = Series.objects.create(
        manager=skip,
        report=by,
        kind=SeriesKind.SKIP_LEVEL,
        status=SeriesStatus.REQUESTED,
        cadence=cadence,
        first_start=first_start,
        duration_minutes=duration,
        time_zone=by.time_zone,
        created_by=by,
    )
    record(
        actor=by,
        kind="meetings.skip_level.request",
        obj=series,
        subject=by,
        object_label=_label(series),
        changes={"cadence": cadence, "first_start": first_start, "duration_minutes": duration},
    )
    return series


@transaction.atomic
def answer_skip_level(*, by: Any, series: Series, accept: bool) -> Series:
    """The manager's manager accepts (the first meeting is scheduled and both are invited)
    or declines a skip-level request."""
    require(by, "meetings.series.answer", series)
    if accept:
        series.status = SeriesStatus.ACTIVE
        now = timezone.now()
        slot = series.first_start
        if slot < now:
            # Accepted after the proposed first meeting: the next time on the same cadence.
            slot = schedule.next_occurrence(
                series.first_start, series.cadence, series.time_zone, now
            )
        series.save(update_fields=["status"])
        _schedule_meeting(series, slot)
        _invite_after_commit(series)
    else:
        series.status = SeriesStatus.DECLINED
        series.save(update_fields=["status"])
    record(
        actor=by,
        kind="meetings.skip_level.accept" if accept else "meetings.skip_level.decline",
        obj=series,
        subject=series.report,
        object_label=_label(series),
    )
    return series


# --- Meetings --------------------------------------------------------------------------------


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def _meeting_label(meeting: Meeting) -> str:
    return f"{_label(meeting.series)}, {meeting.starts_at:%Y-%m-%d %H:%M} UTC"


def _locked_meeting(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock, so two people clicking at once serialise."""
    return (
        Meeting.objects.select_for_update()
        .select_related("series__manager", "series__report")
        .get(pk=meeting.pk)
    )


@transaction.atomic
def hold_meeting(*, by: Any, meeting: Meeting) -> Meeting:
    """Mark a meeting as held and schedule the next one. Returns the next meeting."""
    meeting = _locked_meeting(meeting)
    series = meeting.series
    require(by, "meetings.series.edit", series)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"status": "This 1:1 is already marked as held."})
    now = timezone.now()
    local_day = meeting.starts_at.astimezone(schedule.zone(series.time_zone)).date()
    if local_day > now.astimezone(schedule.zone(series.time_zone)).date():
        raise ValidationError(
            {
                "status": f"This 1:1 is on {local_day:%d %b %Y}; it can be marked as held from "
                "that day on."
            }
        )
    meeting.status = MeetingStatus.HELD
    meeting.held_at = now
    meeting.save(update_fields=["status", "held_at"])
    upcoming = (
        Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        slot = schedule.next_occurrence(
            series.first_start, series.cadence, series.time_zone, max(meeting.slot, now)
        )
        upcoming = _schedule_meeting(series, slot)
    record(
        actor=by,
        kind="meetings.meeting.held",
        obj=meeting,
        subject=series.report,
        object_label=_meeting_label(meeting),
        changes={"next_meeting": upcoming.starts_at},
    )
    return upcoming


@transaction.atomic
def reschedule_meeting(*, by: Any, meeting: Meeting, starts_at: datetime | None) -> Meeting:
    """Move one scheduled meeting (the rest of the series stays on its cadence)."""
    meeting = _locked_meeting(meeting)
    series = meeting.series
    require(by, "meetings.series.edit", series)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"starts_at": "A 1:1 that was held cannot be moved."})
    if starts_at is None:
        raise ValidationError({"starts_at": "Choose the new date and time."})
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give the new time with its time zone."})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": "The new time cannot be in the past."})
    if starts_at > timezone.now() + MAX_AHEAD:
        raise ValidationError({"starts_at": "The new time must be within the next two years."})
    before = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + timedelta(minutes=series.duration_minutes)
    meeting.save(update_fields=["starts_at", "ends_at"])
    ActionItem.objects.filter(origin=meeting).update(origin_starts_at=starts_at)
    ActionItem.objects.filter(closed_in=meeting).update(closed_in_starts_at=starts_at)
    record(
        actor=by,
        kind="meetings.meeting.reschedule",
        obj=meeting,
        subject=series.report,
        object_label=_meeting_label(meeting),
        changes={"starts_at": [before, starts_at]},
    )
    return meeting


@transaction.atomic
def save_shared_notes(*, by: Any, meeting: Meeting, text: Any) -> Meeting:
    require(by, "meetings.series.edit", meeting.series)
    cleaned = clean_text(
        text, field="shared_notes", label="Shared notes", limit=NOTES_MAX, required=False
    )
    meeting.shared_notes = cleaned
    meeting.notes_updated_at = timezone.now()
    meeting.save(update_fields=["shared_notes", "notes_updated_at"])
    record(
        actor=by,
        kind="meetings.notes.edit",
        obj=meeting,
        subject=meeting.series.report,
        object_label=_meeting_label(meeting),
        note="shared notes edited",
    )
    return meeting


@transaction.atomic
def save_private_note(*, by: Any, meeting: Meeting, text: Any) -> PrivateNote:
    """The author's own note on a meeting. The audit record says only that it was edited."""
    require(by, "meetings.series.content", meeting.series)
    cleaned = clean_text(
        text, field="private_note", label="Your private note", limit=NOTES_MAX, required=False
    )
    note, _ = PrivateNote.objects.update_or_create(
        meeting=meeting,
        author=by,
        defaults={"text": cleaned, "updated_at": timezone.now()},
    )
    record(
        actor=by,
        kind="meetings.private_note.edit",
        obj=meeting,
        subject=by,
        object_label=_meeting_label(meeting),
        note="private note edited",
    )
    return note


# --- Agenda ----------------------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(*, by: Any, meeting: Meeting, text: Any) -> AgendaItem:
    require(by, "meetings.series.edit", meeting.series)
    cleaned = clean_text(text, field="text", label="The agenda item", limit=AGENDA_TEXT_MAX)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(last=Max("position"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting, author=by, text=cleaned, position=(last or 0) + 1
    )
    record(
        actor=by,
        kind="meetings.agenda.add",
        obj=item,
        subject=meeting.series.report,
        object_label=_meeting_label(meeting),
    )
    return item


def _item_in_edit(by: Any, item: AgendaItem) -> Meeting:
    meeting = item.meeting
    require(by, "meetings.series.edit", meeting.series)
    return meeting


@transaction.atomic
def update_agenda_item(
    *,
    by: Any,
    item: AgendaItem,
    text: Any = None,
    done: bool | None = None,
    position: int | None = None,
) -> AgendaItem:
    meeting = _item_in_edit(by, item)
    fields: list[str] = []
    if text is not None:
        item.text = clean_text(text, field="text", label="The agenda item", limit=AGENDA_TEXT_MAX)
        fields.append("text")
    if done is not None:
        item.done = bool(done)
        fields.append("done")
    if position is not None:
        if position < 1:
            raise ValidationError({"position": "The position starts at 1."})
        _place(item, position)
        fields.append("position")
    if fields:
        columns = [f for f in fields if f != "position"]
        if columns:
            item.save(update_fields=columns)
        record(
            actor=by,
            kind="meetings.agenda.edit",
            obj=item,
            subject=meeting.series.report,
            object_label=_meeting_label(meeting),
            changes={"fields": sorted(fields)},
        )
    return item


def _place(item: AgendaItem, position: int) -> None:
    """Put `item` at `position` (1-based) and renumber the meeting's agenda 1…n."""
    ids = list(
        AgendaItem.objects.filter(meeting_id=item.meeting_id)
        .exclude(pk=item.pk)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    index = min(position - 1, len(ids))
    ids.insert(index, item.pk)
    items = [AgendaItem(pk=pk, position=i + 1) for i, pk in enumerate(ids)]
    AgendaItem.objects.bulk_update(items, ["position"])
    item.position = index + 1


@transaction.atomic
def move_agenda_item(*, by: Any, item: AgendaItem, direction: str) -> AgendaItem:
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move an agenda item up or down."})
    meeting = _item_in_edit(by, item)
    ordered = list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    current = ordered.index(item.pk) + 1
    target = current - 1 if direction == "up" else current + 1
    if 1 <= target <= len(ordered):
        _place(item, target)
        record(
            actor=by,
            kind="meetings.agenda.move",
            obj=item,
            subject=meeting.series.report,
            object_label=_meeting_label(meeting),
            changes={"position": [current, target]},
        )
    return item


@transaction.atomic
def delete_agenda_item(*, by: Any, item: AgendaItem) -> None:
    meeting = _item_in_edit(by, item)
    record(
        actor=by,
        kind="meetings.agenda.delete",
        obj=item,
        subject=meeting.series.report,
        object_label=_meeting_label(meeting),
    )
    item.delete()


# --- Action items ----------------------------------------------------------------------------


def _check_owner(series: Series, owner: Person | None) -> Person:
    if owner is None or owner.pk not in series.participant_ids():
        raise ValidationError(
            {
                "owner": "Choose who owns this action item: "
                f"{series.manager.display_name} or {series.report.display_name}."
            }
        )
    if owner.status == PersonStatus.LEFT:
        raise ValidationError({"owner": f"{owner.display_name} has left the company."})
    return owner


def _check_due(due_date: Any) -> date | None:
    if due_date is None or due_date == "":
        return None
    if not isinstance(due_date, date):
        raise ValidationError({"due_date": "Give the due date as a date, e.g. 2025-05-30."})
    if due_date.year < 2000 or due_date.year > 2200:
        raise ValidationError({"due_date": "The due date is not a plausible date."})
    return due_date


def _tell_owner(by: Any, item: ActionItem, meeting: Meeting) -> None:
    owner = item.owner
    if owner.pk == getattr(by, "pk", None):
        return
    due = f" Due {day_month_year(item.due_date)}." if item.due_date else ""
    notify(
        person=owner,
        kind="meetings.action_item",
        title=f"{by.display_name} gave you an action item"[:200],
        body=f"{by.display_name} gave you an action item in your 1:1.{due} Open the 1:1 in "
        "Tandem to read it.",
        url=meeting_url(meeting),
        dedupe_key=f"meetings.action_item:{item.pk}:{owner.pk}",
    )


@transaction.atomic
def add_action_item(
    *, by: Any, meeting: Meeting, text: Any, owner: Person | None, due_date: Any = None
) -> ActionItem:
    series = meeting.series
    require(by, "meetings.series.edit", series)
    cleaned = clean_text(text, field="text", label="The action item", limit=ACTION_TEXT_MAX)
    owner = _check_owner(series, owner)
    due = _check_due(due_date)
    item = ActionItem.objects.create(
        series=series,
        origin=meeting,
        origin_starts_at=meeting.starts_at,
        owner=owner,
        created_by=by,
        text=cleaned,
        due_date=due,
    )
    record(
        actor=by,
        kind="meetings.action_item.add",
        obj=item,
        subject=series.report,
        object_label=_meeting_label(meeting),
        changes={"owner": owner, "due_date": due},
    )
    _tell_owner(by, item, meeting)
    return item


def current_meeting(series: Series) -> Meeting | None:
    """The meeting an item ticked off outside any meeting page counts as closed in: the next
    scheduled one (or the latest, for a series that no longer meets)."""
    return (
        Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at")
        .first()
        or Meeting.objects.filter(series=series).order_by("-starts_at").first()
    )


@transaction.atomic
def update_action_item(
    *,
    by: Any,
    item: ActionItem,
    text: Any = None,
    owner: Person | bool | None = False,
    due_date: Any = False,
    done: bool | None = None,
    in_meeting: Meeting | None = None,
) -> ActionItem:
    """Change an action item. `owner=False`/`due_date=False` mean "leave as is". Ticking it
    off (done=True) closes it everywhere, as of `in_meeting` (default: the next meeting)."""
    series = item.series
    require(by, "meetings.series.edit", series)
    changed: dict[str, Any] = {}
    if text is not None:
        item.text = clean_text(text, field="text", label="The action item", limit=ACTION_TEXT_MAX)
        changed["text"] = True
    new_owner = None
    if owner is not False:
        new_owner = _check_owner(series, owner if isinstance(owner, Person) else None)
        if new_owner.pk != item.owner_id:
            item.owner = new_owner
            changed["owner"] = new_owner
    if due_date is not False:
        item.due_date = _check_due(due_date)
        changed["due_date"] = item.due_date
    if done is not None and done != item.is_done:
        if in_meeting is not None and in_meeting.series_id != series.pk:
            raise ValidationError({"meeting": "That meeting is not part of this 1:1."})
        if done:
            # Closed as of the latest meeting in play, so the item shows as done (not gone)
            # on the upcoming meeting even when it was ticked off in an earlier one's page.
            candidates = [m for m in (in_meeting, current_meeting(series), item.origin) if m]
            closing = max(candidates, key=lambda m: m.starts_at)
            item.done_at = timezone.now()
            item.closed_in = closing
            item.closed_in_starts_at = closing.starts_at if closing else None
        else:
            item.done_at = None
            item.closed_in = None
            item.closed_in_starts_at = None
        changed["done"] = bool(done)
    if not changed:
        return item
    item.save()
    record(
        actor=by,
        kind="meetings.action_item.edit",
        obj=item,
        subject=series.report,
        object_label=_label(series),
        # Which fields changed, and to whom or when; never the text.
        changes={k: v for k, v in changed.items() if k != "text"}
        | ({"text": "edited"} if "text" in changed else {}),
    )
    if new_owner is not None and "owner" in changed:
        _tell_owner(by, item, in_meeting or item.origin)
    return item


@transaction.atomic
def delete_action_item(*, by: Any, item: ActionItem) -> None:
    series = item.series
    require(by, "meetings.series.edit", series)
    record(
        actor=by,
        kind="meetings.action_item.delete",
        obj=item,
        subject=series.report,
        object_label=_label(series),
    )
    item.delete()
