"""Who is acting and from where, for the duration of one request or command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None
    via: str  # "web", "api", "cli", "task"


_origin: ContextVar[RequestOrigin | None] = ContextVar("tandem_origin", default=None)


def current_origin() -> RequestOrigin | None:
    return _origin.get()


@contextmanager
def origin(ip_address: str | None, via: str) -> Iterator[None]:
    token = _origin.set(RequestOrigin(ip_address=ip_address, via=via))
    try:
        yield
    finally:
        _origin.reset(token)
