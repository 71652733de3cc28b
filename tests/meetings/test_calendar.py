"""Calendar invitations parse with icalendar and carry the right times and attendees."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tandem.meetings.calendar import meeting_calendar, series_calendar
from tandem.meetings.schedule import next_occurrence, occurrence
from tests.meetings.factories import SeriesFactory, add_meeting, pair

pytestmark = [pytest.mark.django_db, pytest.mark.dates]
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _event(raw: bytes):  # type: ignore[no-untyped-def]
    calendar = Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _attendees(event) -> set[str]:  # type: ignore[no-untyped-def]
    values = event.get("attendee")
    values = values if isinstance(values, list) else [values]
    return {str(v).lower() for v in values}


def test_a_meeting_file_has_its_time_in_the_series_time_zone_and_both_attendees():
    manager, report = pair()
    start = datetime(2031, 3, 4, 10, 30, tzinfo=BERLIN)
    series = SeriesFactory(manager=manager, report=report, first_start=start, duration_minutes=45)
    meeting = add_meeting(series, start)
    calendar, event = _event(meeting_calendar(meeting))
    dtstart = event.decoded("dtstart")
    assert dtstart == start
    assert dtstart.tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert event.decoded("dtend") - dtstart == timedelta(minutes=45)
    assert _attendees(event) == {f"mailto:{manager.email}", f"mailto:{report.email}"}
    assert str(event["organizer"]).lower() == f"mailto:{manager.email}"
    assert calendar.walk("VTIMEZONE"), "the file defines its time zone"


def test_a_series_file_is_one_recurring_event_on_the_cadence():
    manager, report = pair()
    start = datetime(2031, 3, 4, 9, 0, tzinfo=BERLIN)
    series = SeriesFactory(manager=manager, report=report, first_start=start, cadence="fortnightly")
    _, event = _event(series_calendar(series))
    rule = event["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["INTERVAL"] == [2]
    assert event.decoded("dtstart") == start
    assert _attendees(event) == {f"mailto:{manager.email}", f"mailto:{report.email}"}


def test_the_file_carries_no_agenda_or_notes():
    manager, report = pair()
    series = SeriesFactory(manager=manager, report=report)
    meeting = add_meeting(series, series.first_start, shared_notes="Secret shared notes")
    assert b"Secret shared notes" not in meeting_calendar(meeting)


def test_meetings_keep_their_local_time_across_daylight_saving():
    start = datetime(2031, 3, 18, 10, 0, tzinfo=BERLIN)  # CET; DST starts 30 March
    later = occurrence(start, "fortnightly", "Europe/Berlin", 1)
    assert later.astimezone(BERLIN).hour == 10
    assert later.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=14, hours=-1)


def test_monthly_meetings_keep_their_weekday_and_week_of_the_month():
    start = datetime(2031, 1, 15, 10, 0, tzinfo=BERLIN)  # the third Wednesday
    assert occurrence(start, "monthly", "Europe/Berlin", 13).date().isoformat() == "2032-02-18"
    after = datetime(2031, 5, 20, tzinfo=BERLIN)
    assert next_occurrence(start, "monthly", "Europe/Berlin", after).date().isoformat() == (
        "2031-05-21"
    )


@pytest.mark.parametrize("cadence", ["weekly", "fortnightly", "monthly"])
@pytest.mark.parametrize(
    ("time_zone", "start"),
    [
        ("Europe/Berlin", (2031, 1, 6, 9, 0)),  # a Monday, DST from 30 March
        ("America/New_York", (2031, 2, 28, 16, 30)),  # a Friday, DST from 9 March
        ("Pacific/Auckland", (2031, 3, 24, 9, 0)),  # a Monday: Sunday in UTC
    ],
)
def test_a_series_keeps_its_weekday_and_time_in_its_zone_across_daylight_saving(
    cadence, time_zone, start
):
    tz = zoneinfo.ZoneInfo(time_zone)
    first = start = datetime(*start, tzinfo=tz)
    for k in range(-12, 25):
        local = occurrence(first, cadence, time_zone, k).astimezone(tz)
        assert local.weekday() == start.weekday(), (cadence, k, local)
        assert (local.hour, local.minute) == (start.hour, start.minute)


def test_a_monthly_invitation_repeats_on_the_same_weekday_of_the_week():
    manager, report = pair(time_zone="Pacific/Auckland")
    first = datetime(2031, 3, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Pacific/Auckland"))
    series = SeriesFactory(
        manager=manager,
        report=report,
        cadence="monthly",
        first_start=first,
        time_zone="Pacific/Auckland",
    )
    assert b"RRULE:FREQ=MONTHLY;BYDAY=3TH" in series_calendar(series)
