"""The 1:1 page's suggested talking points: a feedback request names its people once and
links to itself, and every due date reads the same as elsewhere, judged in the viewer's
time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.feedback.factories import FeedbackAskFactory, FeedbackRequestFactory
from tests.meetings.factories import action_item, series_with_meeting

pytestmark = pytest.mark.django_db

# 20:00 UTC on 9 Dec is already 09:00 on 10 Dec in Auckland.
LATE_ON_THE_9TH_UTC = datetime(2026, 12, 9, 20, 0, tzinfo=UTC)
ASKED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def people():
    manager = PersonFactory(first_name="Mia", last_name="Manager", time_zone="Pacific/Auckland")
    report = PersonFactory(first_name="Vaishnavi", last_name="Toor", manager=manager)
    return manager, report


def points_of(client, meeting) -> list[str]:  # type: ignore[no-untyped-def]
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    section = page[page.index('id="points-h"') : page.index("</section>", page.index("points-h"))]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def ask(person, requester, subject=None, due=date(2026, 12, 12), created_at=ASKED):  # type: ignore[no-untyped-def]
    request = FeedbackRequestFactory(
        requester=requester, subject=subject or requester, due_date=due, created_at=created_at
    )
    return FeedbackAskFactory(request=request, person=person)


@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_a_request_about_the_asker_names_them_once(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    ask(manager, report)
    points = points_of(client_for(manager), meeting)
    assert "Feedback request waiting for you: Asked by Vaishnavi Toor on 2 Dec, due 12 Dec" in (
        points
    )
    assert not any("About Vaishnavi Toor, asked by Vaishnavi Toor" in p for p in points)


@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_a_request_about_someone_else_names_both(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    colleague = PersonFactory(first_name="Ravi", last_name="Rao")
    ask(manager, colleague, subject=report)
    points = points_of(client_for(manager), meeting)
    assert any("About Vaishnavi Toor, asked by Ravi Rao on 2 Dec, due 12 Dec" in p for p in points)


@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_a_request_talking_point_links_to_the_request(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    waiting = ask(manager, report)
    page = client_for(manager).get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    link = reverse("feedback:request_detail", args=[waiting.request_id])
    assert f'href="{link}"' in page
    assert client_for(manager).get(link).status_code == 200


@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_two_requests_from_the_same_person_read_apart(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    ask(manager, report, due=date(2026, 12, 11))
    ask(manager, report, due=date(2026, 12, 12), created_at=datetime(2026, 12, 5, 9, tzinfo=UTC))
    points = [p for p in points_of(client_for(manager), meeting) if "Feedback request" in p]
    assert len(points) == 2 and len(set(points)) == 2
    assert any("on 2 Dec, due 11 Dec" in p for p in points)
    assert any("on 5 Dec, due 12 Dec" in p for p in points)


@pytest.mark.dates
@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_a_request_due_on_the_viewers_today_is_due_today_not_overdue(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    ask(manager, report, due=date(2026, 12, 10))  # today in Auckland, tomorrow in UTC
    points = points_of(client_for(manager), meeting)
    assert any(p.endswith("Asked by Vaishnavi Toor on 2 Dec, due today") for p in points)


@pytest.mark.dates
@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_an_action_item_due_yesterday_in_the_viewers_zone_is_overdue(client_for, people):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    action_item(meeting, report, "Share the rollout plan", due_date=date(2026, 12, 9))
    points = points_of(client_for(manager), meeting)
    assert "Open action item: Vaishnavi Toor: Share the rollout plan — overdue since 9 Dec" in (
        points
    )


@pytest.mark.dates
@pytest.mark.time_machine(datetime(2026, 12, 10, 5, 0, tzinfo=UTC))  # 21:00 on 9 Dec in LA
def test_an_action_item_due_today_in_los_angeles_is_due_today(client_for):
    manager = PersonFactory(first_name="Lee", last_name="Lead", time_zone="America/Los_Angeles")
    report = PersonFactory(first_name="Vaishnavi", last_name="Toor", manager=manager)
    _, meeting = series_with_meeting(manager, report)
    action_item(meeting, report, "Share the rollout plan", due_date=date(2026, 12, 9))
    points = points_of(client_for(manager), meeting)
    assert "Open action item: Vaishnavi Toor: Share the rollout plan — due today" in points


@pytest.mark.time_machine(LATE_ON_THE_9TH_UTC)
def test_a_due_date_reads_the_same_on_the_1_1_page_the_request_page_and_the_inbox(
    client_for, people
):
    manager, report = people
    _, meeting = series_with_meeting(manager, report)
    waiting = ask(manager, report, due=date(2026, 12, 9))
    client = client_for(manager)
    points = points_of(client, meeting)
    assert any("overdue since 9 Dec" in p for p in points)
    request_page = client.get(reverse("feedback:request_detail", args=[waiting.request_id]))
    assert "due 9 Dec 2026" in request_page.content.decode()
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "9 Dec 2026" in inbox and "10 Dec" not in inbox
