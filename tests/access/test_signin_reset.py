"""Password reset by e-mail, sent through the task queue."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django_tasks.signals import task_enqueued

from tandem.core.tasks import send_email
from tests.factories import PASSWORD, PersonFactory

NEW_PASSWORD = "a-brand-new-passphrase-42"


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
