"""Defects found in review: audit page links that answered 500."""

from __future__ import annotations

import base64
import json

import pytest

from tandem.audit.models import AuditEvent
from tests.factories import hr_admin

pytestmark = pytest.mark.django_db


def _cursor(stamp: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([stamp, pk]).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("stamp", "pk"),
    [
        ("0001-01-01T00:00:00+05:00", 1),
        ("9999-12-31T23:59:59-05:00", 1),
        ("2026-01-01T00:00:00+00:00", 2**70),
    ],
)
def test_a_page_link_out_of_range_starts_again_from_the_top(client_for, stamp, pk):
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
    response = client.get("/hr/audit/", {"after": _cursor(stamp, pk)})
    assert response.status_code == 200
    assert "page link is not valid" in response.text
    assert "newest" in response.text
