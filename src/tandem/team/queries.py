"""The team hub's reads: a page of people, then each feature's figures for those people.

A page is a keyset page of people (direct reports, or the whole subtree), then one grouped
query per feature for the page's ids only (`goals.queries.team`, `feedback.queries`,
`meetings.queries`, `reviews.queries.team`): the query count does not grow with the number
of reports, and the CEO's first page of a 100,000-person subtree reads ~50 people's rows.

Flags, each with a plain reason, judged on the viewer's today (their time zone):

- no 1:1 in 30 days: the last 1:1 held (or the start date, for someone newer) is 30 or more
  days ago — only where the viewer may see the person's 1:1s;
- a new joiner's first 90 days without a 1:1: started fewer than 90 days ago, no 1:1 held
  since (this replaces the 30-day flag);
- no feedback in 60 days: nothing received in the last 60 days that the viewer may read,
  for someone who started 60 or more days ago;
- a goal without a check-in for 3 weeks: an active goal of the period whose last check-in
  (or creation) is 21 or more days ago;
- a review overdue: the manager review of the running cycle is not submitted and its phase
  was due before today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tandem.access.rules import SYSTEM, actor_for, can, scope
from tandem.core import pagination
from tandem.core.dates import day_month, due_phrase
from tandem.feedback import queries as feedback_queries
from tandem.goals.queries import goals as goal_queries
from tandem.goals.queries import team as goal_team
from tandem.growth.queries import plans as growth_plans
from tandem.meetings import queries as meeting_queries
from tandem.org import queries as org_queries
from tandem.org.models import Person, PersonStatus
from tandem.reviews.queries import team as review_team

BadCursor = org_queries.BadCursor
PAGE_SIZE = 50
NO_ONE_ON_ONE_DAYS = 30
NEW_JOINER_DAYS = 90
NO_FEEDBACK_DAYS = 60
STALE_GOAL_DAYS = 21
TIMELINE_DAYS = 90
MAX_ID = 2**63 - 1
NAME_FIELDS = ("first_name", "last_name", "preferred_name")
ROW_FIELDS = (*NAME_FIELDS, "title", "sort_name", "start_date", "status", "manager", "department")


@dataclass(frozen=True)
class Flag:
    key: str  # stable: tests and styles find a flag by it
    reason: str
    url: str = ""  # where to act on it


@dataclass
class Row:
    person: Person
    goals: goal_team.GoalFigures
    feedback: feedback_queries.FeedbackFigures
    meetings: meeting_queries.MeetingFigures
    review: review_team.ReviewFigures | None
    flags: list[Flag] = field(default_factory=list)
    # The growth slot: an active development plan, and how many of its actions are overdue
    # (counts only; the hub shows no plan text). None where it is not computed (the digest).
    growth: growth_plans.PlanFigures | None = None


@dataclass
class HubPage:
    rows: list[Row]
    next_cursor: str | None
    subtree: bool
    period: Any  # the goals period the figures are for, or None
    sort: str = "flags"  # the order applied
    note: str = ""  # why it is not the order asked for


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the viewer's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _schedule_url(person: Person, meetings: meeting_queries.MeetingFigures) -> str:
    """Where to act on a missing 1:1: the open series, or setting one up with this report."""
    if meetings.series_id:
        return reverse("meetings:series", args=[meetings.series_id])
    return reverse("meetings:create") + f"?report={person.pk}"


def flags_for(row: Row, *, today: date) -> list[Flag]:
    """The row's flags, each with a plain reason and where to act on it."""
    person = row.person
    flags: list[Flag] = []
    started = person.start_date
    meetings = row.meetings
    if meetings.known:
        last = _local_day(meetings.last_held_at)
        held_since_start = last is not None and (started is None or last >= started)
        if (
            started is not None
            and (today - started).days < NEW_JOINER_DAYS
            and not held_since_start
        ):
            flags.append(
                Flag(
                    "new_joiner",
                    f"Joined {day_month(started)} and has had no 1:1 yet",
                    _schedule_url(person, meetings),
                )
            )
        else:
            anchor = max(d for d in (last, started) if d is not None) if (last or started) else None
            if anchor is None or (today - anchor).days >= NO_ONE_ON_ONE_DAYS:
                reason = f"No 1:1 in {NO_ONE_ON_ONE_DAYS} days" + (
                    f" (last on {day_month(last)})" if last else " (none held yet)"
                )
                flags.append(Flag("no_one_on_one", reason, _schedule_url(person, meetings)))
    if row.feedback.received_60 == 0 and (
        started is None or (today - started).days >= NO_FEEDBACK_DAYS
    ):
        flags.append(
            Flag(
                "no_feedback",
                f"No feedback in {NO_FEEDBACK_DAYS} days",
                reverse("feedback:give") + f"?to={person.pk}",
            )
        )
    if row.goals.stale:
        count = row.goals.stale
        flags.append(
            Flag(
                "stale_goal",
                f"{count} goal{'s' if count != 1 else ''} without a check-in for 3 weeks",
                reverse("team:person", args=[person.pk]) + "#goals",
            )
        )
    if row.review is not None and row.review.overdue and row.review.due_on:
        flags.append(
            Flag(
                "review_overdue",
                f"Review {due_phrase(row.review.due_on, today=today)}",
                reverse("reviews:participant", args=[row.review.participant_id]),
            )
        )
    return flags


