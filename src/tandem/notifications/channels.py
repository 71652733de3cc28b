"""Which chat channels serve a person, asked of whatever app connects Tandem to chat.

Notifications sits below the integrations app, so it cannot ask it by name: integrations
registers its lookup here from its `AppConfig.ready()` (the same way features plug into the
platform's other registries). Without one, nobody is offered "in chat"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ChannelLookup = Callable[[Any], list[str]]

_lookup: list[ChannelLookup] = []


def register_chat_channels(lookup: ChannelLookup) -> None:
    """`lookup(person)` answers the names of the chat channels that would carry that
    person's notifications ("Slack #eng-managers"); an empty list when none does."""
    _lookup[:] = [lookup]


def chat_channels_for(person: Any) -> list[str]:
    return _lookup[0](person) if _lookup else []
