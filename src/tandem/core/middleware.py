"""Request-wide plumbing: who is acting from where, the viewer's time zone, no caching,
the size of a request body, text in query strings."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from tandem.audit.context import origin
from tandem.core.api import error_json, too_large_detail
from tandem.core.validation import NOT_TEXT, unstorable


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


class BodyLimitMiddleware:
    """A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (TANDEM_MAX_BODY_MB) is answered 413 —
    in the API's error shape under /api/, as a plain page elsewhere — before anything else
    reads it. Left to Django, the first reader (CSRF, or the view) raises RequestDataTooBig
    and the answer is a 400, or under debug a traceback.

    A page's multipart form is parsed here (Django counts its fields, not its files, so an
    HRIS upload up to TANDEM_IMPORT_MAX_MB still passes); any other body is read into memory
    once, where its reader (the form, the API's JSON parser) finds it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            if request.method in ("GET", "HEAD", "OPTIONS"):
                pass
            elif request.content_type == "multipart/form-data" and not request.path.startswith(
                "/api/"
            ):
                request.POST  # noqa: B018 (parsing is the point)
            else:
                request.body  # noqa: B018
        except RequestDataTooBig:
            return self.too_large(request)
        except (TooManyFieldsSent, TooManyFilesSent, MultiPartParserError) as error:
            if request.path.startswith("/api/"):
                return error_json(400, str(error))
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def too_large(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return error_json(413, too_large_detail())
        return render(request, "413.html", {"detail": too_large_detail()}, status=413)


class QueryTextMiddleware:
    """A page's query string holds text: a NUL in any parameter is answered 400 naming it,
    before a view puts it in a query (PostgreSQL refuses NUL in text: a 500). The API names
    the parameter in its own 422 (core.api.StrictJsonParser), so /api/ is left to it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            for name, values in request.GET.lists():
                if unstorable(name) or any(unstorable(v) for v in values):
                    return HttpResponseBadRequest(
                        f"The address parameter “{name}” {NOT_TEXT}.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
