"""When the meetings of a series fall: the same local wall-clock time on a cadence.

Pure functions (no database), so the recurrence used for the meetings and the one written
into the calendar invitation (RRULE) are one definition.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from tandem.program.models import MeetingCadence

STEP_DAYS = {MeetingCadence.WEEKLY: 7, MeetingCadence.FORTNIGHTLY: 14}
# Every series keeps its weekday, so a 1:1 set on a working day never lands on a weekend.
# Monthly series meet on the same weekday of the same week of the month ("the third
# Thursday"), as calendars do; the fifth one would not exist in every month (and calendars
# would skip those months), so the first meeting must be on day 1–28.
LAST_MONTHLY_DAY = 28
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def week_of_month(day: date) -> int:
    """1 for the first seven days of the month, … 4 for days 22–28, 5 from the 29th."""
    return (day.day - 1) // 7 + 1


def _add_months(local: datetime, months: int) -> datetime:
    """The same weekday of the same week of the month, `months` later."""
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    first = date(year, month, 1)
    offset = (local.weekday() - first.weekday()) % 7
    day = 1 + offset + 7 * (min(week_of_month(local), 4) - 1)
    return local.replace(year=year, month=month, day=day)


def occurrence(first_start: datetime, cadence: str, time_zone: str, k: int) -> datetime:
    """The k-th meeting (k = 0 is the first), as an aware datetime in the series' zone."""
    tz = zone(time_zone)
    local = first_start.astimezone(tz).replace(tzinfo=None)
    if cadence == MeetingCadence.MONTHLY:
        shifted = _add_months(local, k)
    else:
        shifted = local + timedelta(days=STEP_DAYS[MeetingCadence(cadence)] * k)
    # Wall-clock arithmetic, then attach the zone: 10:00 stays 10:00 across DST changes.
    return shifted.replace(tzinfo=tz)


def next_occurrence(
    first_start: datetime, cadence: str, time_zone: str, after: datetime
) -> datetime:
    """The first meeting of the series strictly after `after`."""
    if after < first_start:
        return occurrence(first_start, cadence, time_zone, 0)
    days = (after - first_start).days
    if cadence == MeetingCadence.MONTHLY:
        k = max(0, days // 31 - 1)
    else:
        k = max(0, days // STEP_DAYS[MeetingCadence(cadence)] - 1)
    while True:
        candidate = occurrence(first_start, cadence, time_zone, k)
        if candidate > after:
            return candidate
        k += 1
