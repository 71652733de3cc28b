"""Defects found in review: audit page links that answered 500. A page link is sealed by
the server (see test_cursor.py); even one sealed with our own key but holding a time or an
id out of range is refused with a 400, never a 500."""

from __future__ import annotations

import base64
import json
import secrets

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tandem.audit.models import AuditEvent
from tandem.audit.queries import CURSOR_PURPOSE
from tandem.core import anonymity
from tests.factories import hr_admin

pytestmark = pytest.mark.django_db


def sealed(payload: object) -> str:
    """What the server would seal, for any payload: the server's own key and purpose."""
    nonce = secrets.token_bytes(12)
    box = AESGCM(anonymity.derive(f"cursor:{CURSOR_PURPOSE}"))
    raw = json.dumps(payload).encode()
    return (
        base64.urlsafe_b64encode(nonce + box.encrypt(nonce, raw, CURSOR_PURPOSE.encode()))
        .decode()
        .rstrip("=")
    )


@pytest.mark.parametrize(
    "payload",
    [
        ["0001-01-01T00:00:00+05:00", 1],
        ["9999-12-31T23:59:59-05:00", 1],
        ["2026-01-01T00:00:00+00:00", 2**70],
        ["2026-01-01T00:00:00", 1],
        ["not a time", 1],
        "not a pair",
    ],
)
def test_a_sealed_page_link_out_of_range_is_refused_not_a_500(client_for, payload):
    AuditEvent.objects.create(
        actor_label="system",
        kind="person.update",
        object_type="org.person",
        object_id="1",
        object_label="newest",
        changes={},
    )
    client = client_for(hr_admin())
    client.raise_request_exception = False
    response = client.get("/hr/audit/", {"after": sealed(payload)})
    assert response.status_code == 400
    assert "page link is not valid" in response.text
