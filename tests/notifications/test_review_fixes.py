"""Defects found in review: a page link with a time out of range answered 500."""

from __future__ import annotations

import base64
import json

import pytest

from tests.factories import PersonFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

OUT_OF_UTC = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


def _cursor(stamp: str, pk: int = 1) -> str:
    return base64.urlsafe_b64encode(json.dumps([stamp, pk]).encode()).decode().rstrip("=")


@pytest.mark.parametrize("stamp", OUT_OF_UTC)
def test_a_cursor_outside_utc_shows_the_first_page_with_a_message(client_for, stamp):
    person = PersonFactory()
    NotificationFactory(person=person, title="Still listed")
    response = client_for(person).get("/notifications/", {"cursor": _cursor(stamp)})
    assert response.status_code == 200
    assert response.context["cursor_error"]
    assert "Still listed" in response.content.decode()


@pytest.mark.parametrize("stamp", OUT_OF_UTC)
def test_a_cursor_outside_utc_is_a_422_naming_the_cursor(bearer_for, stamp):
    response = bearer_for(PersonFactory()).get("/api/v1/notifications", {"cursor": _cursor(stamp)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "cursor"
