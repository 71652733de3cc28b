from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tandem.access.rules import SYSTEM
from tandem.integrations.scim import services

SCIM = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    """A Django test client speaking SCIM with a bearer token."""

    def __init__(self, raw: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def send(self, method: str, path: str, body: Any, **headers: str) -> Any:
        data = body if isinstance(body, str | bytes) else __import__("json").dumps(body)
        return getattr(self.client, method)(
            path, data, content_type=SCIM, headers={**self.headers, **headers}
        )

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.send("post", path, body, **headers)

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.send("put", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.send("patch", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(path, headers={**self.headers, **headers})


@pytest.fixture
def scim_token(db: None) -> str:
    _, raw = services.create_scim_token(name="Okta", by=SYSTEM)
    return raw


@pytest.fixture
def scim(scim_token: str) -> ScimClient:
    return ScimClient(scim_token)


def user_payload(email: str, **extra: Any) -> dict[str, Any]:
    given, _, family = email.partition("@")[0].partition(".")
    body: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "userName": email,
        "name": {"givenName": given.title() or "A", "familyName": family.title() or "B"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
    }
    body.update(extra)
    return body


def patch_ops(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}
