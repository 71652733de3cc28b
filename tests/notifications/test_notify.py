import pytest
from django.core import mail

from tandem.notifications.models import Notification, NotificationSetting
from tandem.notifications.services import notify
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory


def test_notify_creates_an_in_app_notification_and_emails_it_after_commit(
    db, django_capture_on_commit_callbacks
):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="feedback.received", title="Ana gave you feedback", url="/x/")
    assert Notification.objects.get().title == "Ana gave you feedback"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]


def test_the_same_event_notifies_only_once(db, django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            notify(person=person, kind="mention", title="You were mentioned", dedupe_key="m:1")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_in_app_only_choice_sends_no_email(db, django_capture_on_commit_callbacks):
    person = PersonFactory()
    NotificationSetting.objects.create(person=person, kind="mention", delivery="in_app")
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="mention", title="You were mentioned")
    assert Notification.objects.count() == 1
    assert mail.outbox == []


def test_a_kind_switched_off_is_not_recorded(db):
    person = PersonFactory()
    NotificationSetting.objects.create(person=person, kind="mention", delivery="off")
    assert notify(person=person, kind="mention", title="x") is None
    assert not Notification.objects.exists()


def test_people_who_left_are_not_notified(db):
    person = PersonFactory(status=PersonStatus.LEFT)
    assert notify(person=person, kind="mention", title="x") is None


def test_an_unknown_kind_is_a_programming_error(db):
    with pytest.raises(ValueError, match=r"notifications/kinds\.py"):
        notify(person=PersonFactory(), kind="nope", title="x")