def rows_for(
    user: Any, people: list[Person], *, today: date | None = None, period: Any = None
) -> list[Row]:
    """The figures and flags of `people`: a fixed number of grouped queries. `period` is
    the goals period (default: the current one)."""
    today = today or timezone.localdate()
    now = timezone.now()
    ids = [p.pk for p in people]
    period = period or goal_queries.current_period(today)
    goals = goal_team.team_goal_figures(
        user, ids, period, stale_before=start_of(today - timedelta(days=STALE_GOAL_DAYS - 1))
    )
    feedback = feedback_queries.team_feedback_figures(user, ids, now=now)
    meetings = meeting_queries.team_meeting_figures(user, people, now=now)
    reviews = review_team.team_review_figures(user, ids, today=today)
    plans = growth_plans.team_plan_figures(ids, today=today)
    rows = []
    for person in people:
        row = Row(
            person=person,
            goals=goals.get(person.pk, goal_team.GoalFigures()),
            feedback=feedback.get(person.pk, feedback_queries.FeedbackFigures()),
            meetings=meetings.get(person.pk, meeting_queries.MeetingFigures()),
            review=reviews.get(person.pk),
            growth=plans.get(person.pk, growth_plans.PlanFigures()),
        )
        row.flags = flags_for(row, today=today)
        rows.append(row)
    return rows


def rows_as_their_managers_see(
    people: list[Person], *, today: date, period: Any = None
) -> list[Row]:
    """`rows_for` for the reports of many managers at once, each person's figures as their
    current manager sees them on the hub (goals and reviews of one's subtree, feedback the
    manager may read, 1:1s with that manager): the same fixed number of grouped queries
    whatever the number of managers. For the weekly team digest, which only uses the flags
    (feedback given and open action items are not counted)."""
    now = timezone.now()
    ids = [p.pk for p in people]
    period = period or goal_queries.current_period(today)
    goals = goal_team.team_goal_figures(
        SYSTEM, ids, period, stale_before=start_of(today - timedelta(days=STALE_GOAL_DAYS - 1))
    )
    feedback = feedback_queries.received_as_their_manager_sees(ids, now=now)
    meetings = meeting_queries.as_their_manager_sees(people, now=now)
    reviews = review_team.team_review_figures(SYSTEM, ids, today=today)
    rows = []
    for person in people:
        row = Row(
            person=person,
            goals=goals.get(person.pk, goal_team.GoalFigures()),
            feedback=feedback.get(person.pk, feedback_queries.FeedbackFigures()),
            meetings=meetings.get(person.pk, meeting_queries.MeetingFigures(known=True)),
            review=reviews.get(person.pk),
        )
        row.flags = flags_for(row, today=today)
        rows.append(row)
    return rows


def team_people(user: Any, manager: Person, *, subtree: bool) -> QuerySet[Person]:
    """`manager`'s current direct reports, or everyone below them."""
    people = Person.objects.exclude(status=PersonStatus.LEFT)
    if subtree:
        if not manager.path:
            return Person.objects.none()  # no place in the tree: "" would match everyone
        people = people.filter(path__startswith=manager.path).exclude(pk=manager.pk)
    else:
        people = people.filter(manager_id=manager.pk)
    actor = actor_for(user)
    if (
        actor is not None
        and manager.pk != user.pk
        and not actor.is_hr_admin
        and not actor.manages(manager)
    ):
        # An HR partner looking at a team sees only its people in the departments they cover.
        people = people.filter(actor.partner_scope_q())
    # Only what a row shows: at 50 rows a page, loading three whole people per row (the
    # person, their manager, their department) was a visible share of the page's time.
    return (
        scope(user, people)
        .select_related("manager")
        .only(*ROW_FIELDS, *(f"manager__{name}" for name in NAME_FIELDS))
    )


