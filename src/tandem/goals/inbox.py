"""The goals' entry in "Things waiting for you": this week's check-in, until it is written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tandem.goals.models import WeeklyCheckIn
from tandem.goals.queries.checkins import week_start_of
from tandem.goals.reminders import is_checkin_week
from tandem.notifications.inbox import InboxItem, register_provider
from tandem.org.models import PersonStatus
from tandem.program.models import CheckinCadence, Program


@register_provider
def weekly_checkin_due(person: Any) -> list[InboxItem]:
    """Two queries (the program, one EXISTS): nothing when the company has weekly check-ins
    off, in an off week of a fortnightly cadence, or once this week's is written."""
    if getattr(person, "status", PersonStatus.ACTIVE) != PersonStatus.ACTIVE:
        return []
    program = Program.current()
    if program.checkin_cadence == CheckinCadence.OFF:
        return []
    week_start = week_start_of(timezone.localdate())
    if not is_checkin_week(week_start, program.checkin_cadence):
        return []
    written = WeeklyCheckIn.objects.filter(
        person_id=person.pk, week_start=week_start, submitted_at__isnull=False
    ).exists()
    if written:
        return []
    return [
        InboxItem(
            kind="goals.checkin",
            title="Write your weekly check-in",
            url=reverse("goals:weekly"),
            due=week_start + timedelta(days=program.checkin_reminder_weekday),
            source="Goals",
        )
    ]
