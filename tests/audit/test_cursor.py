"""The HR audit log's page links are opaque: sealed by the server, so they hold no readable
id or time (which would let HR place anonymous events among the others), and a link that
was changed, cut, made up or sealed for something else is refused with a clear 400."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

import pytest

from tandem.audit.models import AuditEvent
from tandem.core import pagination
from tests.factories import hr_admin

pytestmark = pytest.mark.django_db

AT = datetime(2025, 3, 3, 12, 34, 56, tzinfo=UTC)


@pytest.fixture
def log(client_for):  # type: ignore[no-untyped-def]
    for n in range(60):
        AuditEvent.objects.create(
            at=AT,
            actor_label="system",
            kind="person.update",
            object_type="org.person",
            object_id="1",
            object_label=f"row-{n:03d}-",
            changes={},
        )
    client = client_for(hr_admin())
    client.raise_request_exception = False
    page = client.get("/hr/audit/").text
    cursor = re.search(r'after=([A-Za-z0-9_\-]+)" rel="next"', page).group(1)  # type: ignore[union-attr]
    return client, cursor


def _last_shown() -> AuditEvent:
    return AuditEvent.objects.order_by("-at", "-pk")[49]


def test_the_next_page_link_holds_no_readable_id_or_time(log):
    _, cursor = log
    last = _last_shown()
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    with pytest.raises(ValueError):
        json.loads(raw)
    for clue in (str(last.pk), AT.isoformat(), "2025-03-03", "12:34:56"):
        assert clue.encode() not in raw and clue not in cursor


def test_the_same_row_gives_a_different_link_each_time(log):
    last = _last_shown()
    assert pagination.encode_sealed_cursor(
        last.at, last.pk, purpose="audit-log"
    ) != pagination.encode_sealed_cursor(last.at, last.pk, purpose="audit-log")


def test_the_next_page_follows_on(log):
    client, cursor = log
    page = client.get("/hr/audit/", {"after": cursor})
    assert page.status_code == 200
    assert "row-009-" in page.text and "row-010-" not in page.text


def test_a_readable_link_naming_a_real_row_is_refused(log):
    client, _ = log
    last = _last_shown()
    readable = pagination.encode_cursor(last.at, last.pk)
    response = client.get("/hr/audit/", {"after": readable})
    assert response.status_code == 400
    assert "page link is not valid" in response.text


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # the last character changed
        lambda c: ("A" if c[0] != "A" else "B") + c[1:],  # the first character changed
        lambda c: c[: len(c) // 2],  # cut short
        lambda c: c + "AAAA",  # lengthened
        lambda c: c * 4,  # far too long
        lambda c: "",  # nothing: treated as the first page
        lambda c: "%00" + c,
        lambda c: "é" + c,
    ],
)
def test_a_changed_link_is_refused_with_a_400_never_a_500(log, change):
    client, cursor = log
    response = client.get("/hr/audit/", {"after": change(cursor)})
    assert response.status_code in (200, 400)
    if change(cursor):
        assert response.status_code == 400
        assert "Go to the first page" in response.text


def test_a_link_sealed_for_another_list_is_refused(log):
    client, _ = log
    last = _last_shown()
    other = pagination.encode_sealed_cursor(last.at, last.pk, purpose="another-list")
    assert client.get("/hr/audit/", {"after": other}).status_code == 400


def test_a_link_differing_only_in_the_unused_bits_of_its_last_character_is_refused(log):
    client, cursor = log
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    position = last.index(cursor[-1])
    # The bits below the last character's used ones: flipping the lowest changes no byte.
    twin = cursor[:-1] + last[position ^ 1]
    assert client.get("/hr/audit/", {"after": twin}).status_code == 400
