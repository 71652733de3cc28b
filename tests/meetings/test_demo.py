"""The demo's 1:1s fall where real ones do: on working days, in working hours, in the
manager's time zone — for every meeting of every series, past and upcoming."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest

from tandem.meetings.models import Meeting, Series
from tests.demo_once import demo_for_module

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

# Across the March daylight-saving changes in Europe and America, and Auckland's in April.
TODAY = date(2026, 3, 20)
SMALL = 120


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with demo_for_module(django_db_blocker, people=SMALL, seed=9, today=TODAY):
        yield


def test_the_demo_has_1_1s_in_several_time_zones_and_every_cadence(loaded: None) -> None:
    series = Series.objects.all()
    assert Meeting.objects.count() > 100
    assert len(set(series.values_list("time_zone", flat=True))) > 1
    assert set(series.values_list("cadence", flat=True)) >= {"monthly", "fortnightly"}


def test_every_series_is_in_its_managers_time_zone(loaded: None) -> None:
    for series in Series.objects.select_related("manager"):
        assert series.time_zone == series.manager.time_zone


def test_no_demo_1_1_falls_on_a_saturday_or_sunday_in_the_managers_zone(loaded: None) -> None:
    weekend = []
    for meeting in Meeting.objects.select_related("series"):
        local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.series.time_zone))
        if local.weekday() >= 5:
            weekend.append((meeting.series.cadence, meeting.series.time_zone, local))
    assert weekend == []


def test_every_demo_1_1_is_within_working_hours_in_the_managers_zone(loaded: None) -> None:
    for meeting in Meeting.objects.select_related("series"):
        tz = zoneinfo.ZoneInfo(meeting.series.time_zone)
        start, end = meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz)
        assert start.time() >= time(9, 0) and end.time() <= time(17, 0), (start, end)
        assert start.date() == end.date()
