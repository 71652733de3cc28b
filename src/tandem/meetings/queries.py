"""Reads about 1:1s, always starting from the access scope of the viewer.

Content (agenda, shared notes, action items) is read with purpose "content" (the two
participants); HR admins get "metadata" (that a series exists, when meetings happen).
Private notes are only ever read filtered by their author, the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from tandem.access.rules import actor_for, can, scope
from tandem.core import pagination
from tandem.core.dates import day_month, due_phrase
from tandem.core.pagination import BadCursor
from tandem.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    PrivateNote,
    Series,
    SeriesKind,
    SeriesStatus,
)
from tandem.org.models import Person, PersonStatus
from tandem.org.queries import decode_cursor

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 10
OPEN_STATUSES = (SeriesStatus.ACTIVE, SeriesStatus.REQUESTED)
MAX_ACTION_ITEMS = 200
MAX_ID = 2**63 - 1

__all__ = ["BadCursor"]


# --- One object, or 404 -----------------------------------------------------------------------


def _people() -> tuple[str, ...]:
    return ("manager", "report")


def series_for(user: Any, series_id: int, *, purpose: str = "metadata") -> Series:
    series = (
        scope(user, Series.objects.select_related(*_people()), purpose=purpose)
        .filter(pk=series_id)
        .first()
    )
    if series is None:
        raise Http404("No such 1:1.")
    return series


def meeting_for(user: Any, meeting_id: int, *, purpose: str = "content") -> Meeting:
    meeting = (
        scope(
            user,
            Meeting.objects.select_related("series__manager", "series__report"),
            purpose=purpose,
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


def _participant_q(user: Any, prefix: str) -> Q:
    actor = actor_for(user)
    if actor is None:
        return Q(pk__in=[])
    pk = actor.person.pk
    return Q(**{f"{prefix}manager_id": pk}) | Q(**{f"{prefix}report_id": pk})


def agenda_item_for(user: Any, item_id: int) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting__series__manager", "meeting__series__report")
        .filter(_participant_q(user, "meeting__series__"), pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("No such agenda item.")
    return item


def action_item_for(user: Any, item_id: int) -> ActionItem:
    item = (
        ActionItem.objects.select_related("series__manager", "series__report", "origin", "owner")
        .filter(_participant_q(user, "series__"), pk=item_id)
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    return item


# --- Lists ------------------------------------------------------------------------------------


def _annotated(series: QuerySet[Series]) -> QuerySet[Series]:
    upcoming = Meeting.objects.filter(
        series=OuterRef("pk"), status=MeetingStatus.SCHEDULED
    ).order_by("starts_at", "pk")
    held = Meeting.objects.filter(series=OuterRef("pk"), status=MeetingStatus.HELD).order_by(
        "-starts_at", "-pk"
    )
    return series.select_related(*_people()).annotate(
        next_meeting_id=Subquery(upcoming.values("pk")[:1]),
        next_start=Subquery(upcoming.values("starts_at")[:1]),
        last_held=Subquery(held.values("starts_at")[:1]),
    )


def encode_cursor(sort_name: str, pk: int) -> str:
    return pagination.encode_cursor(sort_name, pk)


@dataclass
class SeriesPage:
    rows: list[Series]
    next_cursor: str | None


def managed_series_page(user: Any, *, cursor: str | None, limit: int = PAGE_SIZE) -> SeriesPage:
    """My active series as the manager (direct and skip-level), one row per report, in name
    order; keyset-paginated so page 50 costs what page 1 costs."""
    series = _annotated(
        Series.objects.filter(manager_id=user.pk, status=SeriesStatus.ACTIVE)
    ).order_by("report__sort_name", "pk")
    if cursor:
        sort_name, pk = decode_cursor(cursor)
        series = series.filter(
            Q(report__sort_name__gt=sort_name) | Q(report__sort_name=sort_name, pk__gt=pk)
        )
    rows = list(series[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        following = encode_cursor(rows[-1].report.sort_name, rows[-1].pk)
    return SeriesPage(rows=rows, next_cursor=following)


def my_series(user: Any) -> list[Series]:
    """Series where I am the report (with my manager, and skip-levels)."""
    return list(
        _annotated(Series.objects.filter(report_id=user.pk, status=SeriesStatus.ACTIVE)).order_by(
            "kind", "pk"
        )[:20]
    )


def requests_to_me(user: Any) -> list[Series]:
    return list(
        Series.objects.filter(manager_id=user.pk, status=SeriesStatus.REQUESTED)
        .select_related(*_people())
        .order_by("created_at", "pk")[:50]
    )


def my_requests(user: Any) -> list[Series]:
    return list(
        Series.objects.filter(report_id=user.pk, status=SeriesStatus.REQUESTED)
        .select_related(*_people())
        .order_by("created_at", "pk")[:20]
    )


def reports_without_series(user: Any) -> QuerySet[Person]:
    """Direct reports I have no open 1:1 series with."""
    return (
        scope(user, Person.objects.filter(manager_id=user.pk))
        .exclude(status=PersonStatus.LEFT)
        .exclude(
            pk__in=Series.objects.filter(manager_id=user.pk, status__in=OPEN_STATUSES).values(
                "report_id"
            )
        )
        .order_by("sort_name", "pk")
    )


def skip_manager(user: Any) -> Person | None:
    manager = user.manager if user.manager_id else None
    if manager is None or manager.manager_id is None:
        return None
    skip = manager.manager
    return skip if skip is not None and skip.status != PersonStatus.LEFT else None


# --- The meeting page ----------------------------------------------------------------------------


def agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("author")
        .order_by("position", "pk")
    )


def items_open_at(meeting: Meeting) -> Q:
    """Action items shown on `meeting`: made there or earlier in the series, and not ticked
    off before it (an item ticked off at or after this meeting still shows, as done)."""
    return Q(series_id=meeting.series_id, origin_starts_at__lte=meeting.starts_at) & (
        Q(closed_in_starts_at__isnull=True) | Q(closed_in_starts_at__gte=meeting.starts_at)
    )


def action_items(meeting: Meeting) -> list[ActionItem]:
    """This meeting's action items: made here, or carried over from earlier meetings
    because they were still open (each shows where it came from)."""
    return list(
        ActionItem.objects.filter(items_open_at(meeting))
        .select_related("owner", "origin")
        .order_by("origin_starts_at", "pk")[:MAX_ACTION_ITEMS]
    )


def private_note_text(user: Any, meeting: Meeting) -> tuple[str, datetime | None]:
    """The viewer's own private note on the meeting — never anyone else's."""
    row = (
        PrivateNote.objects.filter(meeting=meeting, author_id=user.pk)
        .values_list("text", "updated_at")
        .first()
    )
    return (row[0], row[1]) if row else ("", None)


@dataclass
class TalkingPoint:
    topic: str
    text: str
    url: str = ""


@dataclass
class MeetingView:
    meeting: Meeting
    agenda: list[AgendaItem]
    action_items: list[ActionItem]
    private_note: str
    private_note_updated: datetime | None
    previous: Meeting | None
    upcoming: Meeting | None
    can_edit: bool
    talking_points: list[TalkingPoint] = field(default_factory=list)


def meeting_view(user: Any, meeting: Meeting) -> MeetingView:
    series = meeting.series
    previous = (
        Meeting.objects.filter(series=series, starts_at__lt=meeting.starts_at)
        .order_by("-starts_at", "-pk")
        .first()
    )
    upcoming = None
    if meeting.status == MeetingStatus.HELD:
        upcoming = (
            Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED)
            .order_by("starts_at", "pk")
            .first()
        )
    items = action_items(meeting)
    note, updated = private_note_text(user, meeting)
    view = MeetingView(
        meeting=meeting,
        agenda=agenda(meeting),
        action_items=items,
        private_note=note,
        private_note_updated=updated,
        previous=previous,
        upcoming=upcoming,
        can_edit=can(user, "meetings.series.edit", series),
    )
    view.talking_points = talking_points(user, meeting, items, previous)
    return view


def talking_points(
    user: Any, meeting: Meeting, items: list[ActionItem], previous: Meeting | None
) -> list[TalkingPoint]:
    """Suggestions drawn from the period's data, each filtered by what the viewer may see:
    the report's goals at risk or without check-ins, what other features add
    (`meetings.talking_points`: the report's development plan), feedback the report
    received since the last 1:1, feedback requests waiting for the viewer, and open action
    items."""
    from tandem.feedback.queries import pending_asks, received
    from tandem.goals.queries.checkins import talking_points_for
    from tandem.meetings.talking_points import talking_points_from_features

    series = meeting.series
    points: list[TalkingPoint] = [
        TalkingPoint(
            topic="Goal",
            text=f"{point.goal.title} — {point.reason}",
            url=reverse("goals:detail", args=[point.goal.pk]),
        )
        for point in talking_points_for(user, series.report, limit=5)
    ]
    points.extend(
        TalkingPoint(topic=topic, text=text, url=url)
        for topic, text, url in talking_points_from_features(user, series.report)
    )
    feedback = received(user, series.report).select_related("giver")
    if previous is not None:
        feedback = feedback.filter(created_at__gte=previous.starts_at)
    points.extend(
        TalkingPoint(
            topic=f"Feedback from {item.giver.display_name}",
            text=Truncator(item.text).chars(90),
            url=reverse("feedback:detail", args=[item.pk]),
        )
        for item in feedback.filter(created_at__lte=meeting.starts_at).order_by(
            "-created_at", "-pk"
        )[:5]
    )
    today = timezone.localdate()  # in the viewer's time zone
    points.extend(
        TalkingPoint(
            topic="Feedback request waiting for you",
            text=_ask_text(ask, today),
            url=reverse("feedback:request_detail", args=[ask.request_id]),
        )
        for ask in pending_asks(user, limit=3)
    )
    for item in items:
        if item.done_at is not None:
            continue
        when = f" — {due_phrase(item.due_date, today=today)}" if item.due_date else ""
        points.append(
            TalkingPoint(
                topic="Open action item",
                text=f"{item.owner.display_name}: {item.text}{when}",
            )
        )
    return points


def _ask_text(ask: Any, today: Any) -> str:
    """ "Asked by Vaishnavi Toor on 2 Dec, due 10 Dec" when she asks about herself;
    "About Ravi Rao, asked by Vaishnavi Toor on 2 Dec, due 10 Dec" otherwise. The day it
    was asked tells two requests from the same person apart."""
    request = ask.request
    asked = f"asked by {request.requester.display_name}"
    if request.created_at:
        asked += f" on {day_month(timezone.localdate(request.created_at))}"
    if request.subject_id == request.requester_id:
        text = asked[0].upper() + asked[1:]
    else:
        text = f"About {request.subject.display_name}, {asked}"
    due = ask.due_date  # the request's, as the inbox and the request page show it
    return f"{text}, {due_phrase(due, today=today)}" if due else text


# --- History ----------------------------------------------------------------------------------


@dataclass
class HistoryEntry:
    meeting: Meeting
    agenda: list[AgendaItem]
    action_items: list[ActionItem]
    private_note: str


@dataclass
class HistoryPage:
    entries: list[HistoryEntry]
    next_cursor: str | None


def encode_history_cursor(meeting: Meeting) -> str:
    return pagination.encode_cursor(meeting.starts_at, meeting.pk)


def decode_history_cursor(cursor: str) -> tuple[datetime, int]:
    return pagination.decode_time_cursor(cursor)


def history_page(
    user: Any,
    series: Series,
    *,
    cursor: str | None,
    q: str = "",
    with_content: bool,
    limit: int = HISTORY_PAGE_SIZE,
) -> HistoryPage:
    """Past meetings of a series, newest first, with notes, agenda and action items for
    the participants; dates only for HR admins. Keyset-paginated."""
    meetings = Meeting.objects.filter(series=series, status=MeetingStatus.HELD).order_by(
        "-starts_at", "-pk"
    )
    q = q.replace("\x00", " ").strip()[:200]
    if q and with_content:
        meetings = meetings.filter(
            Q(shared_notes__icontains=q)
            | Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), text__icontains=q))
            | Exists(ActionItem.objects.filter(origin=OuterRef("pk"), text__icontains=q))
            # The viewer's own private notes only: nobody else's can match a search.
            | Exists(
                PrivateNote.objects.filter(
                    meeting=OuterRef("pk"), author_id=user.pk, text__icontains=q
                )
            )
        )
    if cursor:
        when, pk = decode_history_cursor(cursor)
        meetings = meetings.filter(Q(starts_at__lt=when) | Q(starts_at=when, pk__lt=pk))
    rows = list(meetings[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        following = encode_history_cursor(rows[-1])
    agendas: dict[int, list[AgendaItem]] = {m.pk: [] for m in rows}
    actions: dict[int, list[ActionItem]] = {m.pk: [] for m in rows}
    notes: dict[int, str] = {}
    if with_content and rows:
        ids = [m.pk for m in rows]
        for item in AgendaItem.objects.filter(meeting_id__in=ids).order_by("position", "pk"):
            agendas[item.meeting_id].append(item)
        for action in (
            ActionItem.objects.filter(origin_id__in=ids).select_related("owner").order_by("pk")
        ):
            actions[action.origin_id].append(action)
        notes = dict(
            PrivateNote.objects.filter(meeting_id__in=ids, author_id=user.pk).values_list(
                "meeting_id", "text"
            )
        )
    entries = [
        HistoryEntry(
            meeting=m,
            agenda=agendas[m.pk],
            action_items=actions[m.pk],
            private_note=notes.get(m.pk, ""),
        )
        for m in rows
    ]
    return HistoryPage(entries=entries, next_cursor=following)


def upcoming_meeting(series: Series) -> Meeting | None:
    return (
        Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED)
        .order_by("starts_at", "pk")
        .first()
    )


def next_meetings(user: Any, *, limit: int = 3) -> list[Meeting]:
    """The viewer's next scheduled 1:1s (either side), soonest first: one query."""
    return list(
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED, series__status=SeriesStatus.ACTIVE)
        .filter(Q(series__manager_id=user.pk) | Q(series__report_id=user.pk))
        .select_related("series__manager", "series__report")
        .order_by("starts_at", "pk")[:limit]
    )


