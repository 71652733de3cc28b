"""Defects found in review: times out of range that answered 500, and a reminder that ran
queries per meeting."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.meetings.models import Meeting, MeetingStatus, Series
from tandem.meetings.reminders import send_agenda_reminders
from tandem.notifications.models import Notification
from tests.meetings.factories import SeriesFactory, add_meeting, pair, series_with_meeting

pytestmark = pytest.mark.django_db

OUT_OF_UTC = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


def _cursor(stamp: str, pk: int = 1) -> str:
    return base64.urlsafe_b64encode(json.dumps([stamp, pk]).encode()).decode().rstrip("=")


def _send(client, method: str, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("stamp", OUT_OF_UTC)
def test_a_history_cursor_outside_utc_is_a_clear_message_not_a_500(client_for, stamp):
    manager, report = pair()
    series, _ = series_with_meeting(manager, report)
    add_meeting(series, timezone.now() - timedelta(days=7), status=MeetingStatus.HELD)
    response = client_for(manager).get(f"/one-on-ones/{series.pk}/", {"cursor": _cursor(stamp)})
    assert response.status_code == 200
    assert response.context["cursor_error"]
    assert len(response.context["page"].entries) == 1


@pytest.mark.parametrize("stamp", OUT_OF_UTC)
def test_a_meetings_cursor_outside_utc_is_a_422_naming_the_cursor(bearer_for, stamp):
    manager, report = pair()
    series, _ = series_with_meeting(manager, report)
    response = bearer_for(manager).get(
        f"/api/v1/one-on-ones/series/{series.pk}/meetings", {"cursor": _cursor(stamp)}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "cursor"


def test_moving_a_meeting_to_the_end_of_time_is_a_422_naming_the_field(bearer_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    before = meeting.starts_at
    response = _send(
        bearer_for(manager),
        "PATCH",
        f"/api/v1/one-on-ones/meetings/{meeting.pk}",
        {"starts_at": "9999-12-31T23:59:00-05:00"},
    )
    assert response.status_code == 422
    assert "starts_at" in json.dumps(response.json())
    meeting.refresh_from_db()
    assert meeting.starts_at == before


def test_a_series_starting_at_the_end_of_time_is_a_422_naming_the_field(bearer_for):
    manager, report = pair()
    response = _send(
        bearer_for(manager),
        "POST",
        "/api/v1/one-on-ones/series",
        {"report": report.pk, "first_start": "9999-12-31T23:59:00-05:00", "cadence": "weekly"},
    )
    assert response.status_code == 422
    assert "first_start" in json.dumps(response.json())
    assert not Series.objects.exists()
    assert not Meeting.objects.exists()


def _tomorrow_meeting(today):  # type: ignore[no-untyped-def]
    manager, report = pair()
    start = datetime(today.year, today.month, today.day, 10, 0, tzinfo=UTC) + timedelta(days=1)
    series = SeriesFactory(manager=manager, report=report, first_start=start, time_zone="UTC")
    return add_meeting(series, start)


def test_the_agenda_reminder_costs_the_same_queries_for_many_meetings_as_for_a_few():
    today = date(2031, 6, 9)
    for _ in range(2):
        _tomorrow_meeting(today)
    with CaptureQueriesContext(connection) as few:
        assert send_agenda_reminders(today) == 4
    for _ in range(20):
        _tomorrow_meeting(today)
    with CaptureQueriesContext(connection) as many:
        assert send_agenda_reminders(today) == 40
    assert len(many) <= len(few), f"{len(few)} queries for 2 meetings, {len(many)} for 20"
    assert Notification.objects.filter(kind="meetings.agenda").count() == 44
