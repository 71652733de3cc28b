"""1:1 writes: series, meetings, agenda, action items, carry-over, bad input."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.rules import NotAllowed
from tandem.meetings import queries, schedule, services
from tandem.meetings.models import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingStatus,
    Series,
    SeriesKind,
    SeriesStatus,
)
from tandem.notifications.models import Notification
from tandem.program.models import Program
from tests.factories import PersonFactory
from tests.meetings.factories import action_item, add_meeting, pair, series_with_meeting

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def soon(days: int = 2) -> timezone.datetime:
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0)


@pytest.mark.dates
def test_a_manager_starts_a_series_and_its_first_meeting_is_scheduled():
    manager, report = pair()
    series = services.create_series(
        by=manager, report=report, cadence="weekly", first_start=soon(), duration_minutes=45
    )
    meeting = Meeting.objects.get(series=series)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.starts_at == soon() or meeting.starts_at == series.first_start
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=45)


@pytest.mark.dates
def test_the_cadence_defaults_to_the_programs():
    Program.objects.update_or_create(pk=1, defaults={"one_on_one_cadence": "monthly"})
    manager, report = pair()
    first = soon().replace(day=1) + timedelta(days=32)
    series = services.create_series(by=manager, report=report, first_start=first)
    assert series.cadence == "monthly"


# The day of the month is the series' (the manager's zone): 00:30 on 29 January in Berlin is
# still the 28th in UTC, and 2027 has no 29 February for the next meeting.
@pytest.mark.time_machine(datetime(2027, 1, 20, 12, 0, tzinfo=UTC))
@pytest.mark.dates
def test_a_monthly_series_starting_on_the_29th_in_the_managers_zone_is_refused():
    manager, report = pair()  # Europe/Berlin
    with pytest.raises(ValidationError) as refused:
        services.create_series(
            by=manager,
            report=report,
            cadence="monthly",
            first_start=datetime(2027, 1, 29, 0, 30, tzinfo=BERLIN),
        )
    assert "day 1 to 28" in refused.value.message_dict["first_start"][0]
    assert not Series.objects.exists()


# 20:00 on 28 January in Los Angeles is the 29th in UTC; the series keeps the 28th there.
@pytest.mark.time_machine(datetime(2027, 1, 20, 12, 0, tzinfo=UTC))
@pytest.mark.dates
def test_a_monthly_series_on_the_28th_in_the_managers_zone_is_accepted_whatever_the_utc_day():
    los_angeles = zoneinfo.ZoneInfo("America/Los_Angeles")
    manager, report = pair(time_zone="America/Los_Angeles")
    first = datetime(2027, 1, 28, 20, 0, tzinfo=los_angeles)
    series = services.create_series(by=manager, report=report, cadence="monthly", first_start=first)
    second = schedule.occurrence(series.first_start, series.cadence, series.time_zone, 1)
    # 28 Jan 2027 is the fourth Thursday in Los Angeles (already the 29th in UTC).
    assert second == datetime(2027, 2, 25, 20, 0, tzinfo=los_angeles)


@pytest.mark.dates
def test_a_first_meeting_in_the_past_is_refused_naming_the_field_and_nothing_is_saved():
    manager, report = pair()
    with pytest.raises(ValidationError) as refused:
        services.create_series(
            by=manager,
            report=report,
            cadence="weekly",
            first_start=timezone.now() - timedelta(hours=1),
        )
    assert "first_start" in refused.value.message_dict
    assert "past" in refused.value.message_dict["first_start"][0]
    assert not Series.objects.exists()
    assert not Meeting.objects.exists()


def test_only_the_reports_manager_can_start_their_series():
    manager, report = pair()
    stranger = PersonFactory()
    with pytest.raises(NotAllowed):
        services.create_series(by=stranger, report=report, cadence="weekly", first_start=soon())
    assert not Series.objects.exists()


def test_a_second_open_series_with_the_same_report_is_refused():
    manager, report = pair()
    services.create_series(by=manager, report=report, cadence="weekly", first_start=soon())
    with pytest.raises(ValidationError) as refused:
        services.create_series(by=manager, report=report, cadence="weekly", first_start=soon(3))
    assert "report" in refused.value.message_dict


def test_the_invitation_goes_to_both_people_with_a_calendar_file(
    django_capture_on_commit_callbacks,
):
    manager, report = pair()
    with django_capture_on_commit_callbacks(execute=True):
        services.create_series(by=manager, report=report, cadence="weekly", first_start=soon())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([manager.email, report.email])
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert b"RRULE:FREQ=WEEKLY" in (content if isinstance(content, bytes) else content.encode())


# A monthly 1:1 must start on day 1–28, so "a few days from now" fails from the 26th on:
# today is pinned to 10 March 2026 and the first meeting is on the 13th.
@pytest.mark.time_machine(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
@pytest.mark.dates
def test_a_skip_level_request_becomes_a_series_when_the_skip_manager_accepts(
    django_capture_on_commit_callbacks,
):
    skip = PersonFactory()
    manager = PersonFactory(manager=skip)
    report = PersonFactory(manager=manager)
    series = services.request_skip_level(
        by=report, cadence="monthly", first_start=datetime(2026, 3, 13, 10, 0, tzinfo=BERLIN)
    )
    assert series.kind == SeriesKind.SKIP_LEVEL and series.status == SeriesStatus.REQUESTED
    assert series.manager == skip
    assert not Meeting.objects.filter(series=series).exists()
    with pytest.raises(NotAllowed):
        services.answer_skip_level(by=manager, series=series, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_skip_level(by=skip, series=series, accept=True)
    series.refresh_from_db()
    assert series.status == SeriesStatus.ACTIVE
    assert Meeting.objects.filter(series=series, status=MeetingStatus.SCHEDULED).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.dates
def test_marking_a_meeting_held_schedules_the_next_one_on_the_cadence():
    manager, report = pair()
    start = timezone.now() - timedelta(hours=1)
    series, meeting = series_with_meeting(manager, report, starts_at=start, cadence="fortnightly")
    upcoming = services.hold_meeting(by=report, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert upcoming.status == MeetingStatus.SCHEDULED
    local = upcoming.starts_at.astimezone(timezone.get_fixed_timezone(0))
    assert upcoming.starts_at > timezone.now()
    assert (upcoming.starts_at.astimezone(series.first_start.tzinfo) - start).days in (13, 14)
    assert local.tzinfo is not None


@pytest.mark.dates
def test_a_meeting_cannot_be_marked_held_before_its_day():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.hold_meeting(by=manager, meeting=meeting)
    assert "status" in refused.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_an_action_item_without_an_owner_is_refused_naming_the_field():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    with pytest.raises(ValidationError) as refused:
        services.add_action_item(by=manager, meeting=meeting, text="Send the draft", owner=None)
    assert "owner" in refused.value.message_dict
    assert not ActionItem.objects.exists()


def test_an_action_item_owned_by_someone_outside_the_one_on_one_is_refused():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    with pytest.raises(ValidationError) as refused:
        services.add_action_item(
            by=manager, meeting=meeting, text="Send the draft", owner=PersonFactory()
        )
    assert "owner" in refused.value.message_dict


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_empty_or_oversized_agenda_text_is_refused_naming_the_field(text):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    with pytest.raises(ValidationError) as refused:
        services.add_agenda_item(by=report, meeting=meeting, text=text)
    assert "text" in refused.value.message_dict
    assert not AgendaItem.objects.exists()


def test_user_text_is_stored_as_written():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    item = services.add_agenda_item(by=report, meeting=meeting, text="<script>alert(1)</script>")
    assert item.text == "<script>alert(1)</script>"


def test_agenda_items_can_be_reordered_and_ticked_off():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    first = services.add_agenda_item(by=report, meeting=meeting, text="Promotion")
    second = services.add_agenda_item(by=manager, meeting=meeting, text="Holiday plans")
    services.move_agenda_item(by=report, item=second, direction="up")
    assert [i.text for i in queries.agenda(meeting)] == ["Holiday plans", "Promotion"]
    services.update_agenda_item(by=manager, item=first, done=True)
    assert AgendaItem.objects.get(pk=first.pk).done


@pytest.mark.dates
def test_an_unfinished_action_item_carries_over_to_the_next_meeting():
    manager, report = pair()
    start = timezone.now() - timedelta(hours=1)
    _, meeting = series_with_meeting(manager, report, starts_at=start)
    item = services.add_action_item(
        by=manager, meeting=meeting, text="Draft the design doc", owner=report
    )
    finished = services.add_action_item(
        by=manager, meeting=meeting, text="Book room", owner=manager
    )
    services.update_action_item(by=manager, item=finished, done=True, in_meeting=meeting)
    upcoming = services.hold_meeting(by=manager, meeting=meeting)
    shown = queries.action_items(upcoming)
    assert [a.pk for a in shown] == [item.pk]
    assert shown[0].origin_id == meeting.pk


def test_ticking_off_a_carried_over_item_marks_it_done_everywhere():
    manager, report = pair()
    start = timezone.now() - timedelta(days=7)
    series, first = series_with_meeting(manager, report, starts_at=start)
    first.status = MeetingStatus.HELD
    first.save()
    second = add_meeting(series, timezone.now() + timedelta(days=1))
    item = action_item(first, report, "Write the RFC")
    assert [a.pk for a in queries.action_items(second)] == [item.pk]
    services.update_action_item(by=report, item=item, done=True, in_meeting=second)
    item.refresh_from_db()
    assert item.done_at is not None
    for meeting in (first, second):
        (shown,) = [a for a in queries.action_items(meeting) if a.pk == item.pk]
        assert shown.done_at is not None


def test_an_item_done_before_a_later_meeting_does_not_show_on_it():
    manager, report = pair()
    series, first = series_with_meeting(
        manager, report, starts_at=timezone.now() - timedelta(days=14)
    )
    second = add_meeting(series, timezone.now() - timedelta(days=7), status=MeetingStatus.HELD)
    third = add_meeting(series, timezone.now() + timedelta(days=1))
    item = action_item(first, report, "Write the RFC")
    item.done_at = timezone.now()
    item.closed_in = second
    item.closed_in_starts_at = second.starts_at
    item.save()
    assert item.pk in [a.pk for a in queries.action_items(second)]
    assert item.pk not in [a.pk for a in queries.action_items(third)]


def test_the_owner_hears_about_an_action_item_someone_gives_them_once():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    item = services.add_action_item(
        by=manager,
        meeting=meeting,
        text="Share the metrics",
        owner=report,
        due_date=date(2030, 1, 5),
    )
    services.update_action_item(by=manager, item=item, owner=report)
    notes = Notification.objects.filter(person=report, kind="meetings.action_item")
    assert notes.count() == 1
    assert "gave you an action item in your 1:1. Due 5 Jan 2030." in notes.get().body
    assert "Share the metrics" not in notes.get().body, "the text stays in Tandem"
    services.add_action_item(by=manager, meeting=meeting, text="My own", owner=manager)
    assert not Notification.objects.filter(person=manager).exists()


@pytest.mark.dates
def test_a_meeting_is_moved_and_its_action_items_move_with_it():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    item = action_item(meeting, report, "Prepare")
    new_time = soon(5)
    services.reschedule_meeting(by=report, meeting=meeting, starts_at=new_time)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.starts_at == new_time
    assert item.origin_starts_at == new_time
    assert meeting.slot != new_time


@pytest.mark.dates
def test_a_meeting_cannot_be_moved_into_the_past():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    with pytest.raises(ValidationError) as refused:
        services.reschedule_meeting(
            by=report, meeting=meeting, starts_at=timezone.now() - timedelta(days=1)
        )
    assert "starts_at" in refused.value.message_dict


def test_someone_outside_the_one_on_one_cannot_write_to_it():
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    skip = PersonFactory()
    manager.manager = skip
    manager.save()
    with pytest.raises(NotAllowed):
        services.add_agenda_item(by=skip, meeting=meeting, text="Hello")
    with pytest.raises(NotAllowed):
        services.save_private_note(by=skip, meeting=meeting, text="Hello")
