"""The one-click unsubscribe link of notification e-mails (RFC 8058): a signed link per
person and kind; its POST switches that kind's e-mails off without signing in, its GET shows
what it would do and leads to the notification settings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core import mail, signing
from django.test import Client

from tandem.access.rules import SYSTEM
from tandem.audit.models import AuditEvent
from tandem.notifications import digest
from tandem.notifications.models import Notification, NotificationSetting
from tandem.notifications.services import delivery_for, notify, set_delivery_preferences
from tandem.notifications.unsubscribe import DIGEST, SALT, unsubscribe_url
from tandem.org.models import PersonStatus
from tandem.org.services.people import change_status
from tests.factories import PersonFactory

ONE_CLICK = {"List-Unsubscribe": "One-Click"}  # the body mail programs POST (RFC 8058)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def link_in(message: Any) -> str:
    return str(message.extra_headers["List-Unsubscribe"]).strip("<>")


def test_the_email_of_a_notification_carries_its_own_link(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="mention", title="Ben mentioned you")

    [message] = mail.outbox
    assert link_in(message) == unsubscribe_url(person_id=person.pk, kind="mention")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop e-mails like this one: " + link_in(message) in message.body


def test_a_one_click_post_without_signing_in_stops_that_kind_of_email(db: None) -> None:
    person = PersonFactory()
    link = unsubscribe_url(person_id=person.pk, kind="mention")

    response = Client(enforce_csrf_checks=True).post(path_of(link), ONE_CLICK)

    assert response.status_code == 200
    assert "no longer comes to you by e-mail" in response.text
    assert delivery_for(person, "mention") == "in_app"
    assert delivery_for(person, "feedback.received") == "email"  # other kinds untouched


def test_the_change_is_audited_as_the_person(db: None) -> None:
    person = PersonFactory()
    Client().post(path_of(unsubscribe_url(person_id=person.pk, kind="mention")), ONE_CLICK)

    event = AuditEvent.objects.get(kind="notification.preferences")
    assert event.actor_id == person.pk
    assert event.changes == {"mention": ["email", "in_app"]}


def test_after_unsubscribing_the_kind_comes_in_tandem_only(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory()
    Client().post(path_of(unsubscribe_url(person_id=person.pk, kind="mention")), ONE_CLICK)
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="mention", title="Ben mentioned you")

    assert mail.outbox == []
    assert Notification.objects.filter(person=person, kind="mention").exists()


def test_the_link_opened_in_a_browser_changes_nothing_and_leads_to_the_settings(
    db: None,
) -> None:
    person = PersonFactory()
    response = Client().get(path_of(unsubscribe_url(person_id=person.pk, kind="mention")))

    assert response.status_code == 200
    assert "Stop these e-mails" in response.text
    assert 'href="/notifications/settings/"' in response.text
    assert not NotificationSetting.objects.exists()


def test_a_kind_already_without_email_is_left_as_chosen(db: None) -> None:
    person = PersonFactory()
    set_delivery_preferences(person=person, choices={"mention": "off"}, by=person)
    Client().post(path_of(unsubscribe_url(person_id=person.pk, kind="mention")), ONE_CLICK)

    assert delivery_for(person, "mention") == "off"


def test_the_digest_link_stops_the_digest_for_every_kind_in_it(db: None) -> None:
    person = PersonFactory()
    set_delivery_preferences(
        person=person, choices={"mention": "digest", "praise.received": "digest"}, by=person
    )
    Client().post(path_of(unsubscribe_url(person_id=person.pk, kind=DIGEST)), ONE_CLICK)

    assert delivery_for(person, "mention") == "in_app"
    assert delivery_for(person, "praise.received") == "in_app"
    assert delivery_for(person, "feedback.received") == "email"


def test_the_digest_email_carries_the_digest_link(db: None) -> None:
    person = PersonFactory()
    set_delivery_preferences(person=person, choices={"mention": "digest"}, by=person)
    Notification.objects.create(
        person=person,
        kind="mention",
        title="Ben mentioned you",
        delivery="digest",
        created_at=digest.cutoff_for(date(2026, 3, 2)).replace(day=1),
    )
    digest.send_weekly_digests(date(2026, 3, 2))

    [message] = mail.outbox
    assert link_in(message) == unsubscribe_url(person_id=person.pk, kind=DIGEST)


def test_a_changed_link_is_refused_and_changes_nothing(db: None) -> None:
    person = PersonFactory()
    link = path_of(unsubscribe_url(person_id=person.pk, kind="mention"))
    tampered = link.replace(":", "x:", 1)

    response = Client().post(tampered, ONE_CLICK)

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert not NotificationSetting.objects.exists()


def test_a_link_signed_without_the_servers_key_is_refused(db: None) -> None:
    person = PersonFactory()
    forged = signing.dumps([person.pk, "mention"], salt=SALT, key="guessed-" * 8)

    assert Client().post(f"/notifications/unsubscribe/{forged}/", ONE_CLICK).status_code == 404
    assert delivery_for(person, "mention") == "email"


def test_the_link_of_someone_who_left_does_nothing(db: None) -> None:
    person = PersonFactory()
    link = path_of(unsubscribe_url(person_id=person.pk, kind="mention"))
    change_status(person=person, status=PersonStatus.LEFT, by=SYSTEM)

    assert Client().post(link, ONE_CLICK).status_code == 404
    assert not NotificationSetting.objects.exists()
