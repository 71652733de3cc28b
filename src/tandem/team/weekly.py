"""The manager's weekly digest, "This week for your team".

Every Monday (the company's time zone, like the notifications digest) each active person
with at least one active direct report hears, as the `team.weekly` notification:

- each flagged report, one line: name — the hub's reasons (the same flags as `/team/`);
- the 1:1s scheduled with their reports this week (Monday to Sunday), on the day in the
  manager's own time zone;
- the reviews of the running cycle they still have to write that are due this week;

with a link to `/team/`. Names, dates and the hub's plain reasons only — never feedback,
review or 1:1 text.

Sent only when something needs the manager (a flag or a review due): a weekly "nothing
needs you" e-mail teaches people to ignore the one that matters. 1:1s alone do not send it.

Scale: managers are read in batches of BATCH_SIZE by id; each batch costs a fixed number
of queries (the managers, their reports, one grouped query per feature, the week's 1:1s,
and `notify_many`'s few), never a query per manager. Exactly once a week per manager:
`dedupe_key = team.weekly:{manager}:{ISO year}-W{ISO week}`, so running it again (cron, a
retry) sends nothing new; managers already sent this week are skipped before any figure is
computed for them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from tandem.core.dates import due_phrase
from tandem.goals.queries import goals as goal_queries
from tandem.meetings import queries as meeting_queries
from tandem.notifications import queries as notification_queries
from tandem.notifications.services import Message, notify_many
from tandem.org.models import Person, PersonStatus
from tandem.team import queries

KIND = "team.weekly"
WEEKDAY = 0  # Monday (date.weekday()), like the notifications digest
BATCH_SIZE = 500
URL = "/team/"
MANAGER_FIELDS = ("first_name", "last_name", "preferred_name", "time_zone")


@dataclass
class TeamWeek:
    """What one manager's weekly digest says."""

    manager: Person
    flagged: list[queries.Row] = field(default_factory=list)
    one_on_ones: list[tuple[Person, dt.datetime]] = field(default_factory=list)
    reviews_due: list[queries.Row] = field(default_factory=list)

    @property
    def needs(self) -> int:
        """How many things need the manager: each flag, each review due this week."""
        return sum(len(row.flags) for row in self.flagged) + len(self.reviews_due)


def dedupe_key(manager_id: int, today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"{KIND}:{manager_id}:{year}-W{week:02d}"


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of `today`'s ISO week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def zone_of(person: Person) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(person.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def managers_after(after: int, *, today: dt.date, limit: int = BATCH_SIZE) -> list[Person]:
    """The next `limit` active people by id with at least one active direct report and no
    digest yet for `today`'s week (a second run skips them before computing anything)."""
    reports = Person.objects.filter(manager_id=OuterRef("pk")).exclude(status=PersonStatus.LEFT)
    key = Concat(
        Value(f"{KIND}:"),
        Cast(OuterRef("pk"), CharField()),
        Value(dedupe_key(0, today).removeprefix(f"{KIND}:0")),
        output_field=CharField(),
    )
    return list(
        Person.objects.filter(pk__gt=after, is_active=True)
        .exclude(status=PersonStatus.LEFT)
        .filter(Exists(reports))
        .exclude(Exists(notification_queries.with_dedupe_key(key)))
        .only(*MANAGER_FIELDS)
        .order_by("pk")[:limit]
    )


def team_weeks(managers: list[Person], *, today: dt.date) -> list[TeamWeek]:
    """Each manager's week, from a fixed number of grouped queries for the whole batch."""
    if not managers:
        return []
    by_id = {m.pk: TeamWeek(manager=m) for m in managers}
    reports = list(
        Person.objects.filter(manager_id__in=list(by_id))
        .exclude(status=PersonStatus.LEFT)
        .only(*queries.ROW_FIELDS)
        .order_by("sort_name", "pk")
    )
    monday, sunday = week_of(today)
    period = goal_queries.current_period(today)
    rows = queries.rows_as_their_managers_see(reports, today=today, period=period)
    names = {person.pk: person for person in reports}
    for row in rows:
        week = by_id[row.person.manager_id or 0]
        # The hub judges dates in the viewer's zone: the manager's.
        with timezone.override(zone_of(week.manager)):
            row.flags = queries.flags_for(row, today=today)
        if row.flags:
            week.flagged.append(row)
        review = row.review
        if (
            review is not None
            and review.manager_to_do
            and review.due_on is not None
            and today <= review.due_on <= sunday
        ):
            week.reviews_due.append(row)
    # A day's margin either side covers every time zone; each manager's own week is kept.
    start = queries.start_of(monday - dt.timedelta(days=1))
    end = queries.start_of(sunday + dt.timedelta(days=2))
    for meeting in meeting_queries.scheduled_with_reports(list(by_id), start=start, end=end):
        week = by_id[meeting.manager_id]
        day = timezone.localtime(meeting.starts_at, zone_of(week.manager)).date()
        report = names.get(meeting.report_id)
        if report is not None and monday <= day <= sunday:
            week.one_on_ones.append((report, meeting.starts_at))
    return list(by_id.values())


def _day(moment: dt.datetime, zone: dt.tzinfo) -> str:
    local = timezone.localtime(moment, zone)
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"


def message_for(week: TeamWeek, *, today: dt.date) -> tuple[str, str]:
    """The digest's title and body (names, dates and the hub's reasons; never any text)."""
    needs = week.needs
    if needs:
        verb = "needs" if needs == 1 else "need"
        title = f"This week for your team: {needs} thing{'s' if needs != 1 else ''} {verb} you"
    else:
        title = "This week for your team: nothing needs you"
    lines: list[str] = []
    if week.flagged:
        lines.append("Flagged on your team hub:")
        for row in week.flagged:
            reasons = "; ".join(flag.reason for flag in row.flags)
            lines.append(f"- {row.person.display_name} — {reasons}")
    if week.reviews_due:
        lines += [""] if lines else []
        lines.append("Reviews to write, due this week:")
        for row in week.reviews_due:
            review = row.review
            assert review is not None and review.due_on is not None
            lines.append(
                f"- {row.person.display_name} — {review.cycle_name}, "
                f"{due_phrase(review.due_on, today=today)}"
            )
    if week.one_on_ones:
        lines += [""] if lines else []
        lines.append("1:1s this week:")
        zone = zone_of(week.manager)
        for person, starts_at in week.one_on_ones:
            lines.append(f"- {person.display_name} — {_day(starts_at, zone)}")
    return title, "\n".join(lines)


@dataclass
class WeeklyRun:
    managers: int = 0  # managers looked at
    sent: int = 0  # new notifications


def send_team_weeks(today: dt.date, *, batch_size: int = BATCH_SIZE) -> WeeklyRun:
    """Every manager's digest for `today`'s week, batch by batch: exactly once per manager
    and week (the dedupe key), only when something needs them."""
    run = WeeklyRun()
    after = 0
    while True:
        managers = managers_after(after, today=today, limit=batch_size)
        if not managers:
            return run
        messages = []
        for week in team_weeks(managers, today=today):
            if not week.needs:
                continue
            title, body = message_for(week, today=today)
            messages.append(
                Message(
                    person_id=week.manager.pk,
                    title=title,
                    body=body,
                    url=URL,
                    dedupe_key=dedupe_key(week.manager.pk, today),
                )
            )
        run.managers += len(managers)
        run.sent += notify_many(kind=KIND, messages=messages)
        after = managers[-1].pk
