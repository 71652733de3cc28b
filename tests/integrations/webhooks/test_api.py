"""The outgoing webhooks API: IT admins; the secret is answered once; bad input is a 422
naming the field and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tandem.integrations.webhooks.models import Endpoint
from tandem.org.models import Person
from tests.integrations.webhooks.conftest import Receiver

ENDPOINTS = "/api/v1/integrations/webhooks/endpoints"


def _send(client: Any, method: str, path: str, body: dict[str, Any]) -> Any:
    return client.generic(method, path, json.dumps(body), content_type="application/json")


def test_it_adds_an_endpoint_and_gets_the_secret_only_once(
    client_for: Any, it: Person, receiver: Receiver
) -> None:
    client = client_for(it)
    created = _send(
        client,
        "POST",
        ENDPOINTS,
        {"name": "HRIS", "url": receiver.url, "event_types": ["goal.closed"]},
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint_id = created.json()["endpoint"]["id"]
    listed = client.get(ENDPOINTS).content.decode()
    one = client.get(f"{ENDPOINTS}/{endpoint_id}").content.decode()
    assert secret not in listed + one


def test_an_unknown_event_type_is_a_422_naming_the_field(client_for: Any, it: Person) -> None:
    response = _send(
        client_for(it),
        "POST",
        ENDPOINTS,
        {"name": "HRIS", "url": "http://127.0.0.1:9/", "event_types": ["goal.exploded"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "event_types"]
    assert "goal.exploded" in response.json()["errors"][0]["msg"]
    assert not Endpoint.objects.exists()


def test_a_private_address_is_a_422_naming_the_url(
    client_for: Any, it: Person, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    response = _send(
        client_for(it),
        "POST",
        ENDPOINTS,
        {
            "name": "Metadata",
            "url": "https://169.254.169.254/latest",
            "event_types": ["goal.closed"],
        },
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["body", "url"]
    assert "private network" in error["msg"]
    assert not Endpoint.objects.exists()


def test_a_missing_field_is_a_422_not_a_500(client_for: Any, it: Person) -> None:
    response = _send(client_for(it), "POST", ENDPOINTS, {"name": "HRIS"})
    assert response.status_code == 422


def test_the_test_event_answers_the_response_code(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    endpoint = make_endpoint("goal.closed")
    response = client_for(it).post(f"{ENDPOINTS}/{endpoint.pk}/test")
    assert response.json() == {
        "delivered": True,
        "status_code": 200,
        "message": "Delivered: the endpoint answered 200.",
    }


def test_the_delivery_log_lists_response_codes_and_redelivery_is_accepted(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    receiver.fail_first = 1
    endpoint = make_endpoint("goal.closed")
    client = client_for(it)
    client.post(f"{ENDPOINTS}/{endpoint.pk}/test")
    log = client.get(f"{ENDPOINTS}/{endpoint.pk}/deliveries").json()
    assert [(d["status"], d["last_status_code"]) for d in log["items"]] == [("failed", 500)]
    assert log["counts"]["failed"] == 1
    delivery_id = log["items"][0]["id"]
    again = client.post(f"{ENDPOINTS}/{endpoint.pk}/deliveries/{delivery_id}/redeliver")
    assert again.status_code == 202


def test_redelivering_to_a_switched_off_endpoint_is_a_422(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint], receiver: Receiver
) -> None:
    receiver.fail_first = 1
    endpoint = make_endpoint("goal.closed")
    client = client_for(it)
    client.post(f"{ENDPOINTS}/{endpoint.pk}/test")
    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
    delivery_id = client.get(f"{ENDPOINTS}/{endpoint.pk}/deliveries").json()["items"][0]["id"]
    response = client.post(f"{ENDPOINTS}/{endpoint.pk}/deliveries/{delivery_id}/redeliver")
    assert response.status_code == 422
    assert "switched off" in response.content.decode()


def test_a_bad_cursor_is_a_422(
    client_for: Any, it: Person, make_endpoint: Callable[..., Endpoint]
) -> None:
    endpoint = make_endpoint("goal.closed")
    response = client_for(it).get(f"{ENDPOINTS}/{endpoint.pk}/deliveries?cursor=nonsense")
    assert response.status_code == 422
