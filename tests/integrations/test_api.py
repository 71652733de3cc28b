"""The chat webhook API: IT admins only; the address goes in and never comes out."""

from __future__ import annotations

import json

from tandem.integrations.models import ChatWebhook


def _post(client, path, body):  # type: ignore[no-untyped-def]
    return client.post(path, json.dumps(body), content_type="application/json")


def test_it_adds_a_webhook_and_never_gets_the_address_back(client_for, it):
    client = client_for(it)
    created = _post(
        client,
        "/api/v1/integrations/chat/webhooks",
        {"provider": "teams", "name": "#people", "url": "http://127.0.0.1:9/SECRETwxyz"},
    )
    listed = client.get("/api/v1/integrations/chat/webhooks")

    assert created.status_code == 201
    assert created.json()["url_ending"] == "wxyz"
    assert "SECRET" not in created.content.decode() + listed.content.decode()
    assert [w["name"] for w in listed.json()] == ["#people"]


def test_a_bad_address_is_a_422_naming_the_field(client_for, it, settings):
    settings.DEBUG = False
    settings.CHAT_ALLOW_LOCAL_WEBHOOKS = False
    response = _post(
        client_for(it),
        "/api/v1/integrations/chat/webhooks",
        {"provider": "slack", "name": "#x", "url": "http://hooks.slack.com/services/a"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "url"]
    assert not ChatWebhook.objects.exists()


def test_an_unknown_department_is_a_422(client_for, it):
    response = _post(
        client_for(it),
        "/api/v1/integrations/chat/webhooks",
        {"provider": "slack", "name": "#x", "url": "http://127.0.0.1:9/h", "department_id": 999999},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "department_id"]


def test_the_test_endpoint_says_what_came_of_it(client_for, it, make_webhook, httpserver):
    httpserver.expect_request("/h").respond_with_data("ok")
    webhook = make_webhook(httpserver.url_for("/h"))
    response = _post(client_for(it), f"/api/v1/integrations/chat/webhooks/{webhook.pk}/test", {})
    assert response.json() == {"delivered": True, "message": "Slack answered 200: delivered."}


def test_the_deliveries_endpoint_counts_per_status(client_for, it, make_webhook):
    make_webhook("http://127.0.0.1:9/h")
    body = client_for(it).get("/api/v1/integrations/chat/deliveries?status=failed").json()
    assert body["items"] == []
    assert body["counts"] == {"pending": 0, "sending": 0, "delivered": 0, "failed": 0}


def test_a_tampered_cursor_is_a_422(client_for, it):
    response = client_for(it).get("/api/v1/integrations/chat/deliveries?cursor=bm90LWEtY3Vyc29y")
    assert response.status_code == 422
