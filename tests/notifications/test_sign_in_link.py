"""E-mails to people who cannot sign in yet (no password: created by an import) carry their
way in, so no e-mail is a link to a page they cannot enter."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tandem.access.models import Invitation, InvitationVia
from tandem.notifications import digest
from tandem.notifications.kinds import Delivery
from tandem.notifications.services import notify
from tests.factories import PersonFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-42"


def send(person: Any, capture: Any, url: str = "/feedback/") -> str:
    with capture(execute=True):
        notify(person=person, kind="feedback.received", title="Ana gave you feedback", url=url)
    (message,) = mail.outbox
    return message.body


def test_an_email_to_someone_without_a_password_lets_them_in_and_lands_on_its_page(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(password=None)
    body = send(person, django_capture_on_commit_callbacks, url="/feedback/")

    assert "You have not signed in to Tandem yet." in body
    link = re.search(r"https?://[^/\s]+(/welcome/\S+)", body)
    assert link, body
    page = client.get(link.group(1), follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/feedback/"


def test_the_link_counts_as_an_invitation(django_capture_on_commit_callbacks: Any) -> None:
    person = PersonFactory(password=None)

    send(person, django_capture_on_commit_callbacks)

    invitation = Invitation.objects.get(person=person)
    assert invitation.via == InvitationVia.NOTIFICATION and invitation.sent_by is None


def test_an_email_to_someone_who_can_sign_in_has_no_password_link(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = PersonFactory()

    body = send(person, django_capture_on_commit_callbacks)

    assert "/welcome/" not in body
    assert not Invitation.objects.exists()


@pytest.mark.dates
def test_the_weekly_digest_to_someone_without_a_password_lets_them_in() -> None:
    person = PersonFactory(password=None)
    NotificationFactory(
        person=person,
        delivery=Delivery.DIGEST,
        created_at=datetime(2026, 2, 26, 10, 0, tzinfo=timezone.get_default_timezone()),
    )

    digest.send_weekly_digests(date(2026, 3, 2))

    (message,) = mail.outbox
    assert "/welcome/" in message.body
    assert Invitation.objects.filter(person=person).exists()
