"""The shared keyset cursors: what we write comes back; anything else is a BadCursor."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest

from tandem.core.pagination import (
    BadCursor,
    decode_text_cursor,
    decode_time_cursor,
    encode_cursor,
)


def _raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_name_cursor_comes_back_as_written():
    assert decode_text_cursor(encode_cursor("Ölmez, Ayşe", 42), max_length=210) == (
        "Ölmez, Ayşe",
        42,
    )


def test_a_time_cursor_comes_back_as_written():
    at = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    assert decode_time_cursor(encode_cursor(at, 7)) == (at, 7)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "!!!",
        _raw(["a", 2**63]),
        _raw(["a", 0]),
        _raw(["a", True]),
        _raw(["a", 1.0]),
        _raw(["a\x00", 1]),
        _raw(["a" * 211, 1]),
        _raw([1, 1]),
        _raw({"a": 1}),
        _raw(["a", 1, 2]),
    ],
)
def test_a_name_cursor_we_did_not_write_is_refused(cursor):
    with pytest.raises(BadCursor):
        decode_text_cursor(cursor, max_length=210)


@pytest.mark.parametrize(
    "stamp",
    [
        "2026-01-01T00:00:00",  # naive
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-05:00",  # after year 9999 in UTC
        "not a time",
        "2026-01-01T00:00:00+00:00" + " " * 40,
    ],
)
def test_a_time_cursor_we_did_not_write_is_refused(stamp):
    with pytest.raises(BadCursor):
        decode_time_cursor(_raw([stamp, 1]))


def test_the_message_can_be_the_callers_own():
    with pytest.raises(BadCursor, match="from the top"):
        decode_time_cursor("!!!", message="The list starts again from the top.")
