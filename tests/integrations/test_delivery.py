"""Posting notifications to Slack and Teams through the task queue, against a real local
receiver (pytest-httpserver): once each, retried on 429/5xx/timeouts, bounded."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from django_tasks import default_task_backend
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tandem.integrations import services, tasks
from tandem.integrations.models import ChatDelivery, DeliveryStatus
from tandem.notifications.services import Message, notify, notify_many
from tests.factories import DepartmentFactory, PersonFactory
from tests.integrations.conftest import choose_chat

SITE = "http://127.0.0.1:8000"


def _notify(person, django_capture_on_commit_callbacks, key="k1"):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return notify(
            person=person,
            kind="mention",
            title="Ana mentioned you in a comment",
            body="PRIVATE-TEXT-7731 the comment itself",
            url="/goals/12/",
            dedupe_key=key,
        )


def _posts(httpserver) -> list[dict]:  # type: ignore[no-untyped-def]
    return [json.loads(request.get_data()) for request, _ in httpserver.log]


def test_a_slack_delivery_posts_once_with_title_name_and_link(
    httpserver, make_webhook, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = SITE
    httpserver.expect_request("/slack", method="POST").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory(first_name="Olu", last_name="Owner")
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    [posted] = _posts(httpserver)
    link = f"<{SITE}/goals/12/|Ana mentioned you in a comment>"
    assert posted == {"text": f"{link}\nFor {person.display_name} · Tandem"}
    assert ChatDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_teams_delivery_posts_an_adaptive_card(
    httpserver, make_webhook, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = SITE
    httpserver.expect_request("/teams", method="POST").respond_with_data("", status=202)
    make_webhook(httpserver.url_for("/teams"), provider="teams")
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    [posted] = _posts(httpserver)
    assert posted["type"] == "message"
    [attachment] = posted["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Ana mentioned you in a comment"
    assert person.display_name in card["body"][1]["text"]
    assert card["actions"][0]["url"] == f"{SITE}/goals/12/"
    assert ChatDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_message_never_carries_the_notifications_text(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    assert "PRIVATE-TEXT-7731" not in httpserver.log[0][0].get_data(as_text=True)


def test_nothing_is_posted_for_people_who_did_not_choose_chat(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    make_webhook(httpserver.url_for("/slack"))

    _notify(PersonFactory(), django_capture_on_commit_callbacks)

    assert httpserver.log == []
    assert not ChatDelivery.objects.exists()


def test_a_webhook_for_a_department_serves_its_sub_departments_only(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/eng").respond_with_data("ok")
    engineering = DepartmentFactory(name="Chat Engineering")
    platform = DepartmentFactory(name="Chat Platform", parent=engineering)
    make_webhook(httpserver.url_for("/eng"), department=engineering)
    inside = PersonFactory(department=platform)
    outside = PersonFactory(department=DepartmentFactory(name="Chat Sales"))
    choose_chat(inside)
    choose_chat(outside)

    _notify(inside, django_capture_on_commit_callbacks, key="in")
    _notify(outside, django_capture_on_commit_callbacks, key="out")

    assert len(httpserver.log) == 1
    assert ChatDelivery.objects.count() == 1


def test_a_switched_off_webhook_posts_nothing(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    make_webhook(httpserver.url_for("/slack"), enabled=False)
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    assert httpserver.log == []


def test_notify_many_posts_each_chat_notification_once(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    chatty, quiet = PersonFactory(), PersonFactory()
    choose_chat(chatty, "goals.checkin_reminder")
    messages = [
        Message(person_id=p.pk, title="Write your check-in", dedupe_key=f"c{p.pk}")
        for p in (chatty, quiet)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        notify_many(kind="goals.checkin_reminder", messages=messages)
    with django_capture_on_commit_callbacks(execute=True):
        notify_many(kind="goals.checkin_reminder", messages=messages)

    assert len(httpserver.log) == 1


def test_a_500_then_a_200_delivers_once_after_a_retry(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_ordered_request("/slack").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    delivery = ChatDelivery.objects.get()
    assert [response.status_code for _, response in httpserver.log] == [500, 200]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_a_429_waits_as_long_as_retry_after_says(
    httpserver, make_webhook, django_capture_on_commit_callbacks, monkeypatch
):
    paused: list[float] = []
    monkeypatch.setattr(tasks.time, "sleep", paused.append)
    monkeypatch.setattr(tasks, "INLINE_PAUSE_CAP", 3600)
    httpserver.expect_ordered_request("/slack").respond_with_data(
        "rate_limited", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    assert paused == [7]
    assert ChatDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_a_429_is_deferred_through_the_queue_when_the_backend_can_defer(
    httpserver, make_webhook, settings
):
    httpserver.expect_request("/slack").respond_with_data(
        "rate_limited", status=429, headers={"Retry-After": "120"}
    )
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)
    notification = notify(person=person, kind="mention", title="Hello")
    [delivery_id] = services.create_deliveries(notification_ids=[notification.pk])
    # A backend that can defer, like the database backend in production; it runs nothing.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    assert tasks.send_chat_delivery.call(delivery_id, False) == DeliveryStatus.PENDING

    delivery = ChatDelivery.objects.get()
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    assert queued.args == [delivery_id]
    assert queued.task.run_after is not None and delivery.next_attempt_at is not None
    assert abs((queued.task.run_after - delivery.next_attempt_at).total_seconds()) < 5
    assert "Trying again in 120 s" in delivery.last_answer
    assert len(httpserver.log) == 1


def test_a_delivery_not_due_yet_is_not_posted_early(httpserver, make_webhook):
    httpserver.expect_request("/slack").respond_with_data("busy", status=503)
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)
    notification = notify(person=person, kind="mention", title="Hello")
    [delivery_id] = services.create_deliveries(notification_ids=[notification.pk])
    services.attempt_delivery(delivery_id=delivery_id)

    assert services.attempt_delivery(delivery_id=delivery_id).status == "skipped"
    assert len(httpserver.log) == 1


@pytest.fixture
def slow_server() -> Iterator[HTTPServer]:
    """A receiver of its own, threaded, stopped after the test: requests the client gave up
    on finish here, not in the next test's receiver."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_timeout_is_retried_a_bounded_number_of_times_then_fails_with_a_message(
    slow_server, make_webhook, django_capture_on_commit_callbacks, short_timeout
):
    def slow(request: Request) -> Response:
        time.sleep(short_timeout * 2)
        return Response("ok")

    slow_server.expect_request("/slack").respond_with_handler(slow)
    make_webhook(slow_server.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    delivery = ChatDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 5)
    assert "did not answer within 0.2 s" in delivery.last_answer
    assert "Gave up after 5 attempts" in delivery.last_answer


