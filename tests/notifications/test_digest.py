from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.reminders import REMINDERS
from tandem.notifications import digest
from tandem.notifications.kinds import Delivery
from tandem.notifications.models import Notification, NotificationSetting
from tandem.notifications.reminders import weekly_digest
from tandem.notifications.services import notify
from tandem.notifications.tasks import send_weekly_digests
from tandem.org.models import PersonStatus
from tests.factories import PersonFactory
from tests.notifications.factories import NotificationFactory

pytestmark = pytest.mark.dates

MONDAY = date(2026, 3, 2)
LAST_WEEK = datetime(2026, 2, 26, 10, 0, tzinfo=timezone.get_default_timezone())


def _digest_item(person, **kwargs):
    return NotificationFactory(
        person=person, delivery=Delivery.DIGEST, created_at=LAST_WEEK, **kwargs
    )


def test_the_digest_is_registered_as_a_reminder():
    assert weekly_digest in REMINDERS


def test_a_digest_choice_sends_no_email_right_away(db, django_capture_on_commit_callbacks):
    person = PersonFactory()
    NotificationSetting.objects.create(person=person, kind="mention", delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        notify(person=person, kind="mention", title="You were mentioned")
    assert mail.outbox == []
    assert Notification.objects.get().digested_at is None


def test_one_email_lists_all_of_a_persons_pending_items(db):
    person = PersonFactory()
    _digest_item(person, title="Ana gave you feedback")
    _digest_item(person, title="Bo mentioned you")
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Ana gave you feedback" in message.body and "Bo mentioned you" in message.body
    assert "2 notifications" in message.subject


def test_the_items_are_marked_digested(db):
    person = PersonFactory()
    item = _digest_item(person)
    send_weekly_digests.enqueue(MONDAY.isoformat())
    item.refresh_from_db()
    assert item.digested_at is not None


def test_running_twice_the_same_day_sends_exactly_once(db):
    person = PersonFactory()
    _digest_item(person)
    send_weekly_digests.enqueue(MONDAY.isoformat())
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert len(mail.outbox) == 1


def test_items_from_today_wait_for_next_week(db):
    person = PersonFactory()
    NotificationFactory(
        person=person,
        delivery=Delivery.DIGEST,
        created_at=digest.cutoff_for(MONDAY) + timedelta(hours=3),
    )
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert mail.outbox == []


def test_each_person_gets_their_own_email(db):
    first, second = PersonFactory(), PersonFactory()
    _digest_item(first, title="For the first")
    _digest_item(second, title="For the second")
    send_weekly_digests.enqueue(MONDAY.isoformat())
    bodies = {tuple(m.to): m.body for m in mail.outbox}
    assert "For the first" in bodies[(first.email,)]
    assert "For the second" not in bodies[(first.email,)]
    assert "For the second" in bodies[(second.email,)]


def test_items_not_chosen_for_the_digest_are_left_out(db):
    person = PersonFactory()
    NotificationFactory(person=person, delivery=Delivery.EMAIL, created_at=LAST_WEEK)
    NotificationFactory(person=person, delivery=Delivery.IN_APP, created_at=LAST_WEEK)
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert mail.outbox == []


def test_people_who_left_get_no_digest(db):
    person = PersonFactory(status=PersonStatus.LEFT)
    _digest_item(person)
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert mail.outbox == []


def test_a_long_week_lists_the_newest_and_counts_the_rest(db):
    person = PersonFactory()
    Notification.objects.bulk_create(
        [
            Notification(
                person=person,
                kind="mention",
                title=f"Mention {i:02d}",
                delivery=Delivery.DIGEST,
                created_at=LAST_WEEK - timedelta(minutes=i),
            )
            for i in range(digest.LISTED_PER_PERSON + 5)
        ]
    )
    send_weekly_digests.enqueue(MONDAY.isoformat())
    body = mail.outbox[0].body
    assert "Mention 00" in body and f"Mention {digest.LISTED_PER_PERSON + 4:02d}" not in body
    assert "and 5 more" in body


def test_the_email_links_straight_to_what_each_notification_is_about(db, settings):
    settings.SITE_URL = "https://tandem.example.com"
    person = PersonFactory()
    item = _digest_item(person)
    Notification.objects.filter(pk=item.pk).update(url="/feedback/42/")
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert "https://tandem.example.com/feedback/42/" in mail.outbox[0].body
    assert "/open/" not in mail.outbox[0].body


def test_the_email_never_links_to_another_site(db, settings):
    settings.SITE_URL = "https://tandem.example.com"
    person = PersonFactory()
    item = _digest_item(person)
    Notification.objects.filter(pk=item.pk).update(url="//evil.example/phish")
    send_weekly_digests.enqueue(MONDAY.isoformat())
    assert "evil.example" not in mail.outbox[0].body


def test_the_batch_queries_do_not_grow_with_people(db, monkeypatch):
    monkeypatch.setattr(digest, "BATCH_SIZE", 100)
    people = [PersonFactory() for _ in range(3)]
    for person in people:
        _digest_item(person)
    with CaptureQueriesContext(connection) as few:
        digest.send_weekly_digests(MONDAY)
    more = [PersonFactory() for _ in range(12)]
    for person in more:
        _digest_item(person)
    with CaptureQueriesContext(connection) as many:
        digest.send_weekly_digests(MONDAY + timedelta(days=7))
    # Each e-mail is one task; the immediate test backend runs it at once, writing and
    # sending it through the outbox (core_outgoingemail). All else is fixed.
    assert len(_batch_queries(many)) == len(_batch_queries(few))


def _batch_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "core_outgoingemail" not in q["sql"]]


def test_people_are_taken_in_batches(db, monkeypatch):
    monkeypatch.setattr(digest, "BATCH_SIZE", 2)
    for _ in range(5):
        _digest_item(PersonFactory())
    run = digest.send_weekly_digests(MONDAY)
    assert run.people == 5
    assert len(mail.outbox) == 5


def test_the_reminder_sends_on_mondays_only(db):
    _digest_item(PersonFactory())
    assert weekly_digest(MONDAY + timedelta(days=1)) == 0
    assert mail.outbox == []
    assert weekly_digest(MONDAY) == 1
    assert len(mail.outbox) == 1


def test_the_reminder_run_hourly_on_a_monday_sends_once(db):
    _digest_item(PersonFactory())
    for _ in range(3):
        weekly_digest(MONDAY)
    assert len(mail.outbox) == 1