# --- The team hub: each person's 1:1 figures ------------------------------------------------


@dataclass(frozen=True)
class MeetingFigures:
    # False when the viewer may not see this person's 1:1s (they take no part in them and
    # are not an HR admin): the hub then shows nothing and raises no 1:1 flag.
    known: bool = False
    series_id: int | None = None  # the open 1:1 series with their manager, if any
    last_held_at: datetime | None = None
    next_at: datetime | None = None
    open_actions: int = 0


def team_meeting_figures(
    user: Any, people: list[Person], *, now: datetime | None = None
) -> dict[int, MeetingFigures]:
    """Each person's 1:1s with their manager: the last held, the next scheduled, the open
    action items. Only what the viewer may see (`scope`: the two participants; HR admins see
    dates, not content). Three grouped queries for the whole page."""
    if not people:
        return {}
    now = now or timezone.now()
    actor = actor_for(user)
    hr_admin = bool(actor and actor.is_hr_admin)
    ids = [p.pk for p in people]
    direct = Series.objects.filter(report_id__in=ids, kind=SeriesKind.DIRECT)
    series = scope(user, direct, purpose="metadata")
    open_series = dict(
        series.filter(status__in=OPEN_STATUSES)
        .order_by("report_id", "pk")
        .values_list("report_id", "pk")
    )
    dates = {
        row["series__report_id"]: row
        for row in scope(
            user,
            Meeting.objects.filter(series__report_id__in=ids, series__kind=SeriesKind.DIRECT),
            purpose="metadata",
        )
        .order_by()
        .values("series__report_id")
        .annotate(
            last=Max("starts_at", filter=Q(status=MeetingStatus.HELD)),
            next=Min("starts_at", filter=Q(status=MeetingStatus.SCHEDULED, starts_at__gte=now)),
        )
    }
    actions = dict(
        ActionItem.objects.filter(
            series__in=scope(user, direct, purpose="content").values("pk"), done_at__isnull=True
        )
        .order_by()
        .values("series__report_id")
        .annotate(open=Count("id"))
        .values_list("series__report_id", "open")
    )
    figures: dict[int, MeetingFigures] = {}
    for person in people:
        row = dates.get(person.pk, {})
        figures[person.pk] = MeetingFigures(
            known=hr_admin or person.manager_id == user.pk,
            series_id=open_series.get(person.pk),
            last_held_at=row.get("last"),
            next_at=row.get("next"),
            open_actions=actions.get(person.pk, 0),
        )
    return figures