def manager_for(user: Any, manager_id: int | None) -> Person:
    """Whose team to show: the viewer's own, or (HR, a manager above) someone they may open
    on the hub; anyone else is answered like a missing person."""
    if manager_id is None or manager_id == user.pk:
        return user
    return person_for(user, manager_id)


SORTS = ("flags", "name")  # "Needs attention first" (the default), or by name
FLAGS_CURSOR_LENGTH = 200
# The largest subtree ordered by flags on each visit (the count is computed in SQL per
# person); a larger one is listed by name. See docs/benchmarks.md, "The team hub".
FLAG_SORT_LIMIT = 1000


def flag_count(user: Any, *, today: date, period: Any, among: Any = None) -> Any:
    """The number of flags `flags_for` would raise on each person of a query, as one SQL
    expression (a sum of conditions, each an EXISTS on its feature's index), so a whole
    team, or a whole subtree, can be ordered by it before a page is cut."""
    actor = actor_for(user)
    now = timezone.now()
    new_joiner = Q(start_date__gt=today - timedelta(days=NEW_JOINER_DAYS)) & ~Q(
        meeting_queries.held_on_or_after(user, OuterRef("start_date"))
    )
    one_on_one = new_joiner | (
        ~new_joiner
        & ~Q(meeting_queries.held_on_or_after(user, today - timedelta(NO_ONE_ON_ONE_DAYS - 1)))
        & (
            Q(start_date__isnull=True)
            | Q(start_date__lte=today - timedelta(days=NO_ONE_ON_ONE_DAYS))
        )
    )
    if not (actor is not None and actor.is_hr_admin):
        # The 1:1 flags are raised only where the viewer may see the 1:1s: their reports.
        one_on_one &= Q(manager_id=getattr(user, "pk", None))
    no_feedback = ~Q(
        feedback_queries.received_since(user, now - timedelta(days=NO_FEEDBACK_DAYS))
    ) & (Q(start_date__isnull=True) | Q(start_date__lte=today - timedelta(days=NO_FEEDBACK_DAYS)))
    conditions = [
        one_on_one,
        no_feedback,
        Q(pk__in=review_team.overdue_people(user, today=today, among=among)),
    ]
    stale = goal_team.stale_goal(
        user, period, stale_before=start_of(today - timedelta(days=STALE_GOAL_DAYS - 1))
    )
    if stale is not None:
        conditions.append(Q(stale))
    total: Any = Value(0)
    for condition in conditions:
        total = total + Case(When(condition, then=Value(1)), default=Value(0))
    return ExpressionWrapper(total, output_field=IntegerField())


def encode_flags_cursor(flags: int, person: Person) -> str:
    return pagination.encode_cursor(f"{flags}|{person.sort_name}", person.pk)


def decode_flags_cursor(cursor: str) -> tuple[int, str, int]:
    key, pk = pagination.decode_text_cursor(cursor, max_length=FLAGS_CURSOR_LENGTH)
    count, sep, sort_name = key.partition("|")
    if not sep or not count.isdigit() or len(count) > 2:
        raise BadCursor(pagination.INVALID)
    return int(count), sort_name, pk


def flagged_page(
    people: QuerySet[Person], *, user: Any, today: date, period: Any, cursor: str | None
) -> tuple[list[Person], str | None]:
    """One page of `people`, the most flagged first, then by name: keyset-paginated on
    (flag count descending, sort name, id), the count computed in SQL over all of them."""
    among = people.order_by().values("pk")
    people = people.annotate(flag_count=flag_count(user, today=today, period=period, among=among))
    if cursor:
        count, sort_name, pk = decode_flags_cursor(cursor)
        people = people.filter(
            Q(flag_count__lt=count)
            | Q(flag_count=count, sort_name__gt=sort_name)
            | Q(flag_count=count, sort_name=sort_name, pk__gt=pk)
        )
    rows: list[Any] = list(people.order_by("-flag_count", "sort_name", "pk")[: PAGE_SIZE + 1])
    next_cursor = None
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1]
        next_cursor = encode_flags_cursor(last.flag_count, last)
    return rows[:PAGE_SIZE], next_cursor


