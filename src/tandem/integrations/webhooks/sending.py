"""Signing an event (Standard Webhooks, with the `standardwebhooks` library) and one POST.

Headers: `webhook-id` (the message's id: the receiver's idempotency key, the same on every
retry), `webhook-timestamp` (seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`;
two of them, space-separated, for a day after the secret was rotated). One POST per call,
a short timeout, no redirects followed (a redirect could lead into the network)."""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from standardwebhooks import Webhook

from tandem.integrations.webhooks import addresses

TIMEOUT_SECONDS = 10.0
SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix, not a secret)


_clients: dict[str, httpx.Client] = {}
_clients_lock = threading.Lock()


def _http(host: str) -> httpx.Client:
    """One client per host name and process: building one loads the TLS certificates
    (~0.1 s), and its kept-alive connections save a handshake per event. Per host name, so a
    connection verified for one name never carries another's request (two names can share
    an address)."""
    with _clients_lock:
        client = _clients.get(host)
        if client is None:
            client = _clients[host] = httpx.Client(
                timeout=TIMEOUT_SECONDS,
                follow_redirects=False,
                limits=httpx.Limits(max_connections=16, max_keepalive_connections=8),
            )
        return client


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: whsec_ and 24 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secrets_: list[str], *, message_id: str, at: datetime, payload: bytes) -> str:
    """The `webhook-signature` header: one `v1,…` per secret, space-separated."""
    return " ".join(Webhook(secret).sign(message_id, at, payload.decode()) for secret in secrets_)


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Answer:
    delivered: bool
    status_code: int | None
    message: str
    duration_ms: int = 0


def _describe(code: int) -> str:
    if 200 <= code < 300:
        return f"Delivered: the endpoint answered {code}."
    if code == 410:
        return "The endpoint answered 410 Gone: it no longer wants events."
    if code in (401, 403):
        return f"The endpoint refused the event ({code}): check its signing secret."
    if code == 429:
        return "The endpoint asked Tandem to slow down (429)."
    if code >= 500:
        return f"The endpoint had an error ({code})."
    if 300 <= code < 400:
        return f"The endpoint answered with a redirect ({code}); Tandem does not follow them."
    return f"The endpoint answered {code}."


def post(url: str, *, message_id: str, secrets_: list[str], payload: bytes) -> Answer:
    """Check the address again, sign `payload` now and POST it once."""
    try:
        target = addresses.resolve(url)
    except addresses.Refused as refused:
        return Answer(False, None, f"Not sent: {refused}")
    now = datetime.now(UTC)
    headers = {
        "content-type": "application/json",
        "user-agent": "Tandem-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature(secrets_, message_id=message_id, at=now, payload=payload),
    }
    request_url = target.url
    extensions: dict[str, Any] = {}
    if target.ip is not None:
        # Connect to the address that was checked, naming the host for HTTP and TLS.
        parts = urlsplit(target.url)
        ip = f"[{target.ip}]" if ":" in target.ip else target.ip
        netloc = f"{ip}:{parts.port}" if parts.port else ip
        request_url = urlunsplit(parts._replace(netloc=netloc))
        headers["host"] = parts.netloc.rsplit("@", 1)[-1]
        extensions["sni_hostname"] = target.host
    started = time.monotonic()
    try:
        response = _http(target.host).post(
            request_url, content=payload, headers=headers, extensions=extensions
        )
    except httpx.TimeoutException:
        return Answer(False, None, f"No answer within {TIMEOUT_SECONDS:g} seconds.", _ms(started))
    except httpx.HTTPError as error:
        return Answer(
            False,
            None,
            f"The endpoint could not be reached ({type(error).__name__}).",
            _ms(started),
        )
    code = response.status_code
    return Answer(200 <= code < 300, code, _describe(code), _ms(started))


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
