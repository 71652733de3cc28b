"""Events from the audit trail reach a real receiver, signed, at least once, with back-off,
and an endpoint that keeps failing is switched off with a notice to IT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tandem.integrations.webhooks import services, tasks
from tandem.integrations.webhooks.models import Attempt, Delivery, DeliveryStatus, Endpoint, Message
from tandem.notifications.models import Notification
from tandem.org.models import Person
from tandem.org.services.people import create_person
from tests.factories import PersonFactory, hr_admin
from tests.integrations.webhooks.conftest import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db: None) -> Person:
    return hr_admin(first_name="Hana", last_name="Hr")


def _hire(hr: Person, capture: Any, email: str = "new.joiner@example.com") -> Person:
    with capture(execute=True):
        return create_person(by=hr, email=email, first_name="Nia", last_name="Joiner")


def test_a_person_created_reaches_the_receiver_with_a_valid_signature(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("person.created")
    person = _hire(hr, django_capture_on_commit_callbacks)
    assert len(receiver.verified) == 1
    event = receiver.verified[0]
    assert event["type"] == "person.created"
    assert event["data"]["person"] == {
        "id": person.pk,
        "email": "new.joiner@example.com",
        "employee_id": None,
        "name": person.display_name,
    }
    assert receiver.ids[0].startswith("msg_")
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.last_status_code == 200


def test_an_endpoint_without_private_data_gets_no_titles_or_changes(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    data = receiver.verified[0]["data"]
    assert "title" not in data
    assert "changes" not in data


def test_an_endpoint_with_private_data_gets_the_title_and_changes(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("person.created", private_data=True)
    _hire(hr, django_capture_on_commit_callbacks)
    data = receiver.verified[0]["data"]
    assert data["title"] == "Nia Joiner"
    assert data["changes"]["email"] == [None, "new.joiner@example.com"]


def test_feedback_given_never_carries_the_text(
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tandem.feedback.services import give_feedback

    make_endpoint("feedback.given", private_data=True)
    giver, recipient = PersonFactory(), PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        give_feedback(
            by=giver,
            recipient=recipient,
            text="Your demo on Tuesday was clear and well paced.",
            visibility="private",
        )
    assert [b["type"] for b in receiver.bodies()] == ["feedback.given"]
    assert "Tuesday" not in receiver.requests[0]["body"]


def test_an_endpoint_gets_only_the_event_types_it_chose(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("goal.closed")
    _hire(hr, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not Message.objects.exists()


def test_a_rolled_back_write_sends_nothing(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.db import transaction

    make_endpoint("person.created")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                create_person(by=hr, email="ghost@example.com", first_name="G", last_name="Host")
                raise RuntimeError("the rest of the write failed")
        except RuntimeError:
            pass
    assert receiver.requests == []


def test_a_switched_off_endpoint_gets_nothing(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("person.created", enabled=False)
    _hire(hr, django_capture_on_commit_callbacks)
    assert receiver.requests == []


def test_fanning_out_the_same_audit_events_twice_adds_nothing(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    assert services.fan_out(audit_event_ids=[message.audit_event_id]) == []
    assert Message.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt_with_the_same_id(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.fail_first = 2
    make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    start = timezone.now()
    for waited in (services.RETRY_SCHEDULE[0], services.RETRY_SCHEDULE[1]):
        start += timedelta(seconds=waited + 1)
        with time_machine.travel(start, tick=False):
            tasks.deliver.enqueue(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts == 3
    assert len(set(receiver.ids)) == 1
    assert len(receiver.verified) == 1
    codes = list(Attempt.objects.order_by("at", "pk").values_list("status_code", flat=True))
    assert codes == [500, 500, 200]


def test_a_retry_before_its_back_off_is_over_sends_nothing(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.fail_first = 1
    make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.next_attempt_at is not None
    assert services.attempt_delivery(delivery_id=delivery.pk).status == "skipped"
    assert len(receiver.requests) == 1


def test_the_back_off_grows_to_about_a_day_in_all() -> None:
    total = sum(services.RETRY_SCHEDULE)
    assert all(
        a < b
        for a, b in zip(services.RETRY_SCHEDULE[:5], services.RETRY_SCHEDULE[1:6], strict=True)
    )
    assert timedelta(hours=23) < timedelta(seconds=total) < timedelta(hours=27)


def _fail_to_the_end(delivery: Delivery) -> None:
    at = timezone.now()
    for waited in services.RETRY_SCHEDULE:
        at += timedelta(seconds=waited + 1)
        with time_machine.travel(at, tick=False):
            tasks.deliver.enqueue(delivery.pk)


def test_an_endpoint_failing_for_a_day_is_switched_off_and_it_admins_are_told(
    hr: Person,
    it: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.fail_first = 100
    endpoint = make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    _fail_to_the_end(delivery)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS
    assert "Gave up after 8 attempts" in delivery.last_answer
    assert not endpoint.enabled
    assert "accepted no event for a day" in endpoint.disabled_reason
    notice = Notification.objects.get(person=it, kind="integrations.webhook_disabled")
    assert "HRIS sync" in notice.title
    assert not Notification.objects.filter(person=hr, kind="integrations.webhook_disabled").exists()


def test_an_endpoint_that_accepted_other_events_meanwhile_stays_on(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.fail_first = 100
    endpoint = make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    late = timezone.now() + timedelta(seconds=sum(services.RETRY_SCHEDULE) - 3600)
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=late)
    _fail_to_the_end(delivery)
    endpoint.refresh_from_db()
    assert endpoint.enabled


def test_redelivering_sends_the_same_event_id_again(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    endpoint = make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.select_related("endpoint").get()
    with django_capture_on_commit_callbacks(execute=True):
        services.redeliver(delivery=delivery, by=endpoint.created_by)
    assert len(receiver.verified) == 2
    assert receiver.ids[0] == receiver.ids[1]


def test_after_a_rotation_both_secrets_verify_for_a_day(
    it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("person.created")
    old = receiver.secrets.pop()
    new = services.rotate_secret(endpoint=endpoint, by=it)
    receiver.secrets[:] = [new]
    assert services.send_test_event(endpoint=endpoint, by=it).delivered
    signature = receiver.requests[-1]["headers"]["webhook-signature"]
    assert len(signature.split(" ")) == 2
    for secret in (old, new):
        receiver.secrets[:] = [secret]
        assert services.send_test_event(endpoint=endpoint, by=it).delivered


def test_after_a_day_the_old_secret_no_longer_signs(
    it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("person.created")
    old = receiver.secrets.pop()
    services.rotate_secret(endpoint=endpoint, by=it)
    receiver.secrets[:] = [old]
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        answer = services.send_test_event(endpoint=endpoint, by=it)
    assert not answer.delivered
    assert answer.status_code == 401


def test_a_test_event_is_logged_with_the_answer(
    it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("person.created")
    answer = services.send_test_event(endpoint=endpoint, by=it)
    assert answer.delivered
    assert receiver.verified[0]["type"] == "webhook.test"
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.DELIVERED, 200)


def test_a_failed_test_event_is_not_retried(
    it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    receiver.fail_first = 1
    endpoint = make_endpoint("person.created")
    answer = services.send_test_event(endpoint=endpoint, by=it)
    assert not answer.delivered
    assert "error (500)" in answer.message
    assert Delivery.objects.get(endpoint=endpoint).status == DeliveryStatus.FAILED


def test_a_delivery_abandoned_mid_post_is_sent_again_by_the_daily_sweep(
    hr: Person,
    make_endpoint: Callable[..., Endpoint],
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receiver.fail_first = 1
    make_endpoint("person.created")
    _hire(hr, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENDING)
    later = timezone.now() + timedelta(hours=1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.requeue_stalled() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(set(receiver.ids)) == 1
