"""Factories for 1:1s. Series are written directly (not through the services) so tests can
put meetings in the past, which the services rightly refuse."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tandem.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    PrivateNote,
    Series,
    SeriesStatus,
)
from tandem.org.models import Person
from tests.factories import PersonFactory


class SeriesFactory(DjangoModelFactory):
    class Meta:
        model = Series

    manager = factory.SubFactory(PersonFactory)
    report = factory.SubFactory(PersonFactory, manager=factory.SelfAttribute("..manager"))
    status = SeriesStatus.ACTIVE
    cadence = "weekly"
    first_start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    duration_minutes = 30
    time_zone = "Europe/Berlin"


def add_meeting(
    series: Series, starts_at: datetime, *, status: str = MeetingStatus.SCHEDULED, **kwargs: Any
) -> Meeting:
    return Meeting.objects.create(
        series=series,
        slot=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=series.duration_minutes),
        status=status,
        held_at=starts_at if status == MeetingStatus.HELD else None,
        **kwargs,
    )


def pair(**kwargs: Any) -> tuple[Person, Person]:
    manager = PersonFactory(**kwargs)
    report = PersonFactory(manager=manager, department=manager.department)
    return manager, report


def series_with_meeting(
    manager: Person, report: Person, *, starts_at: datetime | None = None, **kwargs: Any
) -> tuple[Series, Meeting]:
    start = starts_at or timezone.now() + timedelta(hours=2)
    series = SeriesFactory(manager=manager, report=report, first_start=start, **kwargs)
    return series, add_meeting(series, start)


def agenda_item(meeting: Meeting, author: Person, text: str, position: int = 1) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, author=author, text=text, position=position)


def private_note(meeting: Meeting, author: Person, text: str) -> PrivateNote:
    return PrivateNote.objects.create(meeting=meeting, author=author, text=text)


def action_item(meeting: Meeting, owner: Person, text: str, **kwargs: Any) -> ActionItem:
    return ActionItem.objects.create(
        series=meeting.series,
        origin=meeting,
        origin_starts_at=meeting.starts_at,
        owner=owner,
        created_by=owner,
        text=text,
        **kwargs,
    )