def hub_page(
    user: Any,
    *,
    manager: Person,
    subtree: bool = False,
    cursor: str | None = None,
    today: date | None = None,
    sort: str = "flags",
) -> HubPage:
    """One page of the team (50 people), each row with figures and flags: the most flagged
    first across the whole team (`sort="flags"`), or in name order (`sort="name"`).
    BadCursor for a page link we did not make."""
    today = today or timezone.localdate()
    period = goal_queries.current_period(today)
    people = team_people(user, manager, subtree=subtree)
    note = ""
    if (
        sort == "flags"
        and subtree
        and people.order_by()[: FLAG_SORT_LIMIT + 1].count() > FLAG_SORT_LIMIT
    ):
        # Counting flags in SQL costs ~0.1 ms a person: 11 s for 100,000 (docs/benchmarks.md).
        sort = "name"
        note = (
            f"More than {FLAG_SORT_LIMIT:,} people are below you: they are listed by name. "
            "Your direct reports, and each manager's team, are shown the most flagged first."
        )
    if sort == "name":
        page = org_queries.people_page(people, cursor=cursor, limit=PAGE_SIZE)
        found, next_cursor = page.people, page.next_cursor
    else:
        found, next_cursor = flagged_page(
            people, user=user, today=today, period=period, cursor=cursor
        )
    rows = rows_for(user, found, today=today, period=period)
    return HubPage(
        rows=rows, next_cursor=next_cursor, subtree=subtree, period=period, sort=sort, note=note
    )


def person_for(user: Any, person_id: int) -> Person:
    """The person, when the viewer may open their hub page; 404 otherwise (missing and
    denied alike)."""
    if not 0 < person_id <= MAX_ID:
        raise Http404("No such person.")
    person = (
        scope(user, Person.objects.filter(pk=person_id))
        .select_related("manager", "department")
        .first()
    )
    if person is None or not can(user, "team.person", person):
        raise Http404("No such person.")
    return person


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # checkin | feedback | meeting | review
    text: str
    url: str


@dataclass
class PersonDetail:
    row: Row
    period: Any
    goals: list[Any]
    timeline: list[TimelineEntry]


def person_detail(user: Any, person: Person, *, today: date | None = None) -> PersonDetail:
    """Everything the hub shows about one person, in detail, with the last 90 days."""
    today = today or timezone.localdate()
    period = goal_queries.current_period(today)
    row = rows_for(user, [person], today=today, period=period)[0]
    since = start_of(today - timedelta(days=TIMELINE_DAYS))
    entries: list[TimelineEntry] = []
    for checkin in goal_team.recent_checkins(user, person.pk, since=since):
        entries.append(
            TimelineEntry(
                checkin.created_at,
                "checkin",
                f"Checked in on “{checkin.goal.title}”: {checkin.get_health_display().lower()}",
                reverse("goals:detail", args=[checkin.goal_id]),
            )
        )
    for item in feedback_queries.recent_about(user, person.pk, since=since):
        text = (
            f"Feedback from {item.giver.display_name}"
            if item.recipient_id == person.pk
            else f"Gave feedback to {item.recipient.display_name}"
        )
        if item.is_praise:
            text = text.replace("Feedback", "Praise", 1).replace("feedback", "praise", 1)
        entries.append(
            TimelineEntry(
                item.created_at, "feedback", text, reverse("feedback:detail", args=[item.pk])
            )
        )
    for meeting in meeting_queries.recent_meetings(user, person.pk, since=since):
        held = meeting.status == "held"
        entries.append(
            TimelineEntry(
                meeting.starts_at,
                "meeting",
                "1:1 held" if held else "1:1 scheduled",
                reverse("meetings:meeting", args=[meeting.pk])
                if meeting.series.manager_id == user.pk or meeting.series.report_id == user.pk
                else "",
            )
        )
    review = row.review
    if review is not None:
        url = reverse("reviews:participant", args=[review.participant_id])
        for at, what in ((review.shared_at, "shared"), (review.acknowledged_at, "acknowledged")):
            if at is not None and at >= since:
                entries.append(
                    TimelineEntry(at, "review", f"{review.cycle_name}: review {what}", url)
                )
    entries.sort(key=lambda e: e.at, reverse=True)
    return PersonDetail(
        row=row,
        period=period,
        goals=goal_team.person_goals(user, person.pk, period),
        timeline=entries,
    )
