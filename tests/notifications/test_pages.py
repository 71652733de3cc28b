from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.notifications.models import Notification
from tests.factories import PersonFactory, hr_admin
from tests.notifications.factories import NotificationFactory


def test_the_list_shows_own_notifications_newest_first(client_for):
    person = PersonFactory()
    now = timezone.now()
    NotificationFactory(person=person, title="Older news", created_at=now - timedelta(hours=2))
    NotificationFactory(person=person, title="Newer news", created_at=now)
    text = client_for(person).get("/notifications/").content.decode()
    assert text.index("Newer news") < text.index("Older news")


def test_the_list_never_shows_someone_elses_notifications(client_for):
    person = PersonFactory()
    NotificationFactory(title="Private to someone else")
    assert (
        "Private to someone else" not in client_for(person).get("/notifications/").content.decode()
    )


def test_hr_admins_cannot_see_other_peoples_notifications_either(client_for):
    NotificationFactory(title="Only mine")
    assert "Only mine" not in client_for(hr_admin()).get("/notifications/").content.decode()


def test_unread_notifications_are_marked_new(client_for):
    person = PersonFactory()
    NotificationFactory(person=person, title="Fresh")
    NotificationFactory(person=person, title="Seen", read_at=timezone.now())
    text = client_for(person).get("/notifications/").content.decode()
    fresh = text[text.rindex("<li", 0, text.index("Fresh")) : text.index("Fresh")]
    seen = text[text.rindex("<li", 0, text.index("Seen")) : text.index("Seen")]
    assert "New" in fresh and "notification unread" in fresh
    assert "New" not in seen


def test_an_empty_list_explains_what_will_appear(client_for):
    text = client_for(PersonFactory()).get("/notifications/").content.decode()
    assert "No notifications yet" in text


def test_the_list_pages_with_a_keyset_cursor(client_for):
    person = PersonFactory()
    now = timezone.now()
    for i in range(35):
        NotificationFactory(
            person=person, title=f"Item {i:02d}", created_at=now - timedelta(minutes=i)
        )
    client = client_for(person)
    first = client.get("/notifications/")
    assert "Item 00" in first.content.decode() and "Item 30" not in first.content.decode()
    cursor = first.context["next_query"]
    second = client.get(f"/notifications/?{cursor}").content.decode()
    assert "Item 30" in second and "Item 34" in second and "Item 00" not in second


def test_a_tampered_cursor_shows_the_first_page_with_a_message(client_for):
    person = PersonFactory()
    NotificationFactory(person=person, title="Still here")
    response = client_for(person).get("/notifications/?cursor=not-a-cursor")
    assert response.status_code == 200
    assert "This page link is not valid" in response.content.decode()
    assert "Still here" in response.content.decode()


def test_the_unread_filter_hides_read_notifications(client_for):
    person = PersonFactory()
    NotificationFactory(person=person, title="Unread one")
    NotificationFactory(person=person, title="Read one", read_at=timezone.now())
    text = client_for(person).get("/notifications/?show=unread").content.decode()
    assert "Unread one" in text and "Read one" not in text


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for):
    notification = NotificationFactory(url="/program/")
    response = client_for(notification.person).post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/program/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_is_audited_once(client_for):
    notification = NotificationFactory()
    client = client_for(notification.person)
    client.post(f"/notifications/{notification.pk}/open/")
    client.post(f"/notifications/{notification.pk}/open/")
    assert AuditEvent.objects.filter(kind="notification.read").count() == 1


def test_a_get_never_marks_a_notification_read(client_for):
    notification = NotificationFactory(url="/program/")
    response = client_for(notification.person).get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_opens_each_notification_with_a_posted_button(client_for):
    notification = NotificationFactory(title="Ana praised you")
    text = client_for(notification.person).get("/notifications/").text
    assert (
        f'<form method="post" action="/notifications/{notification.pk}/open/" class="inline">'
        in text
    )


def test_someone_else_cannot_open_a_notification(client_for):
    notification = NotificationFactory()
    response = client_for(hr_admin()).post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_to_another_site_is_never_followed(client_for):
    notification = NotificationFactory(url="https://evil.example/phish")
    response = client_for(notification.person).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_a_protocol_relative_link_is_never_followed(client_for):
    notification = NotificationFactory(url="//evil.example/phish")
    response = client_for(notification.person).post(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read_marks_only_own_notifications(client_for):
    person = PersonFactory()
    NotificationFactory.create_batch(3, person=person)
    other = NotificationFactory()
    response = client_for(person).post("/notifications/read-all/")
    assert response.status_code == 302
    assert not Notification.objects.filter(person=person, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_all_read_is_audited_with_the_count(client_for):
    person = PersonFactory()
    NotificationFactory.create_batch(2, person=person)
    client_for(person).post("/notifications/read-all/")
    event = AuditEvent.objects.get(kind="notification.read_all")
    assert event.changes == {"count": 2}
    assert event.subject_id == person.pk


def test_mark_all_read_refuses_a_get(client_for):
    assert client_for(PersonFactory()).get("/notifications/read-all/").status_code == 405


def test_the_bell_shows_the_unread_count(client_for):
    person = PersonFactory()
    NotificationFactory.create_batch(3, person=person)
    NotificationFactory(person=person, read_at=timezone.now())
    text = client_for(person).get("/program/").content.decode()
    assert "Notifications: 3 unread" in text


def test_the_bell_says_99_plus_beyond_the_cap(client_for):
    person = PersonFactory()
    Notification.objects.bulk_create(
        [Notification(person=person, kind="mention", title=f"n{i}") for i in range(120)]
    )
    text = client_for(person).get("/program/").content.decode()
    assert "more than 99 unread" in text and "99+" in text


def _notification_queries(captured: CaptureQueriesContext) -> int:
    return sum("notifications_notification" in q["sql"] for q in captured.captured_queries)


def test_the_bell_adds_one_query_to_a_page(client_for):
    person = PersonFactory()
    NotificationFactory.create_batch(5, person=person)
    client = client_for(person)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/program/").status_code == 200
    assert _notification_queries(captured) == 1


def test_the_notifications_page_counts_unread_once_for_page_and_bell(client_for):
    person = PersonFactory()
    NotificationFactory.create_batch(5, person=person)
    client = client_for(person)
    with CaptureQueriesContext(connection) as captured:
        client.get("/notifications/")
    assert _notification_queries(captured) == 2  # the page of items, and one unread count


def test_the_list_query_count_does_not_grow_with_notifications(
    client_for, django_assert_max_num_queries
):
    person = PersonFactory()
    client = client_for(person)
    NotificationFactory.create_batch(2, person=person)
    with django_assert_max_num_queries(10) as small:
        client.get("/notifications/")
    NotificationFactory.create_batch(80, person=person)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/notifications/")
