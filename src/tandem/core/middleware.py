"""Request-wide plumbing: who is acting from where, the viewer's time zone, no caching."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from tandem.audit.context import origin


class RequestContextMiddleware:
    """Sets the audit origin (address, channel) and shows times in the viewer's time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        tz_name = getattr(user, "time_zone", None) if user and user.is_authenticated else None
        try:
            zone = zoneinfo.ZoneInfo(tz_name) if tz_name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        # override(), not activate(): the viewer's zone ends with the request, so whatever
        # runs next in this thread (a test, a task) does not get their "today".
        with timezone.override(zone), origin(get_client_ip_address(request), via):
            return self.get_response(request)


class NoStoreMiddleware:
    """People data must not linger in browser or proxy caches: anything served to a
    signed-in person, and every API answer, is marked no-store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private, max-age=0"
        return response
