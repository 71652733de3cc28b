"""A GET never changes state: how the access matrix checks it, and that the check can fail.

The matrix (tests/access/matrix.py) requests every URL of the URL conf as every role, and
each GET runs inside `no_writes`; a row checked by POST, PATCH or DELETE is requested by
GET too. These tests prove the pieces on their own.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.org.models import Company
from tandem.program.models import Program
from tests.access.matrix import (
    EXPORT_WRITES_ALLOWED,
    GET_WRITES_ALLOWED,
    check_get_writes_nothing,
    no_writes,
    written,
)
from tests.factories import PersonFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ('INSERT INTO "org_person" ("email") VALUES (%s)', ("INSERT", "org_person")),
        (
            "INSERT OR IGNORE INTO notifications_notification (id) VALUES (1)",
            ("INSERT", "notifications_notification"),
        ),
        ('UPDATE "django_session" SET "session_data" = %s', ("UPDATE", "django_session")),
        ('DELETE FROM "access_apitoken" WHERE id = 1', ("DELETE", "access_apitoken")),
        ('SELECT "id" FROM "org_person"', None),
        ('SAVEPOINT "s1"', None),
    ],
)
def test_it_recognises_the_statements_that_write(sql, kind):
    assert written(sql) == kind


def test_it_fails_when_a_write_happens_inside_the_block():
    with pytest.raises(AssertionError, match="wrote to the database"), no_writes("a test"):
        PersonFactory()


def test_it_lets_the_allowed_writes_through():
    person = PersonFactory()
    client = Client()
    client.force_login(person)
    session = client.session
    session["x"] = 1
    with no_writes("saving a session"):
        session.save()


def test_each_allowed_write_says_why():
    assert all(len(why) > 20 for why in EXPORT_WRITES_ALLOWED.values())
    assert set(GET_WRITES_ALLOWED) < set(EXPORT_WRITES_ALLOWED)
    assert ("INSERT", "audit_auditevent") not in GET_WRITES_ALLOWED, "only exports audit a GET"


def test_a_post_only_url_answers_a_get_without_writing():
    notification = NotificationFactory()
    client = Client()
    client.force_login(notification.person)
    check_get_writes_nothing(client, f"/notifications/{notification.pk}/open/", "owner")
    notification.refresh_from_db()
    assert notification.read_at is None


def test_reading_pages_creates_neither_the_program_nor_the_company():
    client = Client()
    client.force_login(PersonFactory())
    for page in ("/", "/program/", "/company/", "/goals/tree/"):
        client.get(page)
    assert not Program.objects.exists()
    assert not Company.objects.exists()
