"""Secrets kept in the database, encrypted at rest (a chat webhook's address).

AES-GCM under a key derived per purpose with HKDF-SHA256 from `TANDEM_ENCRYPTION_KEY`, or
from SECRET_KEY when that is unset (docs/configuration.md). The purpose is also the
associated data, so a value sealed for one use cannot be opened for another. A copy of the
database alone reads as noise; a value that was changed fails authentication.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

NONCE = 12


class Unreadable(ValueError):
    """A sealed value this server cannot open: the key changed, or the value was altered."""


def _box(purpose: str) -> AESGCM:
    secret = (settings.ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=f"tandem:{purpose}".encode()
    ).derive(secret)
    return AESGCM(key)


def seal(text: str, *, purpose: str) -> str:
    """`text` encrypted and authenticated for `purpose`, as URL-safe base64."""
    nonce = secrets.token_bytes(NONCE)
    sealed = nonce + _box(purpose).encrypt(nonce, text.encode(), purpose.encode())
    return base64.urlsafe_b64encode(sealed).decode()


def unseal(token: str, *, purpose: str) -> str:
    """The text inside `token`; Unreadable when this server did not seal it for `purpose`."""
    try:
        data = base64.urlsafe_b64decode(token.encode("ascii"))
        if len(data) <= NONCE:
            raise ValueError
        return _box(purpose).decrypt(data[:NONCE], data[NONCE:], purpose.encode()).decode()
    except (binascii.Error, ValueError, UnicodeError, InvalidTag) as error:
        raise Unreadable("This secret cannot be read with the current key.") from error
