"""The weekly check-in reminder, at the program's cadence and on its weekday.

Registered with `tandem.core.reminders`; `tandem send-reminders` (or the `run_reminders`
task) runs it daily. It sends on the program's reminder weekday only, to active people who
have not yet written this week's check-in, and never twice for the same week: the dedupe key
names the person and the week, and people already reminded are left out by the same query
that finds who has not checked in, so a second run the same week costs one query."""

from __future__ import annotations

import logging
from datetime import date

from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from tandem.core.reminders import register
from tandem.goals.models import Period, WeeklyCheckIn
from tandem.goals.queries.checkins import week_start_of
from tandem.goals.services.periods import ensure_periods
from tandem.notifications.queries import with_dedupe_key
from tandem.notifications.services import Message, notify_many
from tandem.org.models import Person, PersonStatus
from tandem.program.models import CheckinCadence, Program

KIND = "goals.checkin_reminder"
# Fortnightly check-ins fall on the weeks an even number of weeks after this Monday.
FORTNIGHT_ANCHOR = date(2024, 1, 1)
CHUNK = 2000
BATCH = 500


def dedupe_key(person_id: int, week_start: date) -> str:
    return f"checkin-reminder:{person_id}:{week_start}"


def is_checkin_week(week_start: date, cadence: str) -> bool:
    """Whether the program expects a weekly check-in in the week starting `week_start`."""
    if cadence == CheckinCadence.OFF:
        return False
    if cadence == CheckinCadence.FORTNIGHTLY:
        return ((week_start - FORTNIGHT_ANCHOR).days // 7) % 2 == 0
    return True


def people_to_remind(week_start: date) -> QuerySet[Person]:
    """Active people without a check-in for the week and not yet reminded for it: one query
    (two NOT EXISTS on indexed columns), streamed."""
    key = Concat(
        Value("checkin-reminder:"),
        Cast(OuterRef("pk"), output_field=CharField()),
        Value(f":{week_start}"),
        output_field=CharField(),
    )
    return (
        Person.objects.filter(status=PersonStatus.ACTIVE, is_active=True)
        .exclude(
            Exists(
                WeeklyCheckIn.objects.filter(
                    person=OuterRef("pk"), week_start=week_start, submitted_at__isnull=False
                )
            )
        )
        .exclude(Exists(with_dedupe_key(key)))
        .order_by("pk")
    )


logger = logging.getLogger(__name__)


@register
def keep_goal_periods(today: date) -> int:
    """The current and the next goal period exist (the program's quarters, halves or
    years): pages never create them. Upkeep, not a reminder: it counts as 0 sent, and logs
    how many periods it opened."""
    before = Period.objects.count()
    ensure_periods(today)
    opened = Period.objects.count() - before
    if opened:
        logger.info("goal periods: opened %d for %s", opened, today.isoformat())
    return 0


@register
def send_checkin_reminders(today: date) -> int:
    """Remind people to write this week's check-in; returns how many were reminded."""
    program = Program.current()
    if today.weekday() != program.checkin_reminder_weekday:
        return 0
    week_start = week_start_of(today)
    if not is_checkin_week(week_start, program.checkin_cadence):
        return 0
    url = reverse("goals:weekly")
    sent = 0
    batch: list[Person] = []
    for person in people_to_remind(week_start).iterator(chunk_size=CHUNK):
        batch.append(person)
        if len(batch) >= BATCH:
            sent += _remind(batch, week_start=week_start, url=url)
            batch = []
    if batch:
        sent += _remind(batch, week_start=week_start, url=url)
    return sent


def _remind(people: list[Person], *, week_start: date, url: str) -> int:
    """One bulk send per batch: a fixed number of queries for a few hundred people."""
    body = (
        f"List your priorities for the week of {week_start:%d %B} and link each to one of "
        "your goals, and say which of last week's got done. It takes two minutes."
    )
    return notify_many(
        kind=KIND,
        messages=[
            Message(
                person_id=person.pk,
                title="Write your weekly check-in",
                body=body,
                url=url,
                dedupe_key=dedupe_key(person.pk, week_start),
            )
            for person in people
        ],
    )
