"""Keyset page links: one encoder and two decoders for every list in Tandem.

A cursor is the sort key of the last row shown and its id, as compact JSON in URL-safe
base64. Cursors travel through people's hands, so decoding refuses anything we would not
have written ourselves, *before* it reaches the database: an id beyond 64 bits, a NUL byte
(PostgreSQL refuses it in text), or a time that cannot be expressed in UTC (0001-01-01 at
+05:00 overflows when converted, and would answer a 500 instead of "start again").
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from datetime import UTC, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tandem.core import anonymity

MAX_ID = 2**63 - 1
# The longest isoformat() we write is 32 characters ("2026-01-01T00:00:00.000000+00:00").
MAX_STAMP_LENGTH = 40
INVALID = "This page link is not valid; start again from the first page."
# A sealed cursor is 12 bytes of nonce, the JSON pair and a 16-byte tag, in base64: about
# 100 characters. Anything much longer was not made here.
MAX_SEALED_LENGTH = 200
NONCE = 12


class BadCursor(ValueError):
    """A page link we did not make (tampered, truncated or out of range)."""


def encode_cursor(key: str | datetime, pk: int) -> str:
    """The cursor after a row sorted by `key` (a name or a time), then by id."""
    value = key.isoformat() if isinstance(key, datetime) else key
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _pair(cursor: str) -> tuple[object, int]:
    padded = cursor + "=" * (-len(cursor) % 4)
    key, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
    if type(pk) is not int or not 0 < pk <= MAX_ID:
        raise TypeError
    return key, pk


def decode_text_cursor(cursor: str, *, max_length: int, message: str = INVALID) -> tuple[str, int]:
    """A (name, id) cursor; the name is at most `max_length` characters, without NUL."""
    try:
        key, pk = _pair(cursor)
        if not isinstance(key, str) or len(key) > max_length or "\x00" in key:
            raise TypeError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise BadCursor(message) from error
    return key, pk


def decode_time_cursor(cursor: str, *, message: str = INVALID) -> tuple[datetime, int]:
    """A (time, id) cursor; the time is aware and within what UTC can express."""
    try:
        key, pk = _pair(cursor)
        if not isinstance(key, str) or len(key) > MAX_STAMP_LENGTH:
            raise TypeError
        when = datetime.fromisoformat(key)
        if when.tzinfo is None or when.utcoffset() is None:
            raise TypeError
        # The database stores UTC: a time that cannot be converted must stop here.
        when.astimezone(UTC)
    except (binascii.Error, ValueError, TypeError, OverflowError, UnicodeDecodeError) as error:
        raise BadCursor(message) from error
    return when, pk


# --- Sealed cursors ---------------------------------------------------------------------------
# Where even the sort key and id of the last row shown must stay unknown to the reader (the
# HR audit log: ids and times would place anonymous events among the others), the cursor
# is the same pair encrypted and authenticated (AES-GCM, a key derived from the anonymity
# key per purpose). It reads as noise, and a cursor that was changed or made up fails the
# authentication and is refused like any other bad cursor.


def _box(purpose: str) -> AESGCM:
    return AESGCM(anonymity.derive(f"cursor:{purpose}"))


def encode_sealed_cursor(key: datetime, pk: int, *, purpose: str) -> str:
    """An opaque cursor after a row sorted by the time `key`, then by id."""
    nonce = secrets.token_bytes(NONCE)
    raw = json.dumps([key.isoformat(), pk], separators=(",", ":")).encode()
    sealed = nonce + _box(purpose).encrypt(nonce, raw, purpose.encode())
    return base64.urlsafe_b64encode(sealed).decode().rstrip("=")


def decode_sealed_time_cursor(
    cursor: str, *, purpose: str, message: str = INVALID
) -> tuple[datetime, int]:
    """The (time, id) inside a sealed cursor, checked as `decode_time_cursor` checks one;
    BadCursor for anything this server did not seal for `purpose`."""
    try:
        if len(cursor) > MAX_SEALED_LENGTH:
            raise ValueError
        # validate=True: a character outside the alphabet is an error, not silently dropped.
        padded = (cursor + "=" * (-len(cursor) % 4)).encode("ascii")
        data = base64.b64decode(padded, altchars=b"-_", validate=True)
        if len(data) <= NONCE:
            raise ValueError
        # The last character carries unused bits: two spellings decode alike. Only the one
        # this server wrote is a link it gave out.
        if base64.urlsafe_b64encode(data).decode().rstrip("=") != cursor:
            raise ValueError
        raw = _box(purpose).decrypt(data[:NONCE], data[NONCE:], purpose.encode())
    except (binascii.Error, ValueError, TypeError, UnicodeEncodeError, InvalidTag) as error:
        raise BadCursor(message) from error
    plain = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return decode_time_cursor(plain, message=message)
