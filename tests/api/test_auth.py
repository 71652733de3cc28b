"""API authentication: Bearer tokens and browser sessions, and when each stops working."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tandem.access.models import ApiToken
from tandem.access.rules import SYSTEM
from tandem.access.services import revoke_token
from tandem.org.models import Person, PersonStatus
from tandem.org.services.people import change_status
from tests.factories import PersonFactory, api_token

CSRF_SECRET = "a" * 32  # a well-formed CSRF secret, sent as both cookie and header


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_bearer_token_signs_the_request_in_as_its_person(db):
    person = PersonFactory()
    response = bearer(api_token(person)).get("/api/v1/me")
    assert (response.status_code, response.json()["id"]) == (200, person.pk)


def test_a_bearer_token_records_when_it_was_last_used(db):
    person = PersonFactory()
    bearer(api_token(person)).get("/api/v1/me")
    assert ApiToken.objects.get(person=person).last_used_at is not None


def test_an_unknown_bearer_token_is_refused(db):
    assert bearer("tdm_not-a-real-token").get("/api/v1/me").status_code == 401


def test_a_request_without_credentials_is_refused_with_json(db):
    response = Client().get("/api/v1/people")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_revoked_token_is_refused(db):
    person = PersonFactory()
    raw = api_token(person)
    revoke_token(token=ApiToken.objects.get(person=person), by=person)
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_an_expired_token_is_refused(db):
    person = PersonFactory()
    raw = api_token(person)
    ApiToken.objects.filter(person=person).update(expires_at=timezone.now() - timedelta(1))
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_the_token_of_someone_who_left_is_refused(db):
    person = PersonFactory()
    raw = api_token(person)
    change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused_even_if_not_revoked(db):
    person = PersonFactory()
    raw = api_token(person)
    Person.objects.filter(pk=person.pk).update(is_active=False)
    assert bearer(raw).get("/api/v1/me").status_code == 401


def test_a_browser_session_works_for_the_api(client_for):
    person = PersonFactory()
    response = client_for(person).get("/api/v1/me")
    assert (response.status_code, response.json()["id"]) == (200, person.pk)


def test_the_session_of_someone_who_left_stops_working_at_once(client_for):
    person = PersonFactory()
    client = client_for(person)
    change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.urls("tests.api.csrf_probe_urls")
def test_a_session_post_without_a_csrf_token_is_refused(client_for):
    client = client_for(PersonFactory())
    client.handler.enforce_csrf_checks = True
    assert client.post("/probe/echo").status_code == 403


@pytest.mark.urls("tests.api.csrf_probe_urls")
def test_a_session_post_with_a_csrf_token_is_accepted(client_for):
    person = PersonFactory()
    client = client_for(person)
    client.handler.enforce_csrf_checks = True
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post("/probe/echo", headers={"X-CSRFToken": CSRF_SECRET})
    assert (response.status_code, response.json()) == (200, {"id": person.pk})


@pytest.mark.urls("tests.api.csrf_probe_urls")
def test_a_bearer_post_needs_no_csrf_token(db):
    person = PersonFactory()
    client = Client(
        enforce_csrf_checks=True, headers={"Authorization": f"Bearer {api_token(person)}"}
    )
    assert client.post("/probe/echo").status_code == 200
