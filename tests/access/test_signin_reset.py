"""Password reset by e-mail, sent through the task queue."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_tasks.signals import task_enqueued

from tandem.access.models import PasswordResetRequest
from tandem.core.tasks import send_email
from tests.factories import PASSWORD, PersonFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"
NOON = datetime(2031, 6, 9, 12, 0, tzinfo=UTC)


@pytest.fixture
def enqueued():  # type: ignore[no-untyped-def]
    """Names of the tasks enqueued during the test."""
    names: list[str] = []

    def receive(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        names.append(task_result.task.name)

    task_enqueued.connect(receive)
    yield names
    task_enqueued.disconnect(receive)


def ask_for_reset(client: Client, email: str, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return client.post("/password-reset/", {"email": email})


def reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_the_reset_page_asks_for_the_work_email(client):
    response = client.get("/password-reset/")
    assert response.status_code == 200
    assert '<label for="id_email">Work e-mail</label>' in response.text


def test_it_sends_the_reset_link_through_the_task_queue(
    client, enqueued, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.com", first_name="Ana", preferred_name="")
    response = ask_for_reset(client, "Ana@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert enqueued == [send_email.name]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.com"]
    assert message.subject == "Reset your Tandem password"
    assert "Hello Ana" in message.body
    assert "/password-reset/" in message.body


def test_the_link_is_built_from_the_site_url_not_the_host_header(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tandem.example.com/"
    PersonFactory(email="ana@example.com")
    ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    assert "https://tandem.example.com/password-reset/" in mail.outbox[0].body


def test_it_answers_an_unknown_address_the_same_way_and_sends_nothing(
    client, enqueued, django_capture_on_commit_callbacks
):
    response = ask_for_reset(client, "nobody@example.com", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/sent/"
    assert enqueued == []
    assert mail.outbox == []


def test_it_names_the_field_when_the_address_is_not_an_email(client):
    response = client.post("/password-reset/", {"email": "not an address"})
    assert response.status_code == 200
    assert 'id="email-errors"' in response.text
    assert "valid email address" in response.text


def test_the_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    PersonFactory(email="ana@example.com")
    ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    link = reset_link(mail.outbox[0].body)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/password-reset/complete/"

    fresh = Client()
    assert (
        fresh.post("/login/", {"username": "ana@example.com", "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_a_used_link_does_not_work_twice(client, django_capture_on_commit_callbacks):
    PersonFactory(email="ana@example.com")
    ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    link = reset_link(mail.outbox[0].body)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)
    assert "no longer valid" in again.text


def test_resetting_the_password_ends_sessions_signed_in_with_the_old_one(
    client, client_for, django_capture_on_commit_callbacks
):
    person = PersonFactory(email="ana@example.com")
    laptop = client_for(person)
    ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    set_url = client.get(reset_link(mail.outbox[0].body), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert laptop.get("/").status_code == 302
    assert PASSWORD != NEW_PASSWORD


def test_a_too_short_password_is_refused_with_a_field_message(
    client, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.com")
    ask_for_reset(client, "ana@example.com", django_capture_on_commit_callbacks)
    set_url = client.get(reset_link(mail.outbox[0].body), follow=True).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    assert 'id="pw2-errors"' in response.text
    assert "too short" in response.text


# --- The throttle: per address and per client address, over a sliding window -------------------


def ask_from(ip: str, email: str, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return Client(REMOTE_ADDR=ip).post("/password-reset/", {"email": email})


@pytest.fixture
def limits(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    settings.PASSWORD_RESET_PER_IP = 5
    settings.PASSWORD_RESET_WINDOW_MINUTES = 60
    return settings


@time_machine.travel(NOON, tick=False)
def test_one_address_gets_three_emails_an_hour_and_the_fourth_request_is_told_when(
    limits, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.com")
    codes = [
        ask_from(f"10.0.0.{i}", "ana@example.com", django_capture_on_commit_callbacks).status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    fourth = ask_from("10.0.0.9", "ANA@example.com", django_capture_on_commit_callbacks)
    assert fourth.status_code == 429
    assert "We sent no new e-mail" in fourth.text
    assert "13:00" in fourth.text  # the first request leaves the window an hour after noon
    assert len(mail.outbox) == 3


@time_machine.travel(NOON, tick=False)
def test_an_address_nobody_has_is_answered_exactly_the_same_way(
    limits, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.com")

    def answers(email: str, ip: str) -> list[tuple[int, str]]:
        replies = [ask_from(ip, email, django_capture_on_commit_callbacks) for _ in range(4)]
        return [(r.status_code, r.get("Location", "")) for r in replies]

    assert answers("ana@example.com", "10.1.0.1") == answers("nobody@example.com", "10.1.0.2")


@time_machine.travel(NOON, tick=False)
def test_one_network_is_limited_across_addresses(limits, django_capture_on_commit_callbacks):
    people = [PersonFactory(email=f"p{i}@example.com") for i in range(6)]
    codes = [
        ask_from("10.2.0.1", p.email, django_capture_on_commit_callbacks).status_code
        for p in people
    ]
    assert codes == [302] * 5 + [429]
    assert len(mail.outbox) == 5
    other_network = ask_from("10.3.0.1", people[5].email, django_capture_on_commit_callbacks)
    assert other_network.status_code == 302
    assert len(mail.outbox) == 6


def test_the_window_slides_a_refused_request_is_not_counted(
    limits, django_capture_on_commit_callbacks
):
    PersonFactory(email="ana@example.com")
    with time_machine.travel(NOON, tick=False):
        for _ in range(3):
            ask_from("10.4.0.1", "ana@example.com", django_capture_on_commit_callbacks)
    with time_machine.travel(NOON + timedelta(minutes=59), tick=False):
        assert (
            ask_from("10.4.0.1", "ana@example.com", django_capture_on_commit_callbacks).status_code
            == 429
        )
    with time_machine.travel(NOON + timedelta(minutes=61), tick=False):
        assert (
            ask_from("10.4.0.1", "ana@example.com", django_capture_on_commit_callbacks).status_code
            == 302
        )
    assert len(mail.outbox) == 4


@time_machine.travel(NOON, tick=False)
def test_the_throttle_keeps_the_address_only_as_a_keyed_hash(
    limits, django_capture_on_commit_callbacks
):
    ask_from("10.5.0.1", "Someone.Typed@example.com", django_capture_on_commit_callbacks)
    (row,) = PasswordResetRequest.objects.values_list("address_digest", "ip")
    assert "someone" not in row[0].lower() and len(row[0]) == 64
    assert row[1] == "10.5.0.1"


@time_machine.travel(NOON, tick=False)
def test_old_requests_are_deleted_as_new_ones_come(limits, django_capture_on_commit_callbacks):
    ask_from("10.6.0.1", "a@example.com", django_capture_on_commit_callbacks)
    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        ask_from("10.6.0.1", "b@example.com", django_capture_on_commit_callbacks)
    assert PasswordResetRequest.objects.count() == 1
