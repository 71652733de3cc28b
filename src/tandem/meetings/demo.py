"""Demo 1:1s: a series for every manager–report pair, with up to eight past meetings
(agenda, shared notes, some private notes, action items — a few still open and carried
over) and the next meeting scheduled.

Built in Python with explicit ids and streamed as plain rows, BATCH_SIZE at a time
(RowSink: COPY on PostgreSQL), inside the demo's transaction, so 100,000 people stay fast
and memory stays flat. Run by org.demo after the org exists.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, models

from tandem.core.bulk import RowSink, next_id, reset_sequences
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
from tandem.meetings.schedule import LAST_MONTHLY_DAY, STEP_DAYS, occurrence, zone
from tandem.org.demo import register_demo
from tandem.org.models import Person, PersonStatus
from tandem.program.models import MeetingCadence, Program

BATCH_SIZE = 5000
PAST_MEETINGS = 8
DURATIONS = (30, 30, 30, 45, 25, 60)

TOPICS = (
    "Progress on this quarter's goals",
    "Feedback from the last sprint review",
    "Workload and priorities for the next two weeks",
    "Career growth: what to learn next",
    "Blockers with the other team",
    "Preparing for the customer workshop",
    "How the on-call rotation is going",
    "Conference or training budget",
    "Ideas for the team offsite",
    "Hiring: interview loop feedback",
    "Time off plans",
    "What went well, what did not",
)
NOTES = (
    "Agreed to focus on the migration first; the reporting work moves to next sprint.",
    "Good progress. Talked through the feedback from the review and what to try next.",
    "Discussed growth towards the next level: more ownership of design reviews.",
    "Workload is high this month; we moved two tasks to others on the team.",
    "Customer workshop went well. Follow up with the two open questions.",
    "Short one today; mostly planning for the next release.",
)
PRIVATE = (
    "Seems tired; check in on workload again next time.",
    "Bring up the promotion case with the director.",
    "Ask how the move to the new team feels.",
)
ACTIONS = (
    "Write up the design proposal",
    "Share the interview feedback",
    "Book the training course",
    "Set up a session with the platform team",
    "Draft goals for next quarter",
    "Send the customer follow-up",
    "Review the on-call runbook",
    "Pair with the new joiner on their first ticket",
)

Progress = Callable[[str, int, int], None]

SERIES_COLUMNS = (
    "id",
    "manager_id",
    "report_id",
    "kind",
    "status",
    "cadence",
    "first_start",
    "duration_minutes",
    "time_zone",
    "created_by_id",
    "created_at",
)
MEETING_COLUMNS = (
    "id",
    "series_id",
    "slot",
    "starts_at",
    "ends_at",
    "status",
    "held_at",
    "shared_notes",
    "notes_updated_at",
)
AGENDA_COLUMNS = ("id", "meeting_id", "author_id", "text", "position", "done", "created_at")
NOTE_COLUMNS = ("id", "meeting_id", "author_id", "text", "updated_at")
ACTION_COLUMNS = (
    "id",
    "series_id",
    "origin_id",
    "owner_id",
    "created_by_id",
    "text",
    "due_date",
    "done_at",
    "closed_in_id",
    "origin_starts_at",
    "closed_in_starts_at",
    "created_at",
)


def _working_day(day: date, *, monthly: bool) -> date:
    """`day`, or the nearest working day (Monday to Friday) after it — before it for a
    monthly series that must stay on day 1–28. Every series keeps its weekday, so the
    whole series then falls on working days."""
    if monthly and day.day > LAST_MONTHLY_DAY:
        day = day.replace(day=LAST_MONTHLY_DAY)
    if day.weekday() < 5:
        return day
    monday = day + timedelta(days=7 - day.weekday())
    if monthly and (monday.month != day.month or monday.day > LAST_MONTHLY_DAY):
        return day - timedelta(days=day.weekday() - 4)  # the Friday before
    return monday


class _Rows(RowSink):
    """Rows for one table, written BATCH_SIZE at a time as they are appended."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        super().__init__(model, columns, chunk=BATCH_SIZE)

    def append(self, row: tuple[Any, ...]) -> None:
        self.add(row)