def test_a_404_fails_at_once_without_retrying(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/slack").respond_with_data("no_service", status=404)
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    delivery = ChatDelivery.objects.get()
    assert len(httpserver.log) == 1
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert "Slack answered 404: the webhook was deleted" in delivery.last_answer


def test_a_retried_task_posts_nothing_more(
    httpserver, make_webhook, django_capture_on_commit_callbacks
):
    httpserver.expect_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)
    notification = _notify(person, django_capture_on_commit_callbacks)

    tasks.post_to_chat.call([notification.pk])
    tasks.send_chat_delivery.call(ChatDelivery.objects.get().pk)

    assert len(httpserver.log) == 1
    assert ChatDelivery.objects.count() == 1


def test_a_delivery_claimed_by_a_concurrent_task_is_not_posted_again(httpserver, make_webhook):
    httpserver.expect_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)
    notification = notify(person=person, kind="mention", title="Hello")
    [delivery_id] = services.create_deliveries(notification_ids=[notification.pk])
    # Another worker claimed the row and is posting right now.
    ChatDelivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENDING)

    assert tasks.send_chat_delivery.call(delivery_id) == "skipped"
    assert services.create_deliveries(notification_ids=[notification.pk]) == []
    assert httpserver.log == []


def test_the_same_notification_twice_in_one_batch_makes_one_delivery(httpserver, make_webhook):
    httpserver.expect_request("/slack").respond_with_data("ok")
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)
    notification = notify(person=person, kind="mention", title="Hello")

    tasks.post_to_chat.call([notification.pk, notification.pk])

    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (403, "revoked"),
        (410, "deleted"),
        (400, "refused the message (invalid_payload)"),
        (302, "does not follow"),
    ],
)
def test_other_refusals_fail_at_once_in_plain_words(
    httpserver, make_webhook, django_capture_on_commit_callbacks, status, words
):
    httpserver.expect_request("/slack").respond_with_data("invalid_payload", status=status)
    make_webhook(httpserver.url_for("/slack"))
    person = PersonFactory()
    choose_chat(person)

    _notify(person, django_capture_on_commit_callbacks)

    delivery = ChatDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert words in delivery.last_answer
