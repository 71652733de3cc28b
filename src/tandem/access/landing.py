"""Where someone lands after signing in when no page asked for them: the home page, unless
a feature has registered a first stop that matters more for this person right now.

The first HR admin of a fresh installation, for example, lands on the program's guided
set-up (`program/apps.py` registers it): access is machinery and names no feature, so the
features plug in here from their `AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.shortcuts import resolve_url

# Each returns a path inside Tandem for this user, or None to leave it to the next one.
Landing = Callable[[Any], str | None]
_LANDINGS: list[Landing] = []


def register_landing(landing: Landing) -> Landing:
    """Add a first stop after sign-in; usable as a decorator. Registering twice is harmless."""
    if landing not in _LANDINGS:
        _LANDINGS.append(landing)
    return landing


def landing_for(user: Any) -> str:
    """The page `user` lands on after signing in: the first registered stop that wants
    them, else the home page."""
    for landing in _LANDINGS:
        path = landing(user)
        if path:
            return path
    return resolve_url(settings.LOGIN_REDIRECT_URL)
