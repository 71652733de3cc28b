"""The demo's story for managers (issue 13), written after every feature's demo data.

Each feature's demo draws its rows at random, so what the demo manager's team hub flags
would change with the date the demo is built. This part makes it tell one story on any
date: of the demo manager's reports, exactly two need them —

- one whose 1:1s slipped: the last one was held more than 30 days ago (the next one is
  still on the calendar);
- one who went quiet: goals without a check-in for three weeks, and no feedback the
  manager can see in 60 days;

and the others are in good shape (a 1:1 in the last fortnight, feedback within 60 days,
every goal checked in within three weeks). It also fills the feedback coach's counts for
HR (`/hr/coach/`) and gives the employee log-in a piece of feedback the coach would have
suggested changes to.

It sits in the site app because it touches several features' rows at once, and the site
is the one layer that may (docs/architecture.md). It runs after the goals, feedback and
1:1s demos and before the reviews demo, which writes its answers from the goals and
feedback as this part leaves them.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q

from tandem.coach.models import CoachTally
from tandem.feedback.models import Feedback, Visibility
from tandem.goals.models import CheckIn, Goal, GoalState, KeyResult, Milestone
from tandem.goals.queries.goals import current_period
from tandem.goals.services._common import refresh_progress
from tandem.meetings.models import Meeting, MeetingStatus, Series, SeriesKind
from tandem.org.demo import DEMO_DOMAIN, Progress, register_demo_before
from tandem.org.models import Person, PersonStatus

SLIPPED_DAYS = 40  # the slipped report's last 1:1: well past the hub's 30 days
RECENT_ONE_ON_ONE_DAYS = 14
QUIET_FEEDBACK_DAYS = 62  # past the hub's 60 days
STALE_DAYS = 24  # past the hub's 21 days

# Feedback the coach would have had something to say about (vague, absolute, a hedge):
# the kind of text the coach exists for, as people write it before they meet it.
UNCOACHED = (
    "Great job on the release. You always deliver!",
    "Good work this quarter, I guess. Maybe try to be a bit more proactive?",
)
WELL_WRITTEN = (
    "In Tuesday's planning you split the migration into three releases we could ship "
    "separately; the team left with a plan everyone understood and the first part went "
    "out on Thursday.",
    "When the export failed on Friday you wrote the customer update before anyone asked; "
    "support closed the ticket the same day instead of fielding a week of follow-ups.",
)
# How often each rule fires per 100 texts of a department in a month, and how often the
# writer changes the text after seeing it: the shapes HR would see after a few months.
TALLY_RATES = {
    "vague": (9, 0.55),
    "absolute": (5, 0.45),
    "hedge": (4, 0.35),
    "personality": (2, 0.7),
    "sarcasm": (1, 0.6),
    "too_short": (6, 0.3),
    "shouting": (1, 0.8),
}
TALLY_KINDS = {"feedback": 1.0, "praise": 0.6, "review": 0.4, "request": 0.3}
TALLY_MONTHS = 3
TALLY_MIN_PEOPLE = 5


@register_demo_before("reviews")
def load_demo(*, seed: int, today: date, progress: Progress) -> None:
    rng = random.Random(seed * 31 + 13)  # noqa: S311 (demo data, not secrets)
    now = datetime.combine(today, time(9), tzinfo=UTC)
    progress("team story", 0, 3)
    manager = Person.objects.filter(email=f"manager@{DEMO_DOMAIN}").first()
    if manager is not None:
        reports = list(
            Person.objects.filter(manager=manager).exclude(status=PersonStatus.LEFT).order_by("pk")
        )
        others = [r for r in reports if r.email != f"employee@{DEMO_DOMAIN}"]
        if len(others) >= 2:
            slipped, quiet = others[0], others[1]
            for person in reports:
                if person not in (slipped, quiet):
                    _recent_one_on_one(person, now)
                    _feedback_within_60_days(person, manager, now, rng)
                    _goals_checked_in(person, today, now)
            _slip_one_on_ones(slipped, now)
            _feedback_within_60_days(slipped, manager, now, rng)
            _goals_checked_in(slipped, today, now)
            _recent_one_on_one(quiet, now)
            _go_quiet(quiet, manager, today, now)
    progress("team story", 1, 3)
    _uncoached_feedback(now)
    progress("team story", 2, 3)
    _coach_tallies(today, rng)
    progress("team story", 3, 3)


load_demo.demo_part = "team story"  # type: ignore[attr-defined]  # the part's name in the table


def _direct_series(person: Person) -> Series | None:
    return (
        Series.objects.filter(report=person, kind=SeriesKind.DIRECT, manager=person.manager_id)
        .order_by("pk")
        .first()
    )


def _recent_one_on_one(person: Person, now: datetime) -> None:
    """Move the last 1:1 held into the last fortnight, by whole weeks (same weekday and
    hour), when it is older."""
    series = _direct_series(person)
    if series is None:
        return
    last = (
        Meeting.objects.filter(series=series, status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .first()
    )
    if last is None or last.starts_at >= now - timedelta(days=RECENT_ONE_ON_ONE_DAYS):
        return
    weeks = (now - timedelta(days=RECENT_ONE_ON_ONE_DAYS) - last.starts_at).days // 7 + 1
    shift = timedelta(weeks=weeks)
    Meeting.objects.filter(pk=last.pk).update(
        slot=F("slot") + shift,
        starts_at=F("starts_at") + shift,
        ends_at=F("ends_at") + shift,
        held_at=F("held_at") + shift,
    )


def _slip_one_on_ones(person: Person, now: datetime) -> None:
    """The 1:1s of the last SLIPPED_DAYS did not happen (the next one stays booked)."""
    series = _direct_series(person)
    if series is None:
        return
    Meeting.objects.filter(
        series=series,
        status=MeetingStatus.HELD,
        starts_at__gte=now - timedelta(days=SLIPPED_DAYS),
    ).delete()


def _manager_can_read(manager: Person) -> Q:
    return Q(visibility__in=(Visibility.WITH_MANAGER, Visibility.PUBLIC)) | Q(giver=manager)


def _feedback_within_60_days(
    person: Person, manager: Person, now: datetime, rng: random.Random
) -> None:
    since = now - timedelta(days=55)
    visible = Feedback.objects.filter(recipient=person, created_at__gte=since)
    if visible.filter(_manager_can_read(manager)).exists():
        return
    teammate = (
        Person.objects.filter(manager=manager, status=PersonStatus.ACTIVE)
        .exclude(pk=person.pk)
        .order_by("pk")
        .first()
    )
    Feedback.objects.create(
        giver=teammate or manager,
        recipient=person,
        recipient_manager=manager,
        visibility=Visibility.WITH_MANAGER,
        text=rng.choice(WELL_WRITTEN),
        created_at=now - timedelta(days=rng.randint(6, 20), hours=rng.randint(0, 6)),
    )


def _active_goals(person: Person, today: date) -> list[Goal]:
    period = current_period(today)
    if period is None:
        return []
    return list(Goal.objects.filter(owner=person, period=period, state=GoalState.ACTIVE))


def _goals_checked_in(person: Person, today: date, now: datetime) -> None:
    """A check-in (no change in value) on every active goal last checked in over two
    weeks ago: the owner keeps them current."""
    for goal in _active_goals(person, today):
        since = goal.last_checkin_at or goal.created_at
        if since >= now - timedelta(days=14):
            continue
        at = now - timedelta(days=3, hours=2)
        CheckIn.objects.create(
            goal=goal,
            author=person,
            created_at=at,
            health=goal.health,
            confidence=7,
            note="No change this week: still waiting on the vendor's sandbox.",
            progress=goal.progress,
            values=[],
        )
        Goal.objects.filter(pk=goal.pk).update(last_checkin_at=at)


def _go_quiet(person: Person, manager: Person, today: date, now: datetime) -> None:
    """No check-in for STALE_DAYS (the check-ins since are undone, values rolled back) and
    no feedback the manager can read in the last QUIET_FEEDBACK_DAYS (moved earlier)."""
    cutoff = now - timedelta(days=STALE_DAYS)
    for goal in _active_goals(person, today):
        recent = list(CheckIn.objects.filter(goal=goal, created_at__gte=cutoff).order_by("-pk"))
        for checkin in recent:  # newest first: each restores the value before it
            for change in checkin.values or ():
                if not isinstance(change, dict) or change.get("old") in (None, ""):
                    continue
                if isinstance(change.get("key_result"), int):
                    KeyResult.objects.filter(pk=change["key_result"], goal=goal).update(
                        current_value=Decimal(str(change["old"]))
                    )
        CheckIn.objects.filter(pk__in=[c.pk for c in recent]).delete()
        Milestone.objects.filter(key_result__goal=goal, done_at__gte=cutoff).update(done_at=None)
        remaining = CheckIn.objects.filter(goal=goal).order_by("-created_at", "-pk").first()
        refresh_progress(goal)  # from the values and milestones as they were
        # The goal reads as of the last check-in left (or as new, with none left).
        Goal.objects.filter(pk=goal.pk).update(
            last_checkin_at=remaining.created_at if remaining else None,
            health=remaining.health if remaining else "",
        )
        if goal.created_at >= cutoff:
            Goal.objects.filter(pk=goal.pk).update(created_at=cutoff - timedelta(days=7))
    since = now - timedelta(days=QUIET_FEEDBACK_DAYS)
    Feedback.objects.filter(
        _manager_can_read(manager), recipient=person, created_at__gte=since
    ).update(created_at=F("created_at") - timedelta(days=QUIET_FEEDBACK_DAYS))


def _uncoached_feedback(now: datetime) -> None:
    """Feedback for the employee log-in written the way people write before the coach
    (its page shows what the coach would suggest today)."""
    employee = Person.objects.filter(email=f"employee@{DEMO_DOMAIN}").first()
    if employee is None or employee.manager_id is None:
        return
    peer = (
        Person.objects.filter(manager_id=employee.manager_id, status=PersonStatus.ACTIVE)
        .exclude(pk=employee.pk)
        .order_by("-pk")
        .first()
    )
    if peer is None:
        return
    for days, text in zip((9, 23), UNCOACHED, strict=True):
        Feedback.objects.create(
            giver=peer,
            recipient=employee,
            recipient_manager_id=employee.manager_id,
            visibility=Visibility.WITH_MANAGER,
            text=text,
            created_at=now - timedelta(days=days),
        )


def _coach_tallies(today: date, rng: random.Random) -> None:
    """Three months of the coach's counts per department, rule and kind of text."""
    # Counted by the writer's own department, as the coach counts; small teams are left out.
    departments = list(
        Person.objects.filter(status=PersonStatus.ACTIVE, department__isnull=False)
        .values("department")
        .annotate(people=Count("pk"))
        .filter(people__gte=TALLY_MIN_PEOPLE)
        .order_by("department")
        .values_list("department", flat=True)
    )
    month = today.replace(day=1)
    months = []
    for _ in range(TALLY_MONTHS):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    rows = []
    for department in departments:
        texts = rng.randint(40, 160)
        for first in months:
            for kind, share in TALLY_KINDS.items():
                for rule, (per_hundred, change_rate) in TALLY_RATES.items():
                    fired = round(texts * share * per_hundred / 100 * rng.uniform(0.6, 1.4))
                    if not fired:
                        continue
                    changed = sum(rng.random() < change_rate for _ in range(fired))
                    rows.append(
                        CoachTally(
                            department_id=department,
                            kind=kind,
                            rule=rule,
                            month=first,
                            fired=fired,
                            changed=changed,
                        )
                    )
    CoachTally.objects.bulk_create(rows, ignore_conflicts=True)