@register_demo
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    rng = random.Random(seed * 7 + 4)  # noqa: S311 (demo data, not secrets)
    default_cadence = Program.load().one_on_one_cadence
    cadences = [default_cadence] * 6 + [MeetingCadence.WEEKLY, MeetingCadence.MONTHLY]
    pairs = list(
        Person.objects.filter(manager__isnull=False)
        .exclude(status=PersonStatus.LEFT)
        .exclude(manager__status=PersonStatus.LEFT)
        .order_by("pk")
        .values_list("pk", "manager_id", "manager__time_zone", "start_date")
    )
    series_id = next_id(Series)
    meeting_id = next_id(Meeting)
    agenda_id = next_id(AgendaItem)
    note_id = next_id(PrivateNote)
    action_id = next_id(ActionItem)
    adapt = connection.ops.adapt_datetimefield_value
    adapt_day = connection.ops.adapt_datefield_value
    series_rows = _Rows(Series, SERIES_COLUMNS)
    meetings = _Rows(Meeting, MEETING_COLUMNS)
    agenda = _Rows(AgendaItem, AGENDA_COLUMNS)
    notes = _Rows(PrivateNote, NOTE_COLUMNS)
    actions = _Rows(ActionItem, ACTION_COLUMNS)
    created = datetime.combine(today, time(9), tzinfo=zone("UTC"))
    progress("1:1s", 0, len(pairs))
    for index, (report_id, manager_id, time_zone, started) in enumerate(pairs):
        cadence = rng.choice(cadences)
        time_zone = time_zone or "UTC"
        tz = zone(time_zone)
        ahead = rng.randint(
            1, 28 if cadence == MeetingCadence.MONTHLY else STEP_DAYS[MeetingCadence(cadence)]
        )
        day = _working_day(today + timedelta(days=ahead), monthly=cadence == MeetingCadence.MONTHLY)
        # Working hours in the manager's zone: starts 09:00–15:30, over by 16:30 at the latest.
        upcoming = datetime.combine(day, time(rng.randint(9, 15), rng.choice((0, 30))), tzinfo=tz)
        first_possible = started or today
        past = 0
        while past < PAST_MEETINGS:
            candidate = occurrence(upcoming, cadence, time_zone, -(past + 1))
            if candidate.date() < first_possible:
                break
            past += 1
        past = rng.randint(min(past, 3), past) if past else 0
        first_start = occurrence(upcoming, cadence, time_zone, -past)
        duration = rng.choice(DURATIONS)
        length = timedelta(minutes=duration)
        series_rows.append(
            (
                series_id,
                manager_id,
                report_id,
                SeriesKind.DIRECT.value,
                SeriesStatus.ACTIVE.value,
                str(cadence),
                adapt(first_start),
                duration,
                time_zone,
                manager_id,
                adapt(min(first_start - timedelta(days=3), created)),
            )
        )
        starts: list[tuple[int, datetime]] = []
        for k in range(past + 1):
            start = occurrence(first_start, cadence, time_zone, k)
            held = k < past
            end = start + length
            meetings.append(
                (
                    meeting_id,
                    series_id,
                    adapt(start),
                    adapt(start),
                    adapt(end),
                    MeetingStatus.HELD.value if held else MeetingStatus.SCHEDULED.value,
                    adapt(end) if held else None,
                    rng.choice(NOTES) if held else "",
                    adapt(end) if held else None,
                )
            )
            starts.append((meeting_id, start))
            before = adapt(start - timedelta(days=1))
            for position, topic in enumerate(rng.sample(TOPICS, rng.randint(1, 3)), start=1):
                agenda.append(
                    (
                        agenda_id,
                        meeting_id,
                        rng.choice((manager_id, report_id)),
                        topic,
                        position,
                        held and rng.random() < 0.8,
                        before,
                    )
                )
                agenda_id += 1
            if held and rng.random() < 0.25:
                notes.append((note_id, meeting_id, manager_id, rng.choice(PRIVATE), adapt(end)))
                note_id += 1
            meeting_id += 1
        for k, (origin_id, origin_start) in enumerate(starts[:-1]):
            for _ in range(rng.choice((0, 1, 1, 2))):
                recent = k >= past - 2
                done = rng.random() < (0.5 if recent else 0.9)
                closed_id, closed_start = starts[min(k + 1, past)]
                actions.append(
                    (
                        action_id,
                        series_id,
                        origin_id,
                        rng.choice((report_id, report_id, manager_id)),
                        manager_id,
                        rng.choice(ACTIONS),
                        adapt_day(origin_start.date() + timedelta(days=7)),
                        adapt(closed_start) if done else None,
                        closed_id if done else None,
                        adapt(origin_start),
                        adapt(closed_start) if done else None,
                        adapt(origin_start),
                    )
                )
                action_id += 1
        series_id += 1
        if index % 5000 == 0 and index:
            progress("1:1s", index, len(pairs))
    for rows in (series_rows, meetings, agenda, notes, actions):
        rows.flush()
    reset_sequences([Series, Meeting, AgendaItem, PrivateNote, ActionItem])
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses from empty tables and the 1:1 lists
        # (correlated subqueries per series) take seconds instead of milliseconds.
        with connection.cursor() as cursor:
            for model in (Series, Meeting, AgendaItem, PrivateNote, ActionItem):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    progress("1:1s", len(pairs), len(pairs))
