"""Sign-in, sign-out, session time-outs and throttling of failed sign-ins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from tandem.access.models import SignInSession
from tests.factories import PASSWORD, PersonFactory

START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": email, "password": password}, **extra)


def test_it_signs_in_with_work_email_and_password(client):
    person = PersonFactory(email="ana@example.com")
    response = sign_in(client, "ana@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert int(client.session["_auth_user_id"]) == person.pk


def test_it_accepts_the_email_in_any_case(client):
    PersonFactory(email="ana@example.com")
    assert sign_in(client, "  Ana@Example.COM ").status_code == 302


def test_it_refuses_a_wrong_password_with_a_message(client):
    PersonFactory(email="ana@example.com")
    response = sign_in(client, "ana@example.com", "not-the-password")
    assert response.status_code == 200
    assert "enter a correct work e-mail and password" in response.text.lower()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_person_who_has_left(client):
    PersonFactory(
        email="gone@example.com", status="left", start_date="2020-01-01", end_date="2025-01-01"
    )
    assert sign_in(client, "gone@example.com").status_code == 200
    assert client.get("/").status_code == 302


def test_it_gives_a_new_session_key_at_sign_in(client):
    PersonFactory(email="ana@example.com")
    client.get("/login/")
    client.session.save()  # an anonymous session, as a visitor would carry one
    session = client.session
    session["visited"] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    sign_in(client, "ana@example.com")

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before and after and before != after
    assert not Session.objects.filter(session_key=before).exists()


def test_it_records_the_sign_in_session_so_it_can_be_ended_later(client):
    person = PersonFactory(email="ana@example.com")
    sign_in(client, "ana@example.com", REMOTE_ADDR="198.51.100.4")
    row = SignInSession.objects.get(person=person)
    assert row.session_key == client.cookies[settings.SESSION_COOKIE_NAME].value
    assert row.ip_address == "198.51.100.4"


def test_it_signs_out_only_with_a_post(client_for):
    client = client_for(PersonFactory())
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200


def test_the_old_session_cookie_is_anonymous_after_sign_out(client_for):
    client = client_for(PersonFactory())
    old_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    response = replay.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not SignInSession.objects.filter(session_key=old_key).exists()


# --- Time-outs ---------------------------------------------------------------------------


@pytest.fixture
def short_sessions(settings):  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    settings.SESSION_ABSOLUTE_TIMEOUT_HOURS = 1
    return settings


def test_it_signs_out_a_session_left_idle_too_long(client, short_sessions):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "ana@example.com")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/people/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/people/"
        assert client.get("/").status_code == 302


def test_the_sign_in_page_says_why_the_session_ended(client, short_sessions):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "ana@example.com")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/people/", follow=True)
    assert "signed out after a period of inactivity" in response.text


def test_it_keeps_a_session_that_is_used_within_the_idle_limit(client, short_sessions):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "ana@example.com")
        for _ in range(2):
            traveller.shift(timedelta(minutes=25))
            assert client.get("/").status_code == 200


def test_it_ends_a_busy_session_at_the_absolute_limit(client, short_sessions):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "ana@example.com")
        for _ in range(3):  # 57 minutes in, never idle for more than 19
            traveller.shift(timedelta(minutes=19))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=5))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_an_htmx_request_after_the_time_out_is_sent_to_the_sign_in_page(client, short_sessions):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "ana@example.com")
        traveller.shift(timedelta(minutes=31))
        response = client.get("/people/", HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"] == "/login/?next=/people/"


# --- Throttling (django-axes) -------------------------------------------------------------


def fail_five_times(client: Client, email: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, email, "wrong-password")


def test_the_limits_are_five_failures_and_fifteen_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(hours=settings.AXES_COOLOFF_TIME) == timedelta(minutes=15)


def test_it_refuses_the_sixth_try_even_with_the_right_password(client):
    PersonFactory(email="ana@example.com")
    fail_five_times(client, "ana@example.com")
    response = sign_in(client, "ana@example.com")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_says_when_to_try_again(client):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False):
        fail_five_times(client, "ana@example.com")
        response = sign_in(client, "ana@example.com")
    assert "Sign-in paused" in response.text
    assert "15 minutes" in response.text
    assert "09:15" in response.text  # START + cool-off, in the server's time zone (UTC)
    assert 'datetime="2025-03-03T09:15:00+00:00"' in response.text


def test_sign_in_works_again_after_the_cool_off(client):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(START, tick=False) as traveller:
        fail_five_times(client, "ana@example.com")
        traveller.shift(timedelta(minutes=14))
        assert sign_in(client, "ana@example.com").status_code == 429
        traveller.shift(timedelta(minutes=16))
        response = sign_in(client, "ana@example.com")
        assert response.status_code == 302
        assert client.get("/").status_code == 200


def test_the_lockout_does_not_reach_the_same_person_from_another_address(client):
    PersonFactory(email="ana@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.com", "wrong-password", REMOTE_ADDR="203.0.113.66")
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, "ana@example.com").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client):
    PersonFactory(email="ana@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.com", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = sign_in(client, "ana@example.com", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_behind_a_configured_proxy_the_forwarded_address_is_the_client(client, settings):
    settings.PROXY_COUNT = 1
    PersonFactory(email="ana@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ana@example.com", "wrong", HTTP_X_FORWARDED_FOR="192.0.2.1")
    # Same proxy (REMOTE_ADDR), different client behind it: not locked out.
    assert sign_in(client, "ana@example.com", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 302
