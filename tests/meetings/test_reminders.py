"""The day-before agenda reminder: both people, the agenda so far, exactly once."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

import pytest

from tandem.core.reminders import REMINDERS
from tandem.meetings.reminders import send_agenda_reminders
from tandem.notifications.models import Notification
from tests.meetings.factories import SeriesFactory, add_meeting, agenda_item, pair

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
TODAY = date(2031, 6, 9)


def _meeting_on(day: date, hour: int = 10):  # type: ignore[no-untyped-def]
    manager, report = pair()
    start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)
    series = SeriesFactory(manager=manager, report=report, first_start=start)
    return add_meeting(series, start)


def test_the_reminder_is_registered_with_the_daily_reminders():
    assert send_agenda_reminders in REMINDERS


def test_both_people_hear_about_tomorrows_meeting_and_how_full_its_agenda_is():
    meeting = _meeting_on(date(2031, 6, 10))
    agenda_item(meeting, meeting.series.report, "Conference budget")
    assert send_agenda_reminders(TODAY) == 2
    notes = Notification.objects.filter(kind="meetings.agenda")
    assert {n.person_id for n in notes} == set(meeting.series.participant_ids())
    assert all("1 item on the agenda so far" in n.body for n in notes)
    assert not any("Conference budget" in n.body for n in notes), "the text stays in Tandem"


def test_running_the_reminders_twice_sends_each_once():
    _meeting_on(date(2031, 6, 10))
    assert send_agenda_reminders(TODAY) == 2
    assert send_agenda_reminders(TODAY) == 0
    assert Notification.objects.filter(kind="meetings.agenda").count() == 2


def test_a_meeting_early_tomorrow_local_time_counts_as_tomorrow():
    _meeting_on(date(2031, 6, 10), hour=0)  # 22:00 UTC today
    assert send_agenda_reminders(TODAY) == 2


def test_meetings_today_or_later_than_tomorrow_get_no_reminder_yet():
    _meeting_on(TODAY)
    _meeting_on(date(2031, 6, 11))
    assert send_agenda_reminders(TODAY) == 0
