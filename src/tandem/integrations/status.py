"""The IT page's state of every integration, contributed by each integration's package.

Each part (chat webhooks, SSO, SCIM, outgoing webhooks, API tokens, e-mail) registers a
function that returns its lines; the IT page (`/it/`) shows them in registration order.
A line says only what IT manages (counts, times, failing endpoints), never people data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

State = Literal["ok", "attention", "failing", "off"]


@dataclass(frozen=True)
class StatusLine:
    integration: str  # "Single sign-on (OIDC)"
    state: State
    summary: str  # "2 providers; last sign-in 4 minutes ago"
    last_activity: datetime | None = None
    manage_url: str = ""  # a page IT can open (an IT-only page), or ""


StatusProvider = Callable[[], list[StatusLine]]
_providers: list[StatusProvider] = []


def register(provider: StatusProvider) -> StatusProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def collect() -> list[StatusLine]:
    return [line for provider in _providers for line in provider()]
