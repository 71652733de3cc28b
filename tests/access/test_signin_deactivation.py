"""Leaving the company ends every session and every token, at once."""

from __future__ import annotations

from tandem.access import services as access_services
from tandem.access.models import ApiToken, SignInSession
from tandem.access.rules import SYSTEM
from tandem.org.services import people as org_services
from tests.factories import PersonFactory, hr_admin


def test_a_leaver_loses_every_session_and_token_the_moment_they_leave(client_for, client):
    leaver = PersonFactory()
    laptop, phone = client_for(leaver), client_for(leaver)
    _, raw = access_services.create_token(person=leaver, name="Sync", by=leaver)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert laptop.get("/").status_code == 200
    assert phone.get("/").status_code == 200
    assert client.get("/api/v1/me", **bearer).status_code == 200

    org_services.change_status(person=leaver, status="left", by=hr_admin())

    assert laptop.get("/").status_code == 302
    assert phone.get("/people/").status_code == 302
    assert client.get("/api/v1/me", **bearer).status_code == 401
    assert not SignInSession.objects.filter(person=leaver).exists()
    assert not ApiToken.objects.filter(person=leaver, revoked_at__isnull=True).exists()


def test_the_status_change_is_audited_with_what_was_ended(client_for):
    leaver = PersonFactory()
    client_for(leaver)
    access_services.create_token(person=leaver, name="Sync", by=leaver)
    org_services.change_status(person=leaver, status="left", by=SYSTEM)
    from tandem.audit.models import AuditEvent

    event = AuditEvent.objects.get(kind="person.status_change", subject=leaver)
    assert "ended 1 session(s), revoked 1 token(s)" in event.note


def test_a_session_of_a_deactivated_person_is_anonymous_even_if_it_was_not_tracked(client_for):
    leaver = PersonFactory()
    laptop = client_for(leaver)
    SignInSession.objects.filter(person=leaver).delete()  # as if tracking had missed it
    org_services.change_status(person=leaver, status="left", by=SYSTEM)
    assert laptop.get("/").status_code == 302


def test_going_on_leave_keeps_access(client_for):
    person = PersonFactory()
    laptop = client_for(person)
    org_services.change_status(person=person, status="on_leave", by=SYSTEM)
    assert laptop.get("/").status_code == 200


def test_a_deactivated_person_cannot_be_given_a_new_token():
    leaver = PersonFactory()
    org_services.change_status(person=leaver, status="left", by=SYSTEM)
    try:
        access_services.create_token(person=leaver, name="Sync", by=SYSTEM)
    except ValueError as error:
        assert "deactivated" in str(error)
    else:
        raise AssertionError("a leaver got a token")
