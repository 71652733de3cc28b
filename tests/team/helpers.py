"""Building a manager's team for the hub's tests."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from tandem.goals.models import Goal
from tandem.meetings.models import MeetingStatus
from tandem.org.models import Person
from tests.factories import PersonFactory
from tests.goals.factories import GoalFactory
from tests.meetings.factories import SeriesFactory, add_meeting

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# Pinned "now": a Monday, 10:00 in Berlin (the factories' time zone, so the viewer's).
NOW = datetime(2026, 6, 15, 8, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def at(day: date, hour: int = 12) -> datetime:
    """`day` at `hour` o'clock in Berlin, as an aware time."""
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def days_ago(days: int, hour: int = 12) -> datetime:
    return at(TODAY - timedelta(days=days), hour)


def report_of(manager: Person, **kwargs: Any) -> Person:
    kwargs.setdefault("start_date", TODAY - timedelta(days=400))
    kwargs.setdefault("department", manager.department)
    return PersonFactory(manager=manager, **kwargs)


def goal(
    owner: Person,
    *,
    progress: str = "0",
    health: str = "",
    checked_in: datetime | None = None,
    **kwargs: Any,
) -> Goal:
    made = GoalFactory(owner=owner, **kwargs)
    Goal.objects.filter(pk=made.pk).update(
        progress=Decimal(progress),
        health=health,
        last_checkin_at=checked_in,
        created_at=checked_in or days_ago(100),
    )
    made.refresh_from_db()
    return made


def held_one_on_one(manager: Person, report: Person, when: datetime) -> Any:
    series = SeriesFactory(manager=manager, report=report, first_start=when)
    add_meeting(series, when, status=MeetingStatus.HELD)
    return series
