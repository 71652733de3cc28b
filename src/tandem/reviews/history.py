"""Entries other features add to a participant's history in a cycle, for the readers of
that history (HR): calibration registers the adjustments made to a person's rating.

A provider is `fn(participant_id) -> [(when, sentence), …]`, registered from the
feature's `AppConfig.ready()`; reviews never imports the features above it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Provider = Callable[[int], list[tuple[datetime, str]]]

_PROVIDERS: list[Provider] = []


def register_participant_history(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def participant_history(participant_id: int) -> list[tuple[datetime, str]]:
    """Every registered provider's entries about the participant, oldest first."""
    entries = [entry for provider in _PROVIDERS for entry in provider(participant_id)]
    return sorted(entries, key=lambda entry: entry[0])
