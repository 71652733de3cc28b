"""1:1 pages: fixed query budgets, htmx sections, bad input answered on the field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.meetings.models import ActionItem, AgendaItem, MeetingStatus, Series
from tests.factories import PersonFactory
from tests.meetings.factories import (
    SeriesFactory,
    action_item,
    add_meeting,
    agenda_item,
    pair,
    private_note,
    series_with_meeting,
)

pytestmark = pytest.mark.django_db

# Session, person, roles, is-manager (navigation), then the page's own reads. Change a
# budget only with a reason; it must never depend on how much history there is.
MEETING_PAGE_BUDGET = 14
INDEX_BUDGET = 14
HISTORY_BUDGET = 12


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow_history(series: Series, meetings: int) -> None:
    for weeks in range(meetings, 0, -1):
        past = add_meeting(
            series,
            timezone.now() - timedelta(weeks=weeks),
            status=MeetingStatus.HELD,
            shared_notes=f"notes {weeks}",
        )
        agenda_item(past, series.report, f"topic {weeks}")
        agenda_item(past, series.manager, f"other {weeks}", position=2)
        action_item(past, series.report, f"open item {weeks}")
        private_note(past, series.report, f"mine {weeks}")


def test_the_meeting_page_costs_the_same_with_one_or_many_past_meetings(client_for):
    manager, report = pair()
    series, meeting = series_with_meeting(manager, report)
    client = client_for(report)
    url = reverse("meetings:meeting", args=[meeting.pk])
    client.get(url)
    small = _count(client, url)
    _grow_history(series, 12)
    for n in range(5):
        agenda_item(meeting, report, f"now {n}", position=n + 3)
    large = _count(client, url)
    assert large == small <= MEETING_PAGE_BUDGET, (small, large)


def test_the_list_of_one_on_ones_costs_the_same_for_two_or_twenty_reports(client_for):
    manager = PersonFactory()
    client = client_for(manager)
    url = reverse("meetings:index")

    def add_report() -> None:
        report = PersonFactory(manager=manager)
        series = SeriesFactory(manager=manager, report=report)
        add_meeting(series, timezone.now() + timedelta(days=2))
        add_meeting(series, timezone.now() - timedelta(days=5), status=MeetingStatus.HELD)

    add_report()
    PersonFactory(manager=manager)  # a report without a 1:1 yet
    client.get(url)
    small = _count(client, url)
    for _ in range(20):
        add_report()
    large = _count(client, url)
    assert large == small <= INDEX_BUDGET, (small, large)


def test_the_history_costs_the_same_with_few_or_many_meetings(client_for):
    manager, report = pair()
    series, _ = series_with_meeting(manager, report)
    client = client_for(manager)
    url = reverse("meetings:series", args=[series.pk])
    _grow_history(series, 2)
    client.get(url)
    small = _count(client, url)
    _grow_history(series, 25)
    large = _count(client, url)
    assert large == small <= HISTORY_BUDGET, (small, large)


def test_the_history_pages_through_older_meetings(client_for):
    manager, report = pair()
    series, _ = series_with_meeting(manager, report)
    _grow_history(series, 12)
    client = client_for(report)
    first = client.get(reverse("meetings:series", args=[series.pk]))
    text = first.content.decode()
    assert "notes 1" in text and "notes 12" not in text
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("meetings:series", args=[series.pk]), {"cursor": cursor})
    assert "notes 12" in second.content.decode()


def test_a_broken_history_link_says_so_instead_of_failing(client_for):
    manager, report = pair()
    series, _ = series_with_meeting(manager, report)
    response = client_for(report).get(
        reverse("meetings:series", args=[series.pk]), {"cursor": "not-a-cursor"}
    )
    assert response.status_code == 200
    assert "This page link is not valid" in response.content.decode()


def test_adding_to_the_agenda_with_htmx_answers_the_agenda_section(client_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = client_for(report).post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"text": "<b>Career</b> chat"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<section class="card" id="agenda"')
    assert "&lt;b&gt;Career&lt;/b&gt; chat" in text


def test_an_empty_agenda_item_is_refused_on_the_field_and_nothing_is_saved(client_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = client_for(report).post(
        reverse("meetings:agenda_add", args=[meeting.pk]), {"text": "  "}, HTTP_HX_REQUEST="true"
    )
    assert "The agenda item cannot be empty." in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_an_action_item_without_an_owner_is_refused_on_the_page(client_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = client_for(manager).post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"text": "Write it up", "owner": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "Choose who owns this action item" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_first_meeting_in_the_past_is_refused_on_the_new_series_form(client_for):
    manager, report = pair()
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(manager).post(
        reverse("meetings:create"),
        {"report": report.pk, "cadence": "weekly", "first_start": past, "duration_minutes": 30},
    )
    assert response.status_code == 200
    assert response.context["series_form"].errors["first_start"]
    assert not Series.objects.exists()


def test_a_manager_sets_up_a_series_from_the_form(client_for):
    manager, report = pair()
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(manager).post(
        reverse("meetings:create"),
        {"report": report.pk, "cadence": "weekly", "first_start": later, "duration_minutes": 30},
    )
    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:series", args=[series.pk])


def test_a_person_cannot_start_a_series_with_someone_elses_report(client_for):
    manager, report = pair()
    stranger = PersonFactory()
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(stranger).post(
        reverse("meetings:create"),
        {"report": report.pk, "cadence": "weekly", "first_start": later, "duration_minutes": 30},
    )
    assert response.status_code == 200
    assert response.context["series_form"].errors["report"]
    assert not Series.objects.exists()


def test_marking_held_leads_to_the_next_meeting(client_for):
    manager, report = pair()
    series, meeting = series_with_meeting(
        manager, report, starts_at=timezone.now() - timedelta(minutes=5)
    )
    response = client_for(manager).post(reverse("meetings:hold", args=[meeting.pk]))
    upcoming = series.meetings.get(status=MeetingStatus.SCHEDULED)
    assert response["Location"] == reverse("meetings:meeting", args=[upcoming.pk])


def test_the_meeting_calendar_file_downloads(client_for):
    manager, report = pair()
    _, meeting = series_with_meeting(manager, report)
    response = client_for(report).get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
