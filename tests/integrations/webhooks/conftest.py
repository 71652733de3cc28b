"""Receivers for outgoing webhooks: a real HTTP server on loopback (pytest-httpserver) that
verifies each event's signature with the `standardwebhooks` library, as a company's system
would, and can fail its first attempts."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from standardwebhooks import Webhook, WebhookVerificationError
from werkzeug import Request, Response

from tandem.integrations.webhooks import services
from tandem.integrations.webhooks.models import Endpoint
from tandem.org.models import Person
from tests.factories import it_admin


@pytest.fixture
def it(db: None) -> Person:
    return it_admin(first_name="Ida", last_name="Itadmin")


@dataclass
class Receiver:
    """What the receiving system saw: every request, and the verified events."""

    url: str
    secrets: list[str] = field(default_factory=list)
    fail_first: int = 0
    fail_with: int = 500
    requests: list[dict[str, Any]] = field(default_factory=list)
    verified: list[dict[str, Any]] = field(default_factory=list)

    def handle(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append({"headers": headers, "body": body})
        if len(self.requests) <= self.fail_first:
            return Response("busy", status=self.fail_with)
        for secret in self.secrets:
            try:
                self.verified.append(Webhook(secret).verify(body, headers))
            except WebhookVerificationError:
                continue
            return Response("ok", status=200)
        return Response("bad signature", status=401)

    @property
    def ids(self) -> list[str]:
        return [r["headers"]["webhook-id"] for r in self.requests]

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]


@pytest.fixture
def receiver(httpserver: HTTPServer) -> Receiver:
    found = Receiver(url=httpserver.url_for("/hook"))
    httpserver.expect_request("/hook", method="POST").respond_with_handler(found.handle)
    return found


@pytest.fixture
def make_endpoint(it: Person, receiver: Receiver) -> Callable[..., Endpoint]:
    def make(*event_types: str, **fields: Any) -> Endpoint:
        endpoint, secret = services.create_endpoint(
            name=fields.pop("name", "HRIS sync"),
            url=fields.pop("url", receiver.url),
            event_types=list(event_types) or ["person.created"],
            by=it,
            **fields,
        )
        receiver.secrets.append(secret)
        return endpoint

    return make
