"""Talking points other features add to a 1:1, for the report the 1:1 is with: growth adds
the open and overdue actions of the report's active development plan.

A provider is `fn(viewer, report) -> [(topic, text, url), …]`, registered from the
feature's `AppConfig.ready()`; each provider filters by what the viewer may see. Meetings
never imports the features above it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Provider = Callable[[Any, Any], list[tuple[str, str, str]]]

_PROVIDERS: list[Provider] = []


def register_talking_points(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def talking_points_from_features(viewer: Any, report: Any) -> list[tuple[str, str, str]]:
    """Every registered provider's points about the report, in registration order."""
    return [point for provider in _PROVIDERS for point in provider(viewer, report)]
