from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tandem.notifications.models import Notification
from tests.factories import PersonFactory, hr_admin
from tests.notifications.factories import NotificationFactory


def test_the_list_returns_own_notifications_newest_first(bearer_for):
    person = PersonFactory()
    now = timezone.now()
    NotificationFactory(person=person, title="Old", created_at=now - timedelta(days=1))
    NotificationFactory(person=person, title="New", created_at=now)
    NotificationFactory(title="Someone else's")
    data = bearer_for(person).get("/api/v1/notifications").json()
    assert [item["title"] for item in data["items"]] == ["New", "Old"]
    assert data["unread_count"] == 2


def test_the_list_pages_with_next_cursor(bearer_for):
    person = PersonFactory()
    now = timezone.now()
    for i in range(5):
        NotificationFactory(person=person, title=f"N{i}", created_at=now - timedelta(minutes=i))
    client = bearer_for(person)
    first = client.get("/api/v1/notifications?limit=3").json()
    second = client.get(f"/api/v1/notifications?limit=3&cursor={first['next_cursor']}").json()
    assert [i["title"] for i in first["items"]] == ["N0", "N1", "N2"]
    assert [i["title"] for i in second["items"]] == ["N3", "N4"]
    assert second["next_cursor"] is None


def test_a_bad_cursor_is_a_422_naming_the_field(bearer_for):
    response = bearer_for(PersonFactory()).get("/api/v1/notifications?cursor=garbage")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "cursor"]


def test_unread_only_filters(bearer_for):
    person = PersonFactory()
    NotificationFactory(person=person, title="Unread")
    NotificationFactory(person=person, title="Read", read_at=timezone.now())
    data = bearer_for(person).get("/api/v1/notifications?unread=true").json()
    assert [i["title"] for i in data["items"]] == ["Unread"]


def test_marking_read_sets_read_at(bearer_for):
    notification = NotificationFactory()
    response = bearer_for(notification.person).post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_someone_elses_notification_is_404_and_unchanged(bearer_for):
    notification = NotificationFactory()
    response = bearer_for(hr_admin()).post(f"/api/v1/notifications/{notification.pk}/read")
    assert response.status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_an_id_beyond_64_bits_is_404_not_500(bearer_for):
    response = bearer_for(PersonFactory()).post(f"/api/v1/notifications/{2**70}/read")
    assert response.status_code in (404, 422)


def test_without_credentials_the_list_is_401(client):
    assert client.get("/api/v1/notifications").status_code == 401
