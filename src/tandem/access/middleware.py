"""Idle and absolute session time-outs (TANDEM_SESSION_IDLE_MINUTES / _MAX_HOURS)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

AUTH_AT = "tandem_auth_at"
SEEN_AT = "tandem_seen_at"
# Writing the session on every request would cost a write per page; a minute is precise
# enough for an idle limit counted in minutes.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            auth_at = request.session.get(AUTH_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
            absolute_limit = settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
            idle = now - seen_at > idle_limit
            if idle or now - auth_at > absolute_limit:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after a period of inactivity."
                    if idle
                    else f"You were signed out: sessions last at most "
                    f"{settings.SESSION_ABSOLUTE_TIMEOUT_HOURS} hours. Please sign in again.",
                )
                login_url = f"{settings.LOGIN_URL_PATH}?next={request.path}"
                # HtmxMiddleware runs later, so read htmx's header directly.
                if request.headers.get("HX-Request") == "true":
                    return HttpResponseClientRedirect(login_url)
                return redirect(login_url)
            if AUTH_AT not in request.session:
                request.session[AUTH_AT] = now
            if now - seen_at >= SEEN_RESOLUTION_SECONDS or SEEN_AT not in request.session:
                request.session[SEEN_AT] = now
        return self.get_response(request)
