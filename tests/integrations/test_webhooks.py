"""IT setting up chat webhooks: validation, encryption at rest, the test button, the pages,
the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tandem.audit.models import AuditEvent
from tandem.integrations import queries, services
from tandem.integrations.models import ChatDelivery, ChatWebhook, DeliveryStatus
from tandem.notifications.models import Notification
from tandem.notifications.services import notify
from tests.factories import PersonFactory, it_admin
from tests.integrations.conftest import choose_chat

SLACK_URL = "https://hooks.slack.com/services/T000/B000/SECRETxyzw"


@pytest.fixture
def production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    settings.CHAT_ALLOW_LOCAL_WEBHOOKS = False


def test_the_address_is_stored_encrypted_and_decrypts_back(make_webhook, production):
    webhook = make_webhook(SLACK_URL)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT url_sealed FROM integrations_chatwebhook WHERE id = %s", [webhook.pk]
        )
        [raw] = cursor.fetchone()
    assert "hooks.slack.com" not in raw and "SECRETxyzw" not in raw
    assert services.webhook_url(ChatWebhook.objects.get()) == SLACK_URL
    assert webhook.url_hint == "xyzw"


def test_an_address_sealed_under_another_key_reads_as_unreadable(make_webhook, settings):
    webhook = make_webhook("http://127.0.0.1:9/hook")
    settings.ENCRYPTION_KEY = "another-key-" * 4

    answer = services.test_webhook(webhook=webhook, by=webhook.created_by)

    assert not answer.delivered
    assert "paste its URL again" in answer.message


def test_an_invalid_url_is_refused_with_a_message_naming_the_field(it):
    with pytest.raises(ValidationError) as error:
        services.create_webhook(provider="slack", name="#x", url="not a url", by=it)
    assert "not a web address" in error.value.message_dict["url"][0]
    assert not ChatWebhook.objects.exists()


def test_a_plain_http_address_is_refused_outside_debug(it, production):
    with pytest.raises(ValidationError) as error:
        services.create_webhook(
            provider="slack", name="#x", url="http://hooks.slack.com/services/T/B/C", by=it
        )
    assert "must start with https://" in error.value.message_dict["url"][0]


def test_a_host_that_is_not_the_providers_is_refused_outside_debug(it, production):
    with pytest.raises(ValidationError) as error:
        services.create_webhook(
            provider="teams", name="#x", url="https://hooks.slack.com/services/T/B/C", by=it
        )
    message = error.value.message_dict["url"][0]
    assert "not a Microsoft Teams webhook address" in message
    assert "webhook.office.com" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://contoso.webhook.office.com/webhookb2/abc",
        "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke",
        "https://default123.environment.api.powerplatform.com/powerautomate/abc",
    ],
)
def test_teams_hosts_are_accepted_outside_debug(it, production, url):
    assert services.create_webhook(provider="teams", name="#t", url=url, by=it).pk


def test_a_local_http_receiver_is_allowed_in_debug(it, settings):
    settings.DEBUG = True
    settings.CHAT_ALLOW_LOCAL_WEBHOOKS = False
    assert services.create_webhook(
        provider="slack", name="#l", url="http://localhost:8025/h", by=it
    )


def test_every_change_is_audited_without_the_address(make_webhook, it, production):
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    webhook = make_webhook(SLACK_URL)
    services.update_webhook(
        webhook=webhook, provider="slack", name="#renamed", enabled=False, by=it
    )
    services.delete_webhook(webhook=webhook, by=it)

    events = list(
        AuditEvent.objects.filter(kind__startswith="chat_webhook.", pk__gt=before).order_by("pk")
    )
    assert [e.kind for e in events] == [
        "chat_webhook.create",
        "chat_webhook.update",
        "chat_webhook.delete",
    ]
    assert all("SECRET" not in str(e.changes) for e in events)
    assert events[1].changes["enabled"] == [True, False]


def test_editing_without_a_url_keeps_the_stored_address(make_webhook, it, production):
    webhook = make_webhook(SLACK_URL)
    services.update_webhook(webhook=webhook, provider="slack", name="#renamed", by=it)
    assert services.webhook_url(ChatWebhook.objects.get()) == SLACK_URL


def test_changing_the_provider_checks_the_stored_address_again(make_webhook, it, production):
    webhook = make_webhook(SLACK_URL)
    with pytest.raises(ValidationError) as error:
        services.update_webhook(webhook=webhook, provider="teams", name="#x", by=it)
    assert "not a Microsoft Teams webhook address" in error.value.message_dict["url"][0]


# --- The pages --------------------------------------------------------------------------------


def test_the_page_shows_only_the_last_four_characters(client_for, it, make_webhook):
    make_webhook("http://127.0.0.1:9/hooks/SECRETabcd")
    text = client_for(it).get("/it/chat/").content.decode()
    assert "…abcd" in text
    assert "SECRETabcd" not in text


def test_adding_a_webhook_through_the_page(client_for, it):
    response = client_for(it).post(
        "/it/chat/",
        {"provider": "slack", "name": "#eng", "url": "http://127.0.0.1:9/h", "enabled": "on"},
    )
    assert response.status_code == 302
    assert ChatWebhook.objects.get().name == "#eng"


def test_a_bad_address_on_the_page_is_shown_beside_the_field(client_for, it, production):
    response = client_for(it).post(
        "/it/chat/", {"provider": "slack", "name": "#eng", "url": "https://example.com/hook"}
    )
    assert response.status_code == 400
    assert "not a Slack webhook address" in response.content.decode()
    assert not ChatWebhook.objects.exists()


def test_the_test_button_says_what_the_provider_answered(client_for, it, make_webhook, httpserver):
    httpserver.expect_request("/gone").respond_with_data("no_service", status=404)
    webhook = make_webhook(httpserver.url_for("/gone"))

    response = client_for(it).post(f"/it/chat/{webhook.pk}/test/", follow=True)

    text = response.content.decode()
    assert "Slack answered 404: the webhook was deleted" in text
    assert "create a new one and paste its URL" in text
    assert AuditEvent.objects.filter(kind="chat_webhook.test").count() == 1


def test_the_test_button_reports_a_delivered_message(client_for, it, make_webhook, httpserver):
    httpserver.expect_request("/ok").respond_with_data("ok")
    webhook = make_webhook(httpserver.url_for("/ok"))

    response = client_for(it).post(f"/it/chat/{webhook.pk}/test/", follow=True)

    assert "Slack answered 200: delivered." in response.content.decode()
    assert "Test message from Tandem" in httpserver.log[0][0].get_data(as_text=True)


def test_the_delivery_log_filters_by_status_and_counts(client_for, it, make_webhook):
    webhook = make_webhook("http://127.0.0.1:9/h")
    for i, status in enumerate([DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]):
        person = PersonFactory()
        choose_chat(person)
        notification = notify(person=person, kind="mention", title=f"Title-{status}-{i}")
        ChatDelivery.objects.create(
            notification_id=notification.pk,
            webhook=webhook,
            kind="mention",
            title=notification.title,
            status=status,
        )

    response = client_for(it).get("/it/chat/deliveries/", {"status": "failed"})

    text = response.content.decode()
    assert "Title-failed-1" in text
    assert "Title-delivered-0" not in text
    assert response.context["counts"][2][1:] == (1, "delivered")


def test_the_delivery_log_pages_with_a_cursor(client_for, it, make_webhook):
    webhook = make_webhook("http://127.0.0.1:9/h")
    person = PersonFactory()
    size = queries.PAGE_SIZE
    notifications = Notification.objects.bulk_create(
        [Notification(person=person, kind="mention", title=f"N{i}") for i in range(size + 1)]
    )
    ChatDelivery.objects.bulk_create(
        [
            ChatDelivery(notification=n, webhook=webhook, kind="mention", title=f"Page-title-{i}")
            for i, n in enumerate(notifications)
        ]
    )
    client = client_for(it)

    first = client.get("/it/chat/deliveries/")
    second = client.get(f"/it/chat/deliveries/?{first.context['next_query']}")

    assert len(first.context["page"].items) == size
    assert [d.title for d in second.context["page"].items] == ["Page-title-0"]


def test_a_tampered_page_link_starts_again(client_for, it):
    response = client_for(it).get("/it/chat/deliveries/?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 200
    assert "not valid" in response.content.decode()


def test_the_it_pages_keep_a_fixed_number_of_queries(
    client_for, it, make_webhook, django_assert_max_num_queries
):
    webhooks = [make_webhook("http://127.0.0.1:9/h", name=f"#c{i}") for i in range(5)]
    for i in range(20):
        person = PersonFactory()
        notification = notify(person=person, kind="mention", title=f"T{i}")
        ChatDelivery.objects.create(
            notification_id=notification.pk, webhook=webhooks[i % 5], kind="mention", title="T"
        )
    client = client_for(it)
    budgets = {"/it/chat/": 7, "/it/chat/deliveries/": 8, f"/it/chat/{webhooks[0].pk}/": 7}
    for page, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(page).status_code == 200


@pytest.mark.dates
def test_the_delivery_log_shows_times_in_the_viewers_zone(client_for, make_webhook):
    viewer = it_admin(time_zone="Asia/Tokyo")
    webhook = make_webhook("http://127.0.0.1:9/h")
    notification = notify(person=PersonFactory(), kind="mention", title="Zoned")
    ChatDelivery.objects.create(
        notification_id=notification.pk,
        webhook=webhook,
        kind="mention",
        title="Zoned",
        created_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )

    text = client_for(viewer).get("/it/chat/deliveries/").content.decode()

    assert "2 Mar 2026, 21:00" in text