def held_on_or_after(user: Any, day: Any) -> Exists:
    """For a query of people: whether the person (OuterRef "pk") had a 1:1 held with their
    manager (a direct series the viewer may see) on or after `day` (a date or an expression,
    compared in the current time zone) — the hub's 1:1 flags, in SQL."""
    return Exists(
        scope(
            user,
            Meeting.objects.filter(
                series__report_id=OuterRef("pk"),
                series__kind=SeriesKind.DIRECT,
                status=MeetingStatus.HELD,
                starts_at__date__gte=day,
            ),
            purpose="metadata",
        )
    )


def as_their_manager_sees(
    people: list[Person], *, now: datetime | None = None
) -> dict[int, MeetingFigures]:
    """Each person's 1:1s with their current manager (the last held, the next scheduled,
    the open series), as that manager sees them on their hub, for many managers' reports at
    once (the weekly team digest): two grouped queries. Action items are not counted."""
    if not people:
        return {}
    now = now or timezone.now()
    ids = [p.pk for p in people]
    theirs = Q(kind=SeriesKind.DIRECT, manager_id=F("report__manager_id"))
    open_series = dict(
        Series.objects.filter(theirs, report_id__in=ids, status__in=OPEN_STATUSES)
        .order_by("report_id", "pk")
        .values_list("report_id", "pk")
    )
    dates = {
        row["series__report_id"]: row
        for row in Meeting.objects.filter(
            series__report_id__in=ids,
            series__kind=SeriesKind.DIRECT,
            series__manager_id=F("series__report__manager_id"),
        )
        .order_by()
        .values("series__report_id")
        .annotate(
            last=Max("starts_at", filter=Q(status=MeetingStatus.HELD)),
            next=Min("starts_at", filter=Q(status=MeetingStatus.SCHEDULED, starts_at__gte=now)),
        )
    }
    return {
        person.pk: MeetingFigures(
            known=True,
            series_id=open_series.get(person.pk),
            last_held_at=dates.get(person.pk, {}).get("last"),
            next_at=dates.get(person.pk, {}).get("next"),
        )
        for person in people
    }


@dataclass(frozen=True)
class Scheduled:
    manager_id: int
    report_id: int
    starts_at: datetime


def scheduled_with_reports(
    manager_ids: list[int], *, start: datetime, end: datetime
) -> list[Scheduled]:
    """The 1:1s each manager has scheduled with a direct report in [start, end), earliest
    first: one query for many managers (the weekly team digest). Dates only."""
    if not manager_ids:
        return []
    rows = (
        Meeting.objects.filter(
            series__manager_id__in=manager_ids,
            series__kind=SeriesKind.DIRECT,
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("starts_at", "pk")
        .values_list("series__manager_id", "series__report_id", "starts_at")
    )
    return [Scheduled(m, r, at) for m, r, at in rows if m is not None]


def recent_meetings(
    user: Any, person_id: int, *, since: datetime, limit: int = 50
) -> list[Meeting]:
    """The person's 1:1 meetings with their manager since `since` (held or scheduled) that
    the viewer may see, newest first."""
    return list(
        scope(
            user,
            Meeting.objects.filter(
                series__report_id=person_id, series__kind=SeriesKind.DIRECT, starts_at__gte=since
            ),
            purpose="metadata",
        )
        .select_related("series")
        .order_by("-starts_at", "-pk")[:limit]
    )
