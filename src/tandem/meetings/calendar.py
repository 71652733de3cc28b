"""Calendar invitations (iCalendar, RFC 5545) for a 1:1 series and for one meeting.

Built with the `icalendar` library, never by hand: escaping, line folding and time-zone
definitions (VTIMEZONE) are its job. Times are written in the series' time zone (TZID), so a
calendar keeps a 10:00 1:1 at 10:00 across daylight-saving changes. The invitation carries
no agenda or notes: calendars are often shared, and 1:1 content is between the two people.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vRecur, vText

from tandem.meetings import schedule
from tandem.meetings.models import Meeting, Series
from tandem.org.models import Person
from tandem.program.models import MeetingCadence

PRODID = "-//Tandem//1:1s//EN"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "tandem.local"


def _attendee(person: Person, *, organizer: bool = False) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = vText(person.display_name)
    if not organizer:
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("NEEDS-ACTION")
        address.params["RSVP"] = vText("TRUE")
    return address


def _calendar(method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    return cal


def _event(series: Series, uid: str, start: object, minutes: int, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", f"1:1 {series.manager.display_name} / {series.report.display_name}")
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))  # type: ignore[operator]
    event.add("url", url)
    event.add(
        "description",
        f"Agenda, notes and action items: {url}\nPrivate notes stay with their author.",
    )
    event["organizer"] = _attendee(series.manager, organizer=True)
    event.add("attendee", _attendee(series.manager), encode=False)
    event.add("attendee", _attendee(series.report), encode=False)
    return event


def rrule_for(series: Series) -> dict[str, object]:
    if series.cadence == MeetingCadence.MONTHLY:
        local = series.first_start.astimezone(schedule.zone(series.time_zone))
        week = min(schedule.week_of_month(local.date()), 4)
        return {"freq": "monthly", "byday": f"{week}{schedule.WEEKDAY_CODES[local.weekday()]}"}
    return {"freq": "weekly", "interval": schedule.STEP_DAYS[MeetingCadence(series.cadence)] // 7}


def series_calendar(series: Series, *, first: Meeting | None = None) -> bytes:
    """The whole series as one recurring event (sent when the series starts)."""
    tz = schedule.zone(series.time_zone)
    start_at = first.slot if first is not None else series.first_start
    start = start_at.astimezone(tz)
    url = settings.SITE_URL + reverse("meetings:series", args=[series.pk])
    cal = _calendar("REQUEST")
    event = _event(
        series, f"tandem-1on1-series-{series.pk}@{_host()}", start, series.duration_minutes, url
    )
    event.add("rrule", vRecur(rrule_for(series)))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_calendar(meeting: Meeting) -> bytes:
    """One meeting, with its own (possibly rescheduled) time."""
    series = meeting.series
    tz = schedule.zone(series.time_zone)
    url = settings.SITE_URL + reverse("meetings:meeting", args=[meeting.pk])
    minutes = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    cal = _calendar("PUBLISH")
    event = _event(
        series,
        f"tandem-1on1-meeting-{meeting.pk}@{_host()}",
        meeting.starts_at.astimezone(tz),
        minutes,
        url,
    )
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
